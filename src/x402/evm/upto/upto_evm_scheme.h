// The EVM `upto` scheme as @x402/evm 2.27 has it (src/upto/): the payer signs a Permit2 permit
// for a maximum, naming the facilitator allowed to settle it, and the resource server charges
// what was used, at most that maximum (metered APIs, LLM tokens, bandwidth). v2 only.
//
// The offer's extra is {name, version, assetTransferMethod: "permit2", facilitatorAddress}
// (upto/server/scheme.ts defaultMoneyConversion() and enhancePaymentRequirements()); the
// payload is Permit2's with witness {to, facilitator, validAfter} (evm/permit2_payload.h),
// checked by verifyUptoPermit2()'s rules (evm/permit2_rules.h). What is charged is decided by
// the caller before settling (PaymentVerdict::charge): the paywall reads the request's
// Settlement-Overrides, the route's charge or the maximum; /facilitator/settle takes the
// requirements' amount, as the reference's facilitator does.
#pragma once

#include <memory>

#include "x402/scheme.h"

namespace x402::evm {

std::unique_ptr<Scheme> CreateUptoEvmScheme();

}  // namespace x402::evm
