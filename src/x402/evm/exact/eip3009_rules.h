// The rules of the "exact" EVM scheme (EIP-3009 transferWithAuthorization) that decide whether
// an authorization pays for an offer, as tables: one per rule set, each row a rule in the order
// its reference facilitator applies it, naming the reason value the reference gives and where in
// the reference package it comes from. payment.cc reads the fields (their shape) and then asks
// these tables; docs/server.md prints the same rows.
//
// The signature is not a row here: it is checked before every row (both references recover the
// signer first), by the signature step of payment.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "x402/money.h"
#include "x402/payment_verdict.h"
#include "x402/requirements.h"
#include "x402/verification_mode.h"

namespace x402 {

/// authorization and signature of an exact-scheme payload, already read and shape-checked.
struct ExactAuthorization {
  std::string from;
  std::string to;
  std::string value_text;  // as sent, for messages
  AtomicAmount value;
  int64_t valid_after = 0;
  int64_t valid_before = 0;
  std::string nonce;
  std::string signature;
};

enum class RuleSet {
  kShape,      // `verification: shape`: today's lenient checks, for hand-made payments
  kX402V1,     // x402 1.2.0, schemes/exact/evm/facilitator.ts verify()
  kX402EvmV2,  // @x402/evm 2.27.0, exact/facilitator/eip3009.ts verifyEIP3009()
  kX402EvmV1,  // @x402/evm 2.27.0, exact/v1/facilitator/scheme.ts _verify() (v1_rules: x402-2)
};

RuleSet RuleSetFor(int x402_version, Verification verification, V1Rules v1_rules = V1Rules::kX402_1_2);

/// A validBefore closer than this to now is refused: settling takes blocks, so both references
/// require validBefore >= now + 6 s.
inline constexpr int64_t kValidBeforeMarginSeconds = 6;

struct ExactRule {
  std::string_view name;    // short, for tests and docs: "recipient", "valid_before", …
  std::string_view reason;  // the x402 reason value when the rule does not hold
  std::string_view source;  // file and function of the reference
  bool (*holds)(const ExactAuthorization& auth, const PaymentRequirements& offered, int64_t now);
  /// What is wrong, for people; called only when |holds| is false.
  std::string (*explain)(const ExactAuthorization& auth, const PaymentRequirements& offered,
                         int64_t now);
};

/// The rows of |set|, in the order they are applied.
std::span<const ExactRule> ExactRules(RuleSet set);

struct RuleBreach {
  std::string reason;
  std::string message;
};

/// The first rule of |set| that |auth| breaks, or nullopt when every rule holds.
std::optional<RuleBreach> FirstBrokenRule(RuleSet set, const ExactAuthorization& auth,
                                          const PaymentRequirements& offered, int64_t now);

/// What a real facilitator answers when the authorization (from, nonce) was already used on
/// chain: v2 @x402/evm names it (invalid_exact_evm_nonce_already_used); x402 1.2.0 has no
/// such check, its settle's transferWithAuthorization reverts and it answers
/// invalid_transaction_state.
std::string_view UsedAuthorizationReason(int x402_version);

/// What a real facilitator answers when the payer's balance is below the amount:
/// x402 1.2.0 insufficient_funds; @x402/evm 2.27 invalid_exact_evm_insufficient_balance.
std::string_view InsufficientFundsReason(int x402_version);

/// How the simulated chain refuses an EIP-3009 payment of |x402_version| (the two above; the
/// token contract names a used nonce before a low balance). A v1 payment under @x402/evm's v1
/// facilitator (v1_rules: x402-2) is refused with the v2 names.
const ChainReasons& Eip3009ChainReasons(int x402_version, V1Rules v1_rules = V1Rules::kX402_1_2);

/// The reason of a signature that does not recover the payer: x402 1.2.0's
/// invalid_exact_evm_payload_signature, @x402/evm's invalid_exact_evm_signature (v2, and v1
/// under v1_rules: x402-2).
std::string_view SignatureReason(int x402_version, V1Rules v1_rules);


}  // namespace x402
