#include "x402/evm/exact/eip3009_rules.h"

#include "base/text.h"

namespace x402 {
namespace {

// Where the rows come from (paths inside the npm packages tests/e2e installs).
constexpr std::string_view kV1Source =
    "x402 1.2.0 dist/esm/chunk-XXPWMKP6.mjs, src/schemes/exact/evm/facilitator.ts verify()";
constexpr std::string_view kV2Source =
    "@x402/evm 2.27.0 dist/esm/exact/facilitator/index.mjs, src/exact/facilitator/eip3009.ts "
    "verifyEIP3009() (reasons: src/exact/facilitator/errors.ts)";
constexpr std::string_view kEvmV1Source =
    "@x402/evm 2.27.0 dist/esm/exact/v1/facilitator/index.mjs, src/exact/v1/facilitator/scheme.ts "
    "ExactEvmSchemeV1._verify() (reasons: src/exact/facilitator/errors.ts)";
constexpr std::string_view kShapeSource = "x402-dev `verification: shape`";

// --- the conditions, shared by the rule sets ---------------------------------------------------

bool RecipientIsPayTo(const ExactAuthorization& a, const PaymentRequirements& o, int64_t) {
  // Both references compare getAddress(to) with getAddress(payTo): checksum case is ignored.
  return EqualsIgnoreCaseAscii(a.to, o.pay_to);
}
std::string ExplainRecipient(const ExactAuthorization& a, const PaymentRequirements& o, int64_t) {
  return "authorization.to " + a.to + " is not payTo " + o.pay_to;
}

bool ValueCoversPrice(const ExactAuthorization& a, const PaymentRequirements& o, int64_t) {
  return a.value >= o.amount;
}
std::string ExplainValueBelowPrice(const ExactAuthorization& a, const PaymentRequirements& o,
                                   int64_t) {
  return "authorization.value " + a.value_text + " is less than the price " + AtomicString(o.amount) +
         " (" + FormatUnits(o.amount.units, o.asset_decimals) + " " + o.asset_symbol + ")";
}

bool ValueIsPrice(const ExactAuthorization& a, const PaymentRequirements& o, int64_t) {
  return a.value == o.amount;
}
std::string ExplainValueNotPrice(const ExactAuthorization& a, const PaymentRequirements& o,
                                 int64_t) {
  return "authorization.value " + a.value_text + " is not the amount " + AtomicString(o.amount) + " (" +
         FormatUnits(o.amount.units, o.asset_decimals) + " " + o.asset_symbol + "); v2 exact payments must equal it";
}

std::string ExplainValueNotMaxAmount(const ExactAuthorization& a, const PaymentRequirements& o, int64_t) {
  return "authorization.value " + a.value_text + " is not maxAmountRequired " + AtomicString(o.amount) + " (" +
         FormatUnits(o.amount.units, o.asset_decimals) + " " + o.asset_symbol +
         "); @x402/evm's v1 facilitator (mock_server.v1_rules: x402-2) wants it equal, where x402 1.2.0 takes more";
}

bool AlreadyValid(const ExactAuthorization& a, const PaymentRequirements&, int64_t now) {
  return a.valid_after <= now;
}
std::string ExplainNotYetValid(const ExactAuthorization& a, const PaymentRequirements&,
                               int64_t now) {
  return "the payment is not valid yet (validAfter " + std::to_string(a.valid_after) +
         " is after now " + std::to_string(now) + ")";
}

bool NotExpired(const ExactAuthorization& a, const PaymentRequirements&, int64_t now) {
  return now < a.valid_before;
}
std::string ExplainExpired(const ExactAuthorization& a, const PaymentRequirements&, int64_t now) {
  return "the payment has expired (validBefore " + std::to_string(a.valid_before) +
         " is not after now " + std::to_string(now) + ")";
}

bool ValidLongEnoughToSettle(const ExactAuthorization& a, const PaymentRequirements&,
                             int64_t now) {
  return a.valid_before >= now + kValidBeforeMarginSeconds;
}
std::string ExplainTooShort(const ExactAuthorization& a, const PaymentRequirements&, int64_t now) {
  return "the payment has expired or expires too soon to settle (validBefore " +
         std::to_string(a.valid_before) + " is less than now " + std::to_string(now) + " + " +
         std::to_string(kValidBeforeMarginSeconds) + " s)";
}

// --- the tables --------------------------------------------------------------------------------

constexpr ExactRule kShapeRules[] = {
    {"recipient", "invalid_exact_evm_payload_recipient_mismatch", kShapeSource, RecipientIsPayTo,
     ExplainRecipient},
    {"value_at_least_price", "invalid_exact_evm_payload_authorization_value", kShapeSource,
     ValueCoversPrice, ExplainValueBelowPrice},
    {"valid_after", "invalid_exact_evm_payload_authorization_valid_after", kShapeSource,
     AlreadyValid, ExplainNotYetValid},
    {"valid_before", "invalid_exact_evm_payload_authorization_valid_before", kShapeSource,
     NotExpired, ExplainExpired},
};

// x402 1.2.0 verify(): scheme, network, signature (before this table), then these, in order.
// Its balance check (insufficient_funds, between valid_after and value) is the ledger's, at
// settle time.
constexpr ExactRule kX402V1Rules[] = {
    {"recipient", "invalid_exact_evm_payload_recipient_mismatch", kV1Source, RecipientIsPayTo,
     ExplainRecipient},
    {"valid_before", "invalid_exact_evm_payload_authorization_valid_before", kV1Source,
     ValidLongEnoughToSettle, ExplainTooShort},
    {"valid_after", "invalid_exact_evm_payload_authorization_valid_after", kV1Source,
     AlreadyValid, ExplainNotYetValid},
    {"value_at_least_price", "invalid_exact_evm_payload_authorization_value", kV1Source,
     ValueCoversPrice, ExplainValueBelowPrice},
};

// @x402/evm 2.27 verifyEIP3009(): scheme, EIP-712 domain, network, signature (before this
// table), then these, in order. Its simulation (nonce used, balance) is the replay set's and
// the ledger's, at settle time.
constexpr ExactRule kX402EvmV2Rules[] = {
    {"recipient", "invalid_exact_evm_recipient_mismatch", kV2Source, RecipientIsPayTo,
     ExplainRecipient},
    {"valid_before", "invalid_exact_evm_payload_authorization_valid_before", kV2Source,
     ValidLongEnoughToSettle, ExplainTooShort},
    {"valid_after", "invalid_exact_evm_payload_authorization_valid_after", kV2Source,
     AlreadyValid, ExplainNotYetValid},
    {"value_equals_amount", "invalid_exact_evm_payload_authorization_value_mismatch", kV2Source,
     ValueIsPrice, ExplainValueNotPrice},
};

// @x402/evm 2.27 ExactEvmSchemeV1._verify(): scheme, network, EIP-712 domain, signature
// (before this table), then these, in order — v2's checks with v1's amount field and its own
// reason for the value (ErrInvalidAuthorizationValue). Its simulation is the replay set's and
// the ledger's, at settle time, named as v2 names them.
constexpr ExactRule kX402EvmV1Rules[] = {
    {"recipient", "invalid_exact_evm_recipient_mismatch", kEvmV1Source, RecipientIsPayTo, ExplainRecipient},
    {"valid_before", "invalid_exact_evm_payload_authorization_valid_before", kEvmV1Source, ValidLongEnoughToSettle,
     ExplainTooShort},
    {"valid_after", "invalid_exact_evm_payload_authorization_valid_after", kEvmV1Source, AlreadyValid,
     ExplainNotYetValid},
    {"value_equals_max_amount", "invalid_exact_evm_authorization_value", kEvmV1Source, ValueIsPrice,
     ExplainValueNotMaxAmount},
};

}  // namespace

RuleSet RuleSetFor(int x402_version, Verification verification, V1Rules v1_rules) {
  if (verification == Verification::kShape) return RuleSet::kShape;
  if (x402_version != 1) return RuleSet::kX402EvmV2;
  return v1_rules == V1Rules::kX402_2 ? RuleSet::kX402EvmV1 : RuleSet::kX402V1;
}

std::span<const ExactRule> ExactRules(RuleSet set) {
  switch (set) {
    case RuleSet::kShape: return kShapeRules;
    case RuleSet::kX402V1: return kX402V1Rules;
    case RuleSet::kX402EvmV2: return kX402EvmV2Rules;
    case RuleSet::kX402EvmV1: return kX402EvmV1Rules;
  }
  return kShapeRules;
}

std::optional<RuleBreach> FirstBrokenRule(RuleSet set, const ExactAuthorization& auth,
                                          const PaymentRequirements& offered, int64_t now) {
  for (const ExactRule& rule : ExactRules(set)) {
    if (!rule.holds(auth, offered, now)) {
      return RuleBreach{std::string(rule.reason), rule.explain(auth, offered, now)};
    }
  }
  return std::nullopt;
}

std::string_view UsedAuthorizationReason(int x402_version) {
  // v2: @x402/evm errors.ts ErrEip3009NonceAlreadyUsed, given by
  // diagnoseEip3009SimulationFailure() when authorizationState(from, nonce) is true and by
  // parseEip3009TransferError() when settle's transferWithAuthorization reverts with
  // "authorization is used". v1: x402 1.2.0 settle() has no such check; the transaction
  // reverts and it answers invalid_transaction_state (one of its ErrorReasons, so its zod
  // schemas parse it).
  return x402_version == 1 ? "invalid_transaction_state" : "invalid_exact_evm_nonce_already_used";
}

std::string_view InsufficientFundsReason(int x402_version) {
  // v1: x402 1.2.0 verify() after getERC20Balance(); v2: @x402/evm
  // diagnoseEip3009SimulationFailure() (ErrEip3009InsufficientBalance).
  return x402_version == 1 ? "insufficient_funds" : "invalid_exact_evm_insufficient_balance";
}

std::string_view SignatureReason(int x402_version, V1Rules v1_rules) {
  return x402_version == 1 && v1_rules == V1Rules::kX402_1_2 ? "invalid_exact_evm_payload_signature"
                                                             : "invalid_exact_evm_signature";
}

const ChainReasons& Eip3009ChainReasons(int x402_version, V1Rules v1_rules) {
  // The token contract is asked the same at verify (simulation) and settle (the transfer).
  static constexpr auto kReasons = [](int version) {
    return ChainReasons{
        .used_at_verify = UsedAuthorizationReason(version),
        .used_at_settle = UsedAuthorizationReason(version),
        .unfunded_at_verify = InsufficientFundsReason(version),
        .unfunded_at_settle = InsufficientFundsReason(version),
        .no_allowance_at_verify = "",
        .no_allowance_at_settle = "",
        .beyond_window = "invalid_exact_evm_payload_authorization_valid_before",
        .charge_exceeds = "",
        // diagnoseEip3009SimulationFailure()'s last resort; x402 1.2.0 has no simulation.
        .reverted_at_verify = version == 1 ? "invalid_transaction_state" : "invalid_exact_evm_transaction_simulation_failed",
        // x402 1.2.0 takes value >= amount; @x402/evm 2.27 wants it equal.
        .amount_mismatch = version == 1 ? "invalid_exact_evm_payload_authorization_value"
                                        : "invalid_exact_evm_payload_authorization_value_mismatch",
        .funds_before_nonce = false,
        .settle_funds_before_nonce = false,
        .settle_simulates = false,
        // With its RPC unreachable, @x402/evm's verify (verifyEIP3009() in
        // src/exact/facilitator/eip3009.ts) fails at the signature: verifyTypedDataSignature()
        // asks eth_getCode of the payer, and verifyHashSignature() (src/shared/verifySignature.ts)
        // answers a failed call as an invalid signature. x402 1.2.0's verify throws on its
        // first call (verifyTypedData): its facilitator's catch-all is unexpected_verify_error.
        .unreachable_at_verify = version == 1 ? "unexpected_verify_error" : "invalid_exact_evm_signature",
        .unreachable_message = version == 1
                                   ? "HTTP request failed (simulated rpc-outage: the facilitator's RPC is unreachable)"
                                   : "simulated rpc-outage: the facilitator's RPC is unreachable, and @x402/evm reports "
                                     "a failed eth_getCode as an invalid signature (verifyHashSignature)",
    };
  };
  static const ChainReasons v1 = kReasons(1), v2 = kReasons(2);
  // @x402/evm's v1 facilitator: at verify, v2's diagnosis (diagnoseEip3009SimulationFailure());
  // its settle() re-verifies without simulating and answers a reverted transfer with viem's
  // raw revert text as errorReason, which the mock does not make up: it answers x402 1.2.0's
  // invalid_transaction_state there (a reason the v1 server's schema parses).
  static const ChainReasons evm_v1 = [] {
    ChainReasons r = kReasons(2);
    r.used_at_settle = "invalid_transaction_state";
    r.unfunded_at_settle = "invalid_transaction_state";
    r.amount_mismatch = "invalid_exact_evm_authorization_value";
    // ExactEvmSchemeV1._verify() checks the signature the same way (verifyTypedDataSignature()).
    return r;
  }();
  if (x402_version != 1) return v2;
  return v1_rules == V1Rules::kX402_2 ? evm_v1 : v1;
}

}  // namespace x402
