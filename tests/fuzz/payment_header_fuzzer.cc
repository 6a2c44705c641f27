// Fuzzes the payment-header path: base64 → JSON → x402 validation, both versions. Any input
// must end in a verdict (valid or a reason), never a crash, hang or sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "x402/payment.h"
#include "x402/paywall.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const x402::Paywall paywall{x402::PaywallConfig{}};
  static const x402::PaymentRequirements offer =
      paywall.RequirementsFor("/api/data", "http://127.0.0.1:3402/api/data");
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  for (int version : {1, 2}) {
    const x402::PaymentVerdict v = x402::VerifyPaymentHeader(header, version, offer, 1'800'000'000);
    if (!v.valid && v.reason.empty()) __builtin_trap();  // a rejection always names its reason
  }
  return 0;
}
