// Which price applies to a request path: an exact rule beats the longest matching prefix
// rule ("/api/premium/*"), which beats the default.
#pragma once

#include <string_view>

#include "config/config.h"

namespace x402 {

struct PriceMatch {
  AtomicAmount price;
  const PriceRule* rule = nullptr;  // nullptr: the default price applied
};

/// REQUIRES: |path| has no query string.
PriceMatch PriceFor(const PricingConfig& pricing, std::string_view path);

}  // namespace x402
