// The rules that decide whether a Permit2 payment pays an offer, as tables: one for the exact
// scheme's Permit2 strategy (@x402/evm 2.27 src/exact/facilitator/permit2.ts verifyPermit2())
// and one for the upto scheme (src/upto/facilitator/permit2.ts verifyUptoPermit2()), each row
// a rule in the order the reference applies it, with the reason it gives (src/*/facilitator/
// errors.ts). Unlike EIP-3009, the signature is the last row: the reference checks every field
// first. docs/server.md prints the same rows.
//
// What the reference asks the chain (the token's allowance to Permit2, the balance, the nonce
// bitmap) is the settle step's (settle_step.h), with the reasons of the verdict's ChainReasons.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "x402/evm/permit2_payload.h"
#include "x402/payment_verdict.h"
#include "x402/requirements.h"

namespace x402 {
struct PaymentCheck;
}

namespace x402::evm {

/// The address the mock facilitator settles from: upto's extra.facilitatorAddress, and the
/// /facilitator/supported signers. EIP-55 of a mostly-zero address is all lowercase.
inline constexpr std::string_view kFacilitatorAddress = "0x0000000000000000000000000000000000402def";

/// What a rule looks at: the payload, the offer, the amount it must authorize (the offer's;
/// at a facilitator's upto settle, the authorized maximum itself) and the time.
struct Permit2Context {
  const Permit2Authorization& auth;
  const PaymentRequirements& offered;
  const Uint256& expected_amount;
  int64_t now = 0;
};

struct Permit2Rule {
  std::string_view name;    // "spender", "recipient", …, "signature"
  std::string_view reason;  // the reference's reason when the rule does not hold
  std::string_view source;  // file and function of the reference
  bool (*holds)(const Permit2Context& c);
  std::string (*explain)(const Permit2Context& c);  // called only when |holds| is false
};

/// The rows of the exact scheme's Permit2 strategy, or of upto's, in order.
std::span<const Permit2Rule> Permit2Rules(Permit2Witness witness);

/// How the simulated chain refuses a Permit2 payment of each scheme (payment_verdict.h).
const ChainReasons& Permit2ChainReasons(Permit2Witness witness);

/// Checks a Permit2 |payload| (and the payment's |extensions|) against |option|, as
/// verifyPermit2() (kExact) or verifyUptoPermit2() (kUpto) does before its simulation: the
/// payload's shape, the rows (the signature row only in strict mode), then the
/// eip2612GasSponsoring extension. On success the verdict carries what the settle step needs.
PaymentVerdict CheckPermit2Payment(const boost::json::object& payload, const boost::json::object* extensions,
                                   const PaymentRequirements& option, const PaymentCheck& check,
                                   Permit2Witness witness);

/// The precomputation of an option paid through Permit2: Permit2's domain separator on its
/// chain, and whether its token also has EIP-3009 (an EIP-3009 payment of it can settle).
struct Permit2Domain : PreparedOption {
  Permit2Domain(const Hash32& s, bool has_eip3009) : separator(s), token_has_eip3009(has_eip3009) {}
  Hash32 separator;
  bool token_has_eip3009;
};

}  // namespace x402::evm
