#include "x402/pricing.h"

namespace x402 {
namespace {

// "/api/premium/*" matches "/api/premium" and anything below "/api/premium/".
bool PrefixMatches(std::string_view pattern, std::string_view path, std::size_t* length) {
  std::string_view base = pattern.substr(0, pattern.size() - 2);  // without "/*"
  if (path.substr(0, base.size()) != base) return false;
  if (path.size() != base.size() && path[base.size()] != '/') return false;
  *length = base.size();
  return true;
}

bool IsPrefixRule(std::string_view pattern) {
  return pattern.size() >= 2 && pattern.substr(pattern.size() - 2) == "/*";
}

}  // namespace

PriceMatch PriceFor(const PricingConfig& pricing, std::string_view path) {
  const PriceRule* best_prefix = nullptr;
  std::size_t best_length = 0;
  for (const PriceRule& rule : pricing.per_resource) {
    if (!IsPrefixRule(rule.pattern)) {
      if (rule.pattern == path) return PriceMatch{rule.price, &rule};
      continue;
    }
    std::size_t length = 0;
    if (PrefixMatches(rule.pattern, path, &length) &&
        (best_prefix == nullptr || length > best_length)) {
      best_prefix = &rule;
      best_length = length;
    }
  }
  if (best_prefix != nullptr) return PriceMatch{best_prefix->price, best_prefix};
  return PriceMatch{pricing.default_price, nullptr};
}

}  // namespace x402
