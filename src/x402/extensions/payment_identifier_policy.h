// Whether a route takes the payment-identifier extension (docs/server.md, "Payment
// identifier"): off (not declared, an id is ignored), optional (declared, an id is used when
// sent) or required (declared required: a payment without one is refused with 400).
#pragma once

#include <optional>
#include <string_view>

namespace x402 {

enum class PaymentIdentifierPolicy { kOff, kOptional, kRequired };

std::string_view ToString(PaymentIdentifierPolicy policy);
std::optional<PaymentIdentifierPolicy> ParsePaymentIdentifierPolicy(std::string_view text);

}  // namespace x402
