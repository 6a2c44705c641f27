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

// getAddress(x) === getAddress(y): the reference throws on a text that is not an address.
bool SameAddress(std::string_view a, std::string_view b) { return IsWireAddress(a) && EqualsIgnoreCaseAscii(a, b); }

bool ExactSpender(const Permit2Context& c) { return SameAddress(c.auth.spender, kExactPermit2Proxy); }
std::string ExplainExactSpender(const Permit2Context& c) {
  return "permit2Authorization.spender " + c.auth.spender + " is not x402's exact Permit2 proxy " +
         std::string(kExactPermit2Proxy);
}

bool UptoSpender(const Permit2Context& c) { return SameAddress(c.auth.spender, kUptoPermit2Proxy); }
std::string ExplainUptoSpender(const Permit2Context& c) {
  return "permit2Authorization.spender " + c.auth.spender + " is not x402's upto Permit2 proxy " +
         std::string(kUptoPermit2Proxy);
}

bool Recipient(const Permit2Context& c) { return SameAddress(c.auth.witness_to, c.offered.pay_to); }
std::string ExplainRecipient(const Permit2Context& c) {
  return "witness.to " + c.auth.witness_to + " is not payTo " + c.offered.pay_to;
}

bool Facilitator(const Permit2Context& c) { return SameAddress(c.auth.witness_facilitator, kFacilitatorAddress); }
std::string ExplainFacilitator(const Permit2Context& c) {
  return "witness.facilitator " + c.auth.witness_facilitator + " is not this facilitator (" +
         std::string(kFacilitatorAddress) + ", the offer's extra.facilitatorAddress): only it may settle";
}

bool Deadline(const Permit2Context& c) { return c.auth.deadline && c.auth.deadline_seconds() >= c.now + kDeadlineMarginSeconds; }
std::string ExplainDeadline(const Permit2Context& c) {
  if (!c.auth.deadline) return "permit2Authorization.deadline is not an integer (a Unix time as a decimal string)";
  return "the permit has expired or expires too soon to settle (deadline " + c.auth.deadline->ToDecimal() +
         " is less than now " + std::to_string(c.now) + " + " + std::to_string(kDeadlineMarginSeconds) + " s)";
}

