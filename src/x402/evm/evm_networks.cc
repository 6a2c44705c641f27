#include "x402/evm/evm_networks.h"

#include <charconv>
#include <string_view>

namespace x402::evm {
namespace {

// One row of DEFAULT_ASSETS (@x402/evm 2.27.0 src/defaultAssets.ts), with the v1 name of
// EVM_NETWORK_CHAIN_ID_MAP (src/constants.ts) and whether x402 1.2.0's NetworkSchema
// (src/types/shared/network.ts) lists that name.
struct Row {
  std::string_view caip2;
  std::string_view v1_name;
  bool in_x402_v1_enum;
  std::string_view display_name;
  std::string_view asset;
  std::string_view symbol;
  int decimals;
  std::string_view domain_name;
  std::string_view domain_version;
  std::string_view transfer_method;  // "eip3009" or "permit2" (assetTransferMethod)
  bool supports_eip2612;
};

// In DEFAULT_ASSETS' order; a network with several assets has one row each, its default first.
constexpr Row kRows[] = {
    {"eip155:8453", "base", true, "Base", "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "USDC", 6,
     "USD Coin", "2", "eip3009", false},
    {"eip155:84532", "base-sepolia", true, "Base Sepolia", "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
     "USDC", 6, "USDC", "2", "eip3009", false},
    {"eip155:1", "ethereum", false, "Ethereum", "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", "USDC", 6,
     "USD Coin", "2", "eip3009", false},
    {"eip155:43114", "avalanche", true, "Avalanche C-Chain", "0xB97EF9Ef8734C71904D8002F8b6Bc66Dd9c48a6E",
     "USDC", 6, "USD Coin", "2", "eip3009", false},
    {"eip155:4326", "megaeth", false, "MegaETH", "0xFAfDdbb3FC7688494971a79cc65DCa3EF82079E7", "MegaUSD",
     18, "MegaUSD", "1", "permit2", true},
    {"eip155:143", "monad", false, "Monad", "0x754704Bc059F8C67012fEd69BC8A327a5aafb603", "USDC", 6,
     "USDC", "2", "eip3009", false},
    {"eip155:988", "stable", false, "Stable", "0x779Ded0c9e1022225f8E0630b35a9b54bE713736", "USDT0", 6,
     "USDT0", "1", "eip3009", false},
    {"eip155:2201", "stable-testnet", false, "Stable testnet", "0x78Cf24370174180738C5B8E352B6D14c83a6c9A9",
     "USDT0", 6, "USDT0", "1", "eip3009", false},
    {"eip155:137", "polygon", true, "Polygon", "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359", "USDC", 6,
     "USD Coin", "2", "eip3009", false},
    {"eip155:42161", "", false, "Arbitrum One", "0xaf88d065e77c8cC2239327C5EDb3A432268e5831", "USDC", 6,
     "USD Coin", "2", "eip3009", false},
    {"eip155:421614", "", false, "Arbitrum Sepolia", "0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d", "USDC",
     6, "USD Coin", "2", "eip3009", false},
    {"eip155:31612", "", false, "Mezo", "0xdD468A1DDc392dcdbEf6db6e34E89AA338F9F186", "mUSD", 18,
     "Mezo USD", "1", "permit2", true},
    {"eip155:31611", "", false, "Mezo testnet", "0x118917a40FAF1CD7a13dB0Ef56C86De7973Ac503", "mUSD", 18,
     "Mezo USD", "1", "permit2", true},
    {"eip155:723487", "", false, "Radius", "0x33ad9e4BD16B69B5BFdED37D8B5D9fF9aba014Fb", "SBC", 6,
     "Stable Coin", "1", "permit2", true},
    {"eip155:72344", "", false, "Radius testnet", "0x33ad9e4BD16B69B5BFdED37D8B5D9fF9aba014Fb", "SBC", 6,
     "Stable Coin", "1", "permit2", true},
    {"eip155:36900", "", false, "ADI", "0x9cb8142aEBBcdc60AF7c97Af897A67A8f3CA71C2", "USDC.e", 6, "USDC.e",
     "2", "eip3009", false},
    {"eip155:190415", "", false, "HPP", "0x401eCb1D350407f13ba348573E5630B83638E30D", "USDC.e", 6,
     "Bridged USDC", "2", "eip3009", false},
    {"eip155:181228", "", false, "HPP Sepolia", "0x401eCb1D350407f13ba348573E5630B83638E30D", "USDC.e", 6,
     "Bridged USDC", "2", "eip3009", false},
    {"eip155:50", "", false, "XDC", "0xfA2958CB79b0491CC627c1557F441eF849Ca8eb1", "USDC", 6, "USDC", "2",
     "eip3009", false},
    {"eip155:51", "", false, "XDC Apothem", "0xb5AB69F7bBada22B28e79C8FFAECe55eF1c771D4", "USDC", 6,
     "USDC", "2", "eip3009", false},
    // Igra's USDC has neither EIP-3009 nor EIP-2612: the exact scheme moves it through Permit2.
    {"eip155:38833", "", false, "Igra", "0xA5b8BF902b2844dA17d4506cc827F7F1681735E7", "USDC", 6, "USDC",
     "1", "permit2", false},
    // "USD₮0": the EIP-712 name is not ASCII (U+20AE), and is hashed as its UTF-8 bytes.
    {"eip155:14", "flare", false, "Flare", "0xe7cd86e13AC4309349F30B3435a9d337750fC82D", "USDT0", 6,
     "USD\xE2\x82\xAE" "0", "1", "eip3009", false},
    {"eip155:42220", "celo", false, "Celo", "0xcebA9300f2b948710d2653dD7B07f33A8B32118C", "USDC", 6, "USDC",
     "2", "eip3009", false},
    {"eip155:42220", "celo", false, "Celo", "0x48065fbBE25f71C9282ddf5e1cD6D6A887483D5e", "USDT", 6,
     "Tether USD", "1", "eip3009", false},
    {"eip155:42220", "celo", false, "Celo", "0xD2ab3C9A02DBBAB236BfEC45D1d755DF4267F771", "USAT", 6,
     "Tether America USD", "1", "eip3009", false},
    {"eip155:11142220", "", false, "Celo Sepolia", "0x01C5C0122039549AD1493B8220cABEdD739BC44E", "USDC", 6,
     "USDC", "2", "eip3009", false},
    {"eip155:1329", "sei", true, "Sei", "0xe15fC38F6D8c56aF07bbCBe3BAf5708A2Bf42392", "USDC", 6, "USDC", "2",
     "eip3009", false},
    {"eip155:1328", "sei-testnet", true, "Sei testnet", "0x4fCF1784B31630811181f670Aea7A7bEF803eaED",
     "USDC", 6, "USDC", "2", "eip3009", false},
};

}  // namespace

uint64_t ChainIdOf(std::string_view caip2) {
  constexpr std::string_view kPrefix = "eip155:";
  if (caip2.substr(0, kPrefix.size()) != kPrefix) return 0;
  caip2.remove_prefix(kPrefix.size());
  if (caip2.empty() || caip2.front() == '0') return 0;
  uint64_t id = 0;
  const auto [ptr, ec] = std::from_chars(caip2.data(), caip2.data() + caip2.size(), id);
  if (ec != std::errc() || ptr != caip2.data() + caip2.size()) return 0;
  return id;
}

std::vector<NetworkInfo> BuiltInEvmNetworks() {
  std::vector<NetworkInfo> networks;
  for (const Row& row : kRows) {
    if (networks.empty() || networks.back().caip2 != row.caip2) {
      NetworkInfo network;
      network.family = "eip155";
      network.caip2 = std::string(row.caip2);
      network.v1_name = std::string(row.v1_name);
      network.in_x402_v1_enum = row.in_x402_v1_enum;
      network.display_name = std::string(row.display_name);
      network.chain_id = ChainIdOf(row.caip2);
      networks.push_back(std::move(network));
    }
    AssetInfo asset;
    asset.address = std::string(row.asset);
    asset.symbol = std::string(row.symbol);
    asset.decimals = row.decimals;
    asset.domain_name = std::string(row.domain_name);
    asset.domain_version = std::string(row.domain_version);
    asset.transfer_method = std::string(row.transfer_method);
    asset.supports_eip2612 = row.supports_eip2612;
    networks.back().assets.push_back(std::move(asset));
  }
  return networks;
}

}  // namespace x402::evm
