// PaymentRequirements: one payment option the mock offers for a resource (one entry of
// `accepts`), and the one JSON builder per wire version (docs/protocol.md §2, §4). A 402 lists
// every option of its offer; the v2 client echoes the one it chose back in `accepted`, which is
// matched against the same objects (payment.h), so the 402 and the paid retry can never
// disagree about an offer.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "x402/money.h"

namespace x402 {

class Scheme;

/// What a scheme computed once for an option (EVM exact: the EIP-712 domain separator), kept
/// with it for the life of the paywall snapshot.
struct PreparedOption {
  virtual ~PreparedOption() = default;
};

struct PaymentRequirements {
  /// The scheme that checks payments for this option; null only in requirements a facilitator
  /// request named with a scheme the mock does not speak.
  const Scheme* scheme_impl = nullptr;
  std::string scheme = "exact";
  std::string network;  // v1 name, e.g. "base-sepolia"; "" when the network has none
  std::string caip2;    // v2 id, e.g. "eip155:84532"
  /// Listed in v1 offers: the scheme speaks v1 and x402 1.2.0 knows the network's v1 name
  /// (x402-fetch 1.2.0 refuses a whole 402 over one entry it cannot parse).
  bool in_v1_offers = false;
  AtomicAmount amount;  // in the asset's atomic units
  std::string asset;
  std::string asset_symbol = "USDC";  // for people: "0.05 USDC"
  int asset_decimals = 6;
  /// The asset is one of the network table's (built-in or declared). A facilitator request may
  /// name any token; the simulated ledger keeps balances only of the table's, so made-up
  /// addresses cannot open accounts without bound.
  bool asset_in_table = true;
  std::string pay_to;
  std::string resource;  // absolute URL of the resource
  std::string description;
  std::string mime_type = "application/json";
  uint32_t max_timeout_seconds = 300;
  /// upto: what the resource charges when the request does not say (OptionSpec::charge).
  std::string charge;
  /// A v1 facilitator request without the token's EIP-712 domain in `extra`, given x402
  /// 1.2.0's defaults (ParseRequirementsJson): @x402/evm's v1 facilitator refuses it instead.
  bool v1_domain_defaulted = false;
  /// The scheme's `extra` (EVM exact: {"name","version"}, the token's EIP-712 domain).
  boost::json::object extra;
  std::shared_ptr<const PreparedOption> prepared;
  /// The v2 object of this option (RequirementsObjectV2), once the option is complete
  /// (Freeze()): what a v2 payment's `accepted` is compared with, built once.
  std::shared_ptr<const boost::json::object> v2_object;

  /// Builds |v2_object|. Call when every field is set.
  void Freeze();
};

/// The v1 PaymentRequirements object (one entry of v1 `accepts`: resource, description and
/// mimeType included).
boost::json::object RequirementsObjectV1(const PaymentRequirements& req);
/// The v2 PaymentRequirements object (one entry of v2 `accepts`, without the resource).
boost::json::object RequirementsObjectV2(const PaymentRequirements& req);
std::string RenderRequirementsV1(const PaymentRequirements& req);
std::string RenderRequirementsV2(const PaymentRequirements& req);

/// The `accepts` arrays alone, as the request history records an offer: v1 (the options with
/// in_v1_offers) and v2 (every option).
std::string RenderAcceptsV1(std::span<const PaymentRequirements> options);
std::string RenderAcceptsV2(std::span<const PaymentRequirements> options);

/// The v1 402 body: {"x402Version":1,"error":…,["errorMessage":…,]"accepts":[…]}: the options
/// with in_v1_offers, in their order. |error| is the x402 error reason; |message|, when not
/// empty, says it in words (clients ignore the extra field; people debugging read it).
std::string RenderPaymentRequiredV1(std::span<const PaymentRequirements> options,
                                    std::string_view error, std::string_view message = {});
/// The v2 PaymentRequired JSON (before base64): {"x402Version":2,"error":…,
/// ["errorMessage":…,]"resource":{…},"accepts":[…]}: every option, in order; the resource is
/// the first option's (an offer's options share it). |extensions_json|, when not empty, is
/// the route's extension declarations as a JSON object: {"extensions": …} after `accepts`;
/// |resource_extra_json|, what the route adds to `resource` (serviceName, tags).
std::string RenderPaymentRequiredV2(std::span<const PaymentRequirements> options,
                                    std::string_view error, std::string_view message = {},
                                    std::string_view extensions_json = {},
                                    std::string_view resource_extra_json = {});

/// One option as a one-element span (tests and the single-option callers).
inline std::span<const PaymentRequirements> OneOption(const PaymentRequirements& req) {
  return {&req, 1};
}

}  // namespace x402
