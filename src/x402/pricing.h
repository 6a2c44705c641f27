// The price list (a default and per-path rules) and which price applies to a request path:
// an exact rule beats the longest matching prefix rule ("/api/premium/*"), which beats the default.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "x402/extensions/bazaar.h"
#include "x402/extensions/payment_identifier_policy.h"
#include "x402/extensions/sign_in_with_x.h"
#include "x402/money.h"
#include "x402/offer_spec.h"
#include "x402/simulation_mode.h"

namespace x402 {

/// One pricing rule: |pattern| is an exact path ("/api/data") or a prefix ending in "/*"
/// ("/api/premium/*", which matches "/api/premium" and everything below it).
struct PriceRule {
  std::string pattern;
  AtomicAmount price;  // USD, in 10^-6 USD
  /// The options this route offers instead of the paywall's (`{price, accepts}`); empty:
  /// the paywall's.
  std::vector<OptionSpec> accepts;
  /// The route's own simulation mode and payment-identifier policy; unset: the server's.
  std::optional<SimulationMode> simulation_mode;
  std::optional<PaymentIdentifierPolicy> payment_identifier;
  /// The route declares itself discoverable (the bazaar extension).
  std::optional<DiscoverySpec> discovery;
  /// A wallet that paid for the route may sign in instead of paying again (sign-in-with-x).
  std::optional<SiwxSpec> sign_in_with_x;

  /// A rule with only its pattern and price (the rest the paywall's).
  static PriceRule Priced(std::string pattern, AtomicAmount price) {
    PriceRule rule;
    rule.pattern = std::move(pattern);
    rule.price = price;
    return rule;
  }
  friend bool operator==(const PriceRule&, const PriceRule&) = default;
};

struct PricingConfig {
  AtomicAmount default_price{10'000};  // 0.01 USD
  std::vector<PriceRule> per_resource = {
      PriceRule::Priced("/api/data", AtomicAmount{50'000}),
      PriceRule::Priced("/api/premium/*", AtomicAmount{100'000}),
  };
};

struct PriceMatch {
  AtomicAmount price;
  const PriceRule* rule = nullptr;  // nullptr: the default price applied
};

/// REQUIRES: |path| has no query string.
PriceMatch PriceFor(const PricingConfig& pricing, std::string_view path);

}  // namespace x402
