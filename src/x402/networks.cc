#include "x402/networks.h"

#include <array>

namespace x402 {
namespace {

constexpr std::array<NetworkInfo, 2> kNetworks = {{
    {"base-sepolia", "eip155:84532", "0x036CbD53842c5426634e7929541eC2318f3dCF7e", "USDC", "2"},
    {"base", "eip155:8453", "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", "USD Coin", "2"},
}};

}  // namespace

std::span<const NetworkInfo> KnownNetworks() { return kNetworks; }

const NetworkInfo* FindNetwork(std::string_view name_or_caip2) {
  for (const NetworkInfo& n : kNetworks) {
    if (n.v1_name == name_or_caip2 || n.caip2 == name_or_caip2) return &n;
  }
  return nullptr;
}

}  // namespace x402
