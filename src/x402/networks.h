// The networks the mock can offer payments on, and the assets on each: the reference packages'
// own tables (each family's, e.g. src/x402/evm/evm_networks.cc) plus the networks the user
// declares in the config (a local chain such as eip155:31337). A network has a CAIP-2 id
// ("eip155:84532", what v2 requires) and, where the v1 packages know one, a v1 name
// ("base-sepolia").
//
// The table is data: the paywall snapshot holds one (built-ins + declared), and a scheme reads
// the asset details its family needs (an EVM token's EIP-712 domain and transfer method).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace x402 {

/// A token on one network.
struct AssetInfo {
  std::string address;  // as offers write it (EVM: EIP-55 checksummed)
  std::string symbol;   // "USDC"
  int decimals = 6;
  // EVM: the token's EIP-712 domain (what the payer signs under) and how the exact scheme
  // moves it ("eip3009", or "permit2" for tokens without EIP-3009).
  std::string domain_name;
  std::string domain_version;
  std::string transfer_method = "eip3009";
  bool supports_eip2612 = false;
  /// Declared in the user's config rather than the reference's table.
  bool declared = false;
  // Solana: the program that owns the mint (Token or Token-2022), base58; the payment's
  // TransferChecked runs under it and its associated token accounts derive from it.
  std::string token_program;

  friend bool operator==(const AssetInfo&, const AssetInfo&) = default;
};

struct NetworkInfo {
  std::string family;   // "eip155"
  std::string caip2;    // "eip155:84532"
  std::string v1_name;  // "base-sepolia"; "" when no v1 package names it
  /// x402 1.2.0's zod enum accepts |v1_name|: only then may a v1 offer (which x402-fetch 1.2.0
  /// parses entry by entry, throwing at the first it does not know) list this network.
  bool in_x402_v1_enum = false;
  std::string display_name;  // "Base Sepolia"
  uint64_t chain_id = 0;     // EVM
  std::vector<AssetInfo> assets;  // the first is the network's default
  bool declared = false;

  /// The asset at |address| (letter case ignored where the family ignores it), or nullptr.
  const AssetInfo* FindAsset(std::string_view address) const;
  const AssetInfo& default_asset() const { return assets.front(); }

  friend bool operator==(const NetworkInfo&, const NetworkInfo&) = default;
};

/// Every network the mock knows: the built-in tables, then those the config declares.
class NetworkTable {
 public:
  NetworkTable();  // the built-in networks only
  explicit NetworkTable(std::vector<NetworkInfo> declared);

  /// By CAIP-2 id or v1 name; nullptr when unknown.
  const NetworkInfo* Find(std::string_view caip2_or_v1_name) const;
  std::span<const NetworkInfo> all() const { return networks_; }
  /// Every name a user may write (v1 names and CAIP-2 ids), for "did you mean".
  std::vector<std::string> Names() const;

 private:
  std::vector<NetworkInfo> networks_;
};

/// A network the configuration declares (one the built-in table lacks) by its CAIP-2 id, without
/// assets: its family and (eip155) chain id. nullopt, with |problem|, for an id the mock cannot
/// declare (not CAIP-2, or a family it has no scheme for).
std::optional<NetworkInfo> DeclaredNetwork(std::string_view caip2, std::string* problem);

/// The built-in networks of every family, in the reference tables' order.
const std::vector<NetworkInfo>& BuiltInNetworks();

}  // namespace x402
