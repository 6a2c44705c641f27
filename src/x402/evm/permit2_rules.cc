#include "x402/evm/permit2_rules.h"

#include <boost/json.hpp>

#include "base/text.h"
#include "x402/evm/eip2612_gas_sponsoring.h"
#include "x402/evm/evm_address.h"
#include "x402/evm/evm_networks.h"
#include "x402/json_fields.h"
#include "x402/money.h"
#include "x402/payment.h"

namespace x402::evm {
namespace {

namespace json = boost::json;

// Where the rows come from (paths inside the npm packages tests/e2e installs).
constexpr std::string_view kExactSource =
    "@x402/evm 2.27.0 src/exact/facilitator/permit2.ts verifyPermit2() (reasons: "
    "src/exact/facilitator/errors.ts)";
constexpr std::string_view kUptoSource =
    "@x402/evm 2.27.0 src/upto/facilitator/permit2.ts verifyUptoPermit2() (reasons: "
    "src/upto/facilitator/errors.ts)";

// Both references compare the payload's deadline with now + 6 s: settling takes blocks.
constexpr int64_t kDeadlineMarginSeconds = 6;

std::string Units(const Uint256& value, const PaymentRequirements& o) {
  return value.ToDecimal() + " (" + FormatUnits(value, o.asset_decimals) + " " + o.asset_symbol + ")";
}

// --- the conditions -------------------------------------------------------------------------------

bool ExactSpender(const Permit2Context& c) { return EqualsIgnoreCaseAscii(c.auth.spender, kExactPermit2Proxy); }
std::string ExplainExactSpender(const Permit2Context& c) {
  return "permit2Authorization.spender " + c.auth.spender + " is not x402's exact Permit2 proxy " +
         std::string(kExactPermit2Proxy);
}

bool UptoSpender(const Permit2Context& c) { return EqualsIgnoreCaseAscii(c.auth.spender, kUptoPermit2Proxy); }
std::string ExplainUptoSpender(const Permit2Context& c) {
  return "permit2Authorization.spender " + c.auth.spender + " is not x402's upto Permit2 proxy " +
         std::string(kUptoPermit2Proxy);
}

bool Recipient(const Permit2Context& c) { return EqualsIgnoreCaseAscii(c.auth.witness_to, c.offered.pay_to); }
std::string ExplainRecipient(const Permit2Context& c) {
  return "witness.to " + c.auth.witness_to + " is not payTo " + c.offered.pay_to;
}

bool Facilitator(const Permit2Context& c) { return EqualsIgnoreCaseAscii(c.auth.witness_facilitator, kFacilitatorAddress); }
std::string ExplainFacilitator(const Permit2Context& c) {
  return "witness.facilitator " + c.auth.witness_facilitator + " is not this facilitator (" +
         std::string(kFacilitatorAddress) + ", the offer's extra.facilitatorAddress): only it may settle";
}

bool Deadline(const Permit2Context& c) { return c.auth.deadline >= c.now + kDeadlineMarginSeconds; }
std::string ExplainDeadline(const Permit2Context& c) {
  return "the permit has expired or expires too soon to settle (deadline " + std::to_string(c.auth.deadline) +
         " is less than now " + std::to_string(c.now) + " + " + std::to_string(kDeadlineMarginSeconds) + " s)";
}

bool ValidAfter(const Permit2Context& c) { return c.auth.valid_after <= c.now; }
std::string ExplainValidAfter(const Permit2Context& c) {
  return "the permit is not valid yet (witness.validAfter " + std::to_string(c.auth.valid_after) +
         " is after now " + std::to_string(c.now) + ")";
}

bool Amount(const Permit2Context& c) { return c.auth.amount && *c.auth.amount == c.expected_amount; }
std::string ExplainAmount(const Permit2Context& c) {
  if (!c.auth.amount) {
    return "permitted.amount '" + c.auth.amount_text +
           "' is not a uint256 in plain decimal digits (no sign, no leading zero), as x402 clients write it";
  }
  return "permitted.amount " + c.auth.amount_text + " is not the amount " + Units(c.expected_amount, c.offered) +
         (c.offered.scheme == "upto" ? "; an upto payment authorizes exactly the offered maximum" : "");
}

bool Token(const Permit2Context& c) { return EqualsIgnoreCaseAscii(c.auth.token, c.offered.asset); }
std::string ExplainToken(const Permit2Context& c) {
  return "permitted.token " + c.auth.token + " is not the asset " + c.offered.asset + " (" + c.offered.asset_symbol + ")";
}

bool Signature(const Permit2Context& c) { return c.auth.signature_accepted; }
std::string ExplainSignature(const Permit2Context& c) { return c.auth.signature_problem; }

// --- the tables --------------------------------------------------------------------------------

// verifyPermit2(): scheme (unsupported_payload_type) and network before these (the
// facilitator's look at `accepted`); the asset-code check (not offline) before the signature.
constexpr Permit2Rule kExactRules[] = {
    {"spender", "invalid_permit2_spender", kExactSource, ExactSpender, ExplainExactSpender},
    {"recipient", "invalid_permit2_recipient_mismatch", kExactSource, Recipient, ExplainRecipient},
    {"deadline", "permit2_deadline_expired", kExactSource, Deadline, ExplainDeadline},
    {"valid_after", "permit2_not_yet_valid", kExactSource, ValidAfter, ExplainValidAfter},
    {"amount", "permit2_amount_mismatch", kExactSource, Amount, ExplainAmount},
    {"token", "permit2_token_mismatch", kExactSource, Token, ExplainToken},
    {"signature", "invalid_permit2_signature", kExactSource, Signature, ExplainSignature},
};

// verifyUptoPermit2(): scheme (invalid_upto_evm_scheme) and network
// (invalid_upto_evm_network_mismatch) before these.
constexpr Permit2Rule kUptoRules[] = {
    {"spender", "invalid_permit2_spender", kUptoSource, UptoSpender, ExplainUptoSpender},
    {"recipient", "invalid_permit2_recipient_mismatch", kUptoSource, Recipient, ExplainRecipient},
    {"facilitator", "upto_facilitator_mismatch", kUptoSource, Facilitator, ExplainFacilitator},
    {"deadline", "permit2_deadline_expired", kUptoSource, Deadline, ExplainDeadline},
    {"valid_after", "permit2_not_yet_valid", kUptoSource, ValidAfter, ExplainValidAfter},
    {"amount", "permit2_amount_mismatch", kUptoSource, Amount, ExplainAmount},
    {"token", "permit2_token_mismatch", kUptoSource, Token, ExplainToken},
    {"signature", "invalid_permit2_signature", kUptoSource, Signature, ExplainSignature},
};

// What the chain says. verify simulates the transfer and, when it fails,
// diagnosePermit2SimulationFailure() names the balance, then the allowance, else
// permit2_simulation_failed (a used nonce is never named at verify). The exact scheme settles
// without simulating (simulateInSettle false) and maps the revert (mapSettleError():
// InvalidNonce → permit2_invalid_nonce, others invalid_exact_evm_transaction_failed); upto
// re-verifies with its simulation on (simulateInSettle true), so it answers as verify does.
constexpr ChainReasons kExactReasons = {
    .used_at_verify = "permit2_simulation_failed",
    .used_at_settle = "permit2_invalid_nonce",
    .unfunded_at_verify = "permit2_insufficient_balance",
    .unfunded_at_settle = "invalid_exact_evm_transaction_failed",
    .no_allowance_at_verify = "permit2_allowance_required",
    .no_allowance_at_settle = "invalid_exact_evm_transaction_failed",
    .beyond_window = "permit2_deadline_expired",
    .charge_exceeds = "",
    .funds_before_nonce = true,
    .settle_funds_before_nonce = false,
};
constexpr ChainReasons kUptoReasons = {
    .used_at_verify = "permit2_simulation_failed",
    .used_at_settle = "permit2_simulation_failed",
    .unfunded_at_verify = "permit2_insufficient_balance",
    .unfunded_at_settle = "permit2_insufficient_balance",
    .no_allowance_at_verify = "permit2_allowance_required",
    .no_allowance_at_settle = "permit2_allowance_required",
    .beyond_window = "permit2_deadline_expired",
    .charge_exceeds = "invalid_upto_evm_payload_settlement_exceeds_amount",
    .funds_before_nonce = true,
    .settle_funds_before_nonce = true,
};

// The signature step: recovers the signer of the PermitWitnessTransferFrom digest and
// compares it with permit2Authorization.from; smart wallets as the policy says.
void CheckSignatureOf(const json::object& payload, Permit2Witness witness, const PaymentRequirements& option,
                      const PaymentCheck& check, Permit2Authorization* auth) {
  const auto* prepared = dynamic_cast<const Permit2Domain*>(option.prepared.get());
  const Hash32 separator = prepared != nullptr ? prepared->separator : Permit2DomainSeparator(ChainIdOf(option.caip2));
  const auto digest = Permit2Digest(payload, witness, separator);
  const auto from = ParseEvmAddress(auth->from);
  if (!digest || !from) {
    auth->signature_problem = "the signed message does not read (a field of permit2Authorization is not its type)";
    return;
  }
  auth->signature_check = CheckSignature(*digest, auth->signature, *from);
  const SignatureCheck& s = auth->signature_check;
  if (s.kind == SignatureKind::kEcdsa) {
    auth->signature_accepted = s.matches;
    auth->signature_problem =
        s.recovered.empty()
            ? "the signature recovers no signer (r, s or v out of range) for " + auth->from
            : "the Permit2 signature recovers " + s.recovered + ", not permit2Authorization.from " + auth->from +
                  " (signed by another key, or a signed field was changed; the domain is Permit2's: "
                  "{name: \"Permit2\", chainId, verifyingContract: " + std::string(kPermit2Address) + "}, no version)";
    return;
  }
  auth->signature_accepted = check.smart_wallets == SmartWalletPolicy::kAccept;
  auth->signature_problem = "smart-wallet signature (" + std::string(ToString(s.kind)) +
                            ") cannot be verified offline, and mock_server.smart_wallet_signatures refuses it";
}

}  // namespace

std::span<const Permit2Rule> Permit2Rules(Permit2Witness witness) {
  if (witness == Permit2Witness::kUpto) return kUptoRules;
  return kExactRules;
}

const ChainReasons& Permit2ChainReasons(Permit2Witness witness) {
  return witness == Permit2Witness::kUpto ? kUptoReasons : kExactReasons;
}

PaymentVerdict CheckPermit2Payment(const json::object& payload, const json::object* extensions,
                                   const PaymentRequirements& option, const PaymentCheck& check,
                                   Permit2Witness witness) {
  const bool upto = witness == Permit2Witness::kUpto;
  const bool strict = check.verification == Verification::kStrict;
  if (upto && !IsUptoPermit2Payload(payload)) {
    // UptoEvmScheme.verify(): anything else is not its payload (the reference names no payer;
    // the mock still names the one it can read, for the log and the history).
    return Refusal("unsupported_payload_type",
                   "an upto payment carries {signature, permit2Authorization: {from, permitted: {token, amount}, "
                   "spender, nonce, deadline, witness: {to, facilitator, validAfter}}}, every field a string");
  }
  Permit2Authorization auth;
  std::string problem;
  const bool read = ReadPermit2Authorization(payload, witness, &auth, &problem);
  if (!read) {
    PaymentVerdict refused = Refusal("invalid_payload", problem);
    refused.payer = auth.from;
    return refused;
  }
  PaymentVerdict verdict;
  verdict.payer = auth.from;
  if (strict && !ParseEvmAddress(option.asset)) {
    // getAddress(requirements.asset) throws in the reference: no token to compare with.
    verdict.reason = "invalid_payment_requirements";
    verdict.message = "paymentRequirements.asset '" + option.asset + "' is not an EVM address (0x + 40 hex digits)";
    return verdict;
  }
  if (strict) {
    CheckSignatureOf(payload, witness, option, check, &auth);
  } else {
    auth.signature_accepted = true;  // `verification: shape` checks the fields only
  }
  // At a facilitator's upto settle the requirements carry the charge; the reference checks the
  // payload against its own maximum (settleUptoPermit2(): verifyRequirements.amount =
  // permitted.amount) and compares the charge after the chain's checks.
  const bool settling_upto = upto && check.as_facilitator && check.settling;
  const Uint256 expected = settling_upto && auth.amount ? *auth.amount : option.amount.units;
  const Permit2Context context{auth, option, expected, check.now};
  for (const Permit2Rule& rule : Permit2Rules(witness)) {
    if (rule.holds(context)) continue;
    verdict.reason = std::string(rule.reason);
    verdict.message = rule.explain(context);
    return verdict;
  }
  const Uint256 amount = *auth.amount;  // the amount rule held
  const Eip2612Check sponsoring =
      CheckEip2612GasSponsoring(extensions, auth.from, option, amount, check.now, strict);
  if (!sponsoring.reason.empty()) {
    verdict.reason = sponsoring.reason;
    verdict.message = sponsoring.message;
    return verdict;
  }
  verdict.valid = true;
  verdict.amount = amount.ToDecimal();
  verdict.valid_before = auth.deadline;
  verdict.replay_key = Permit2ReplayKey(option.caip2, auth.from, auth.nonce);
  verdict.chain = &Permit2ChainReasons(witness);
  verdict.needs_permit2_allowance = true;
  verdict.brings_permit2_allowance = sponsoring.grants_allowance;
  verdict.details.emplace_back("transfer", "permit2");
  verdict.details.emplace_back("nonce", auth.nonce.ToDecimal());
  if (strict) {
    verdict.details.emplace_back("signature", std::string(ToString(auth.signature_check.kind)));
    if (!auth.signature_check.recovered.empty()) verdict.details.emplace_back("recovered", auth.signature_check.recovered);
    if (auth.signature_check.kind != SignatureKind::kEcdsa) {
      verdict.unchecked = std::string(ToString(auth.signature_check.kind)) + " smart-wallet signature, not verified offline";
    }
  }
  if (sponsoring.present) {
    verdict.details.emplace_back("eip2612_permit", sponsoring.grants_allowance ? "grants the allowance" : sponsoring.message);
  }
  if (upto) {
    verdict.up_to = true;
    verdict.details.emplace_back("authorized", verdict.amount);
    if (settling_upto) verdict.charge = AtomicString(option.amount);
  }
  return verdict;
}

}  // namespace x402::evm
