#include "x402/networks.h"

#include <algorithm>

#include "base/text.h"
#include "x402/evm/evm_networks.h"
#include "x402/svm/svm_networks.h"

namespace x402 {

const AssetInfo* NetworkInfo::FindAsset(std::string_view address) const {
  for (const AssetInfo& asset : assets) {
    // EVM addresses compare case-insensitively (EIP-55 is only a checksum); other families'
    // addresses (Solana's base58) compare exactly.
    const bool same = family == "eip155" ? EqualsIgnoreCaseAscii(asset.address, address)
                                         : asset.address == address;
    if (same) return &asset;
  }
  return nullptr;
}

const std::vector<NetworkInfo>& BuiltInNetworks() {
  // One line per family (issue: adding a family is its own folder and one line here).
  static const std::vector<NetworkInfo> networks = [] {
    std::vector<NetworkInfo> all = evm::BuiltInEvmNetworks();
    for (NetworkInfo& network : svm::BuiltInSvmNetworks()) all.push_back(std::move(network));
    return all;
  }();
  return networks;
}

std::optional<NetworkInfo> DeclaredNetwork(std::string_view caip2, std::string* problem) {
  // CAIP-2: namespace ":" reference. Only eip155 can be declared for now: its chain id is all a
  // scheme needs (the EIP-712 domain's chainId).
  if (const uint64_t chain_id = evm::ChainIdOf(caip2); chain_id != 0) {
    NetworkInfo network;
    network.family = "eip155";
    network.caip2 = std::string(caip2);
    network.display_name = network.caip2;
    network.chain_id = chain_id;
    network.declared = true;
    return network;
  }
  *problem = "'" + std::string(caip2) + "' is not a network the mock knows, and cannot be declared: " +
             "only EVM chains (\"eip155:<chain id>\") can";
  return std::nullopt;
}

NetworkTable::NetworkTable() : networks_(BuiltInNetworks()) {}

NetworkTable::NetworkTable(std::vector<NetworkInfo> declared) : networks_(BuiltInNetworks()) {
  for (NetworkInfo& network : declared) {
    // Tokens declared on a network of the table join its assets (after the table's own, so its
    // default stays the default); other networks are added whole.
    auto same = std::find_if(networks_.begin(), networks_.end(),
                             [&](const NetworkInfo& n) { return n.caip2 == network.caip2; });
    if (same != networks_.end()) {
      for (AssetInfo& asset : network.assets) {
        if (same->FindAsset(asset.address) == nullptr) same->assets.push_back(std::move(asset));
      }
      continue;
    }
    network.declared = true;
    networks_.push_back(std::move(network));
  }
}

const NetworkInfo* NetworkTable::Find(std::string_view name) const {
  for (const NetworkInfo& n : networks_) {
    if (n.caip2 == name || (!n.v1_name.empty() && n.v1_name == name)) return &n;
  }
  return nullptr;
}

std::vector<std::string> NetworkTable::Names() const {
  std::vector<std::string> names;
  for (const NetworkInfo& n : networks_) {
    if (!n.v1_name.empty()) names.push_back(n.v1_name);
    names.push_back(n.caip2);
  }
  return names;
}

}  // namespace x402