bool ValidAfter(const Permit2Context& c) { return c.auth.valid_after && c.auth.valid_after_seconds() <= c.now; }
std::string ExplainValidAfter(const Permit2Context& c) {
  if (!c.auth.valid_after) return "witness.validAfter is not an integer (a Unix time as a decimal string)";
  return "the permit is not valid yet (witness.validAfter " + c.auth.valid_after->ToDecimal() + " is after now " +
         std::to_string(c.now) + ")";
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

bool Token(const Permit2Context& c) { return SameAddress(c.auth.token, c.offered.asset); }
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
// permit2_simulation_failed (a used nonce, or any other revert, is never named at verify). The
// exact scheme settles without simulating (simulateInSettle false) and maps the revert
// (mapSettleError(): InvalidNonce → permit2_invalid_nonce, InvalidAmount, InvalidDestination,
// Permit2612AmountMismatch, InvalidSignature by name; a failed transfer from the token is
// invalid_exact_evm_transaction_failed followed by the revert's text); upto re-verifies with its
// simulation on (simulateInSettle true), so it answers as verify does. A deadline beyond what
// the mock can remember is the mock's own limit, not a reference reason.
// With its RPC unreachable, the reference's Permit2 verify throws before anything else that
// needs the chain: validateAssetIsContract() (@x402/evm's shared asset check, startAssetContractCheck()
// in src/assetCache.ts) fails its eth_getCode with this text, and x402Facilitator.verify()
// rethrows it; an HTTP facilitator answers it as an error. The mock answers it as
// unexpected_verify_error with the reference's words.
constexpr std::string_view kPermit2Unreachable =
    "failed to check whether asset is a contract: HTTP request failed. Details: fetch failed "
    "(simulated rpc-outage: the facilitator's RPC is unreachable)";
constexpr ChainReasons kExactReasons = {
    .used_at_verify = "permit2_simulation_failed",
    .used_at_settle = "permit2_invalid_nonce",
    .unfunded_at_verify = "permit2_insufficient_balance",
    .unfunded_at_settle = "invalid_exact_evm_transaction_failed",
    .no_allowance_at_verify = "permit2_allowance_required",
    .no_allowance_at_settle = "invalid_exact_evm_transaction_failed",
    .beyond_window = "unexpected_settle_error",
    .charge_exceeds = "",
    .reverted_at_verify = "permit2_simulation_failed",
    .amount_mismatch = "permit2_amount_mismatch",
    .funds_before_nonce = true,
    .settle_funds_before_nonce = false,
    .settle_simulates = false,
    .unreachable_at_verify = "unexpected_verify_error",
    .unreachable_message = kPermit2Unreachable,
};
constexpr ChainReasons kUptoReasons = {
    .used_at_verify = "permit2_simulation_failed",
    .used_at_settle = "permit2_simulation_failed",
    .unfunded_at_verify = "permit2_insufficient_balance",
    .unfunded_at_settle = "permit2_insufficient_balance",
    .no_allowance_at_verify = "permit2_allowance_required",
    .no_allowance_at_settle = "permit2_allowance_required",
    .beyond_window = "unexpected_settle_error",
    .charge_exceeds = "invalid_upto_evm_payload_settlement_exceeds_amount",
    .reverted_at_verify = "permit2_simulation_failed",
    .amount_mismatch = "permit2_amount_mismatch",
    .funds_before_nonce = true,
    .settle_funds_before_nonce = true,
    .settle_simulates = false,
    .unreachable_at_verify = "unexpected_verify_error",
    .unreachable_message = kPermit2Unreachable,
};

// The signature step, as verifyTypedDataSignature() (src/shared/verifySignature.ts) and
// Permit2's SignatureVerification see it: a 65-byte ECDSA signature recovered and compared with
// permit2Authorization.from ("0x" lower case, as viem reads hex); a longer one is a contract
// wallet's (ERC-1271), which the mock cannot call; an ERC-6492 wrapper is never unwrapped for
// Permit2, so an undeployed wallet's signature fails.
void CheckSignatureOf(Permit2Witness witness, const PaymentRequirements& option, const PaymentCheck& check,
                      Permit2Authorization* auth) {
  const auto* prepared = dynamic_cast<const Permit2Domain*>(option.prepared.get());
  const Hash32 separator = prepared != nullptr ? prepared->separator : Permit2DomainSeparator(ChainIdOf(option.caip2));
  std::string problem;
  const auto digest = Permit2Digest(*auth, witness, separator, &problem);
  const auto from = IsWireAddress(auth->from) ? ParseEvmAddress(auth->from) : std::nullopt;
  if (!from) {
    auth->signature_problem = "permit2Authorization.from must be an address (0x + 40 hex digits)";
    return;
  }
  if (!digest) {
    auth->signature_problem = "the signed message does not read: " + problem;
    return;
  }
  const bool lower_prefix = auth->signature.size() > 2 && auth->signature[1] == 'x';
  auth->signature_check = CheckSignature(*digest, auth->signature, *from);
  const SignatureCheck& s = auth->signature_check;
  if (!lower_prefix || s.kind == SignatureKind::kUnreadable) {
    auth->signature_problem = "payload.signature must be 0x-prefixed hex of at least 65 bytes";
    return;
  }
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
  if (s.kind == SignatureKind::kErc6492) {
    auth->signature_problem = "an ERC-6492 signature (a wallet not deployed yet): Permit2 passes it to the wallet "
                              "as it is, so it cannot check; deploy the wallet first";
    return;
  }
  auth->signature_accepted = check.smart_wallets == SmartWalletPolicy::kAccept;
  auth->signature_problem = "smart-wallet signature (" + std::string(ToString(s.kind)) +
                            ") cannot be verified offline, and mock_server.smart_wallet_signatures refuses it";
}

// ecrecover, as Permit2's SignatureVerification calls it, takes v = 27 or 28 only; viem's
// recovery (the reference's verify) takes 0 and 1 too, so the simulation or the settle fails.
bool VIsZeroOrOne(std::string_view signature) {
  if (signature.size() != 132) return false;
  return signature.substr(130) == "00" || signature.substr(130) == "01";
}

// What Permit2's proxy (x402BasePermit2Proxy _settle) refuses before any transfer, and an
// EIP-2612 permit whose value is not the amount (Permit2612AmountMismatch). "" when none.
void FindRevert(const Permit2Authorization& auth, const PaymentRequirements& option, const Eip2612Check& sponsoring,
                const Uint256& amount, PaymentVerdict* verdict) {
  auto set = [verdict](std::string_view reason, std::string message) {
    verdict->revert_reason = std::string(reason);
    verdict->revert_message = std::move(message);
  };
  if (amount.IsZero()) return set("permit2_invalid_amount", "the proxy refuses a transfer of 0 (InvalidAmount)");
  const auto to = ParseEvmAddress(option.pay_to);
  if (to && *to == EvmAddress{}) {
    return set("permit2_invalid_destination", "the proxy refuses the zero address as payTo (InvalidDestination)");
  }
  if (sponsoring.value_mismatch) return set("permit2_2612_amount_mismatch", sponsoring.message);
  if (auth.signature_check.kind == SignatureKind::kEcdsa && VIsZeroOrOne(auth.signature)) {
    return set("invalid_permit2_signature",
               "the signature's v is 0 or 1: viem recovers it, but ecrecover (Permit2's SignatureVerification) "
               "takes 27 or 28 only, so the transfer reverts (InvalidSignature)");
  }
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
  if (!ReadPermit2Authorization(payload, witness, &auth, &problem)) {
    PaymentVerdict refused = Refusal("invalid_payload", problem);
    refused.payer = Permit2Payer(payload);
    return refused;
  }
  PaymentVerdict verdict;
  verdict.payer = Permit2Payer(payload);
  if (strict && !ParseEvmAddress(option.asset)) {
    // getAddress(requirements.asset) throws in the reference: no token to compare with.
    verdict.reason = "invalid_payment_requirements";
    verdict.message = "paymentRequirements.asset '" + option.asset + "' is not an EVM address (0x + 40 hex digits)";
    return verdict;
  }
  if (strict) {
    CheckSignatureOf(witness, option, check, &auth);
  } else {
    auth.signature_accepted = true;  // `verification: shape` checks the fields only
  }
  // At a facilitator's upto settle the requirements carry the charge; the reference checks the
  // payload against its own maximum (settleUptoPermit2(): verifyRequirements.amount =
  // permitted.amount) and compares the charge after the chain's checks.
  const bool settling = check.as_facilitator && check.settling;
  const Uint256 expected = settling && upto && auth.amount ? *auth.amount : option.amount.units;
  const Permit2Context context{auth, option, expected, check.now};
  for (const Permit2Rule& rule : Permit2Rules(witness)) {
    if (rule.holds(context)) continue;
    verdict.reason = std::string(rule.reason);
    verdict.message = rule.explain(context);
    return verdict;
  }
  if (!auth.nonce) {  // strict: the signature rule refused it; shape reaches here
    verdict.reason = "invalid_payload";
    verdict.message = "permit2Authorization.nonce must be a uint256 (decimal digits)";
    return verdict;
  }
  const Uint256 amount = *auth.amount;  // the amount rule held
  // The extension's fields are checked where the reference simulates (verify, and upto's
  // settle); exact's settle sends it as it is, and the token swallows a bad permit.
  const bool simulates = !settling || upto;
  const Eip2612Check sponsoring =
      CheckEip2612GasSponsoring(extensions, auth.from, option, amount, check.now, strict, /*check_fields=*/simulates);
  if (!sponsoring.reason.empty()) {
    verdict.reason = sponsoring.reason;
    verdict.message = sponsoring.message;
    return verdict;
  }
  verdict.valid = true;
  verdict.amount = amount.ToDecimal();
  verdict.valid_before = auth.deadline_seconds();
  verdict.replay_key = Permit2ReplayKey(option.caip2, auth.from, *auth.nonce);
  verdict.chain = &Permit2ChainReasons(witness);
  verdict.allowance.needed = true;
  // A payer approves Permit2 for a token it pays through Permit2: assumed when the offer asked
  // for it (upto always does).
  verdict.allowance.assumed = upto || TextField(option.extra, "assetTransferMethod") == "permit2";
  verdict.allowance.brought = sponsoring.grants_allowance;
  verdict.allowance.permit_key = sponsoring.permit_key;
  verdict.allowance.permit_expires = sponsoring.permit_expires;
  verdict.allowance.spender = "the Permit2 contract (" + std::string(kPermit2Address) + ")";
  verdict.allowance.hint = "approve it first, or send an eip2612GasSponsoring permit with the payment";
  if (strict) FindRevert(auth, option, sponsoring, amount, &verdict);
  verdict.details.emplace_back("transfer", "permit2");
  verdict.details.emplace_back("nonce", auth.nonce->ToDecimal());
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
    if (settling) verdict.charge = AtomicString(option.amount);
  }
  return verdict;
}

}  // namespace x402::evm
