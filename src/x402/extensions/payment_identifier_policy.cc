#include "x402/extensions/payment_identifier_policy.h"

namespace x402 {

std::string_view ToString(PaymentIdentifierPolicy policy) {
  switch (policy) {
    case PaymentIdentifierPolicy::kOff: return "off";
    case PaymentIdentifierPolicy::kOptional: return "optional";
    case PaymentIdentifierPolicy::kRequired: return "required";
  }
  return "off";
}

std::optional<PaymentIdentifierPolicy> ParsePaymentIdentifierPolicy(std::string_view text) {
  for (PaymentIdentifierPolicy p :
       {PaymentIdentifierPolicy::kOff, PaymentIdentifierPolicy::kOptional, PaymentIdentifierPolicy::kRequired}) {
    if (ToString(p) == text) return p;
  }
  return std::nullopt;
}

}  // namespace x402
