// The networks the mock can offer, with the USDC asset the official clients know for each
// (docs/protocol.md §8). A network has two names: the v1 name ("base-sepolia") that
// x402-fetch's zod enum accepts, and the CAIP-2 id ("eip155:84532") that v2 requires.
#pragma once

#include <span>
#include <string_view>

namespace x402 {

struct NetworkInfo {
  std::string_view v1_name;     // "base-sepolia"
  std::string_view caip2;       // "eip155:84532"
  std::string_view usdc;        // checksummed: x402-fetch compares it case-sensitively
  std::string_view usdc_name;   // EIP-712 domain name (PaymentRequirements.extra.name)
  std::string_view usdc_version;
};

/// Every known network, base-sepolia first.
std::span<const NetworkInfo> KnownNetworks();

/// Looks a network up by either its v1 name or its CAIP-2 id; nullptr when unknown.
const NetworkInfo* FindNetwork(std::string_view name_or_caip2);

}  // namespace x402
