#include "x402/payment.h"

#include <boost/json.hpp>
#include <optional>

#include "base/base64.h"
#include "base/text.h"
#include "x402/evm_address.h"
#include "x402/hex_bytes.h"
#include "x402/exact_rules.h"
#include "x402/networks.h"

namespace x402 {
namespace {

namespace json = boost::json;

// x402's zod schemas (and viem) take lowercase "0x" only.
bool IsHexString(std::string_view s) { return s.size() >= 3 && s[1] == 'x' && IsPrefixedHex(s); }

// A time as the references read it: BigInt(text), any uint256. Saturated at INT64_MAX for the
// comparisons with now (a 19-digit validBefore is far in the future, not malformed).
bool ParseUnixSeconds(std::string_view text, int64_t* out) {
  const auto value = Uint256::ParseDecimal(text);
  if (!value) return false;
  *out = value->SaturatedInt64();
  return true;
}

PaymentVerdict Reject(std::string reason, std::string message) {
  PaymentVerdict v;
  v.reason = std::move(reason);
  v.message = std::move(message);
  return v;
}

const json::string* StringField(const json::object& obj, std::string_view key) {
  const json::value* v = obj.if_contains(key);
  return v != nullptr ? v->if_string() : nullptr;
}

std::string Str(const json::string& s) { return std::string(s.data(), s.size()); }

// `verification: shape`: the v2 client copies the offer it chose into `accepted`; every field
// must be the one offered (docs/protocol.md §5), addresses in any case, and `extra` must
// contain the offered extra.
PaymentVerdict CheckAcceptedShape(const json::object& accepted, const PaymentRequirements& offered) {
  auto mismatch = [](std::string_view field, std::string_view got, std::string_view want) {
    return Reject("invalid_payment_requirements",
                  "accepted." + std::string(field) + " '" + std::string(got) +
                      "' does not match the offered '" + std::string(want) + "'");
  };
  const json::string* scheme = StringField(accepted, "scheme");
  if (scheme == nullptr || *scheme != offered.scheme) {
    return Reject("unsupported_scheme", "accepted.scheme must be '" + offered.scheme + "'");
  }
  const json::string* network = StringField(accepted, "network");
  if (network == nullptr || *network != offered.caip2) {
    return Reject("invalid_network", "accepted.network must be '" + offered.caip2 + "'" +
                                         (network ? ", got '" + Str(*network) + "'" : ""));
  }
  const json::string* amount = StringField(accepted, "amount");
  if (amount == nullptr || *amount != AtomicString(offered.amount)) {
    return mismatch("amount", amount ? Str(*amount) : "", AtomicString(offered.amount));
  }
  const json::string* asset = StringField(accepted, "asset");
  if (asset == nullptr || !EqualsIgnoreCaseAscii(Str(*asset), offered.asset)) {
    return mismatch("asset", asset ? Str(*asset) : "", offered.asset);
  }
  const json::string* pay_to = StringField(accepted, "payTo");
  if (pay_to == nullptr || !EqualsIgnoreCaseAscii(Str(*pay_to), offered.pay_to)) {
    return mismatch("payTo", pay_to ? Str(*pay_to) : "", offered.pay_to);
  }
  const json::value* timeout = accepted.if_contains("maxTimeoutSeconds");
  if (timeout == nullptr || !timeout->is_number() ||
      timeout->to_number<double>() != static_cast<double>(offered.max_timeout_seconds)) {
    return mismatch("maxTimeoutSeconds", timeout ? json::serialize(*timeout) : "",
                    std::to_string(offered.max_timeout_seconds));
  }
  const json::value* extra = accepted.if_contains("extra");
  const json::object* extra_obj = extra != nullptr ? extra->if_object() : nullptr;
  const json::string* name = extra_obj ? StringField(*extra_obj, "name") : nullptr;
  const json::string* version = extra_obj ? StringField(*extra_obj, "version") : nullptr;
  if (name == nullptr || *name != offered.extra_name || version == nullptr ||
      *version != offered.extra_version) {
    return mismatch("extra", extra ? json::serialize(*extra) : "",
                    "{\"name\":\"" + offered.extra_name + "\",\"version\":\"" +
                        offered.extra_version + "\"}");
  }
  PaymentVerdict ok;
  ok.valid = true;
  return ok;
}

// JSON equality as @x402/core's deepEqual() sees it: numbers by value, whatever their kind.
bool SameJson(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
  return a == b;
}

// Strict resource server: @x402/core 2.27 x402ResourceServer.findMatchingRequirements() →
// paymentRequirementsMatchAccepted() (dist/esm/chunk-FV2JN4FK.mjs): every field but `extra`
// deep-equal to the offer (exact text, so no case-insensitive addresses, and no field added
// or missing), and the offered `extra` a subset of the accepted one. Its 402 then says
// "No matching payment requirements".
PaymentVerdict CheckAcceptedEqualsOffer(const json::object& accepted,
                                        const PaymentRequirements& offered) {
  const json::object offer = RequirementsObjectV2(offered);
  auto no_match = [](std::string what) {
    return Reject("invalid_payment_requirements", "No matching payment requirements: " + what);
  };
  for (const auto& [key, want] : offer) {
    if (key == "extra") continue;
    const json::value* got = accepted.if_contains(key);
    if (got == nullptr || !SameJson(*got, want)) {
      return no_match("accepted." + std::string(key) + " " +
                      (got ? json::serialize(*got) : std::string("(missing)")) +
                      " is not the offered " + json::serialize(want));
    }
  }
  for (const auto& [key, got] : accepted) {
    if (key != "extra" && !offer.contains(key)) {
      return no_match("accepted." + std::string(key) + " was not in the offer");
    }
  }
  const json::object& offered_extra = offer.at("extra").get_object();
  const json::value* extra = accepted.if_contains("extra");
  const json::object* accepted_extra = extra != nullptr ? extra->if_object() : nullptr;
  for (const auto& [key, want] : offered_extra) {
    const json::value* got = accepted_extra ? accepted_extra->if_contains(key) : nullptr;
    if (got == nullptr || !SameJson(*got, want)) {
      return no_match("accepted.extra." + std::string(key) + " " +
                      (got ? json::serialize(*got) : std::string("(missing)")) +
                      " is not the offered " + json::serialize(want));
    }
  }
  PaymentVerdict ok;
  ok.valid = true;
  return ok;
}

// Strict facilitator, v2: @x402/evm 2.27 verifyEIP3009() (dist/esm/exact/facilitator/index.mjs)
// compares accepted.scheme and accepted.network with the requirements, and needs the EIP-712
// domain (extra.name, extra.version) in the requirements; nothing else of `accepted`.
PaymentVerdict CheckAcceptedAsFacilitator(const json::object& accepted,
                                          const PaymentRequirements& required) {
  const json::string* scheme = StringField(accepted, "scheme");
  if (scheme == nullptr || *scheme != "exact" || required.scheme != "exact") {
    return Reject("invalid_exact_evm_scheme", "accepted.scheme and the requirements' scheme must be 'exact'");
  }
  if (required.extra_name.empty() || required.extra_version.empty()) {
    return Reject("invalid_exact_evm_missing_eip712_domain",
                  "the requirements need extra.name and extra.version (the token's EIP-712 domain)");
  }
  const json::string* network = StringField(accepted, "network");
  if (network == nullptr || *network != required.caip2) {
    return Reject("invalid_exact_evm_network_mismatch",
                  "accepted.network " + (network ? "'" + Str(*network) + "'" : std::string("(missing)")) +
                      " is not the requirements' '" + required.caip2 + "'");
  }
  PaymentVerdict ok;
  ok.valid = true;
  return ok;
}

PaymentVerdict CheckAccepted(const json::object& accepted, const PaymentRequirements& offered,
                             const PaymentCheck& check) {
  if (check.verification == Verification::kShape) return CheckAcceptedShape(accepted, offered);
  return check.as_facilitator ? CheckAcceptedAsFacilitator(accepted, offered)
                              : CheckAcceptedEqualsOffer(accepted, offered);
}

// Reads the EIP-3009 authorization and its signature (common to both versions) and checks the
// shape of every field; the first field that is missing or malformed is the reason.
PaymentVerdict ReadExactAuthorization(const json::object& payload, ExactAuthorization* out) {
  const json::value* auth_value = payload.if_contains("authorization");
  const json::object* auth = auth_value != nullptr ? auth_value->if_object() : nullptr;
  if (auth == nullptr) return Reject("invalid_payload", "payload.authorization is missing");

  const json::string* from = StringField(*auth, "from");
  if (from == nullptr || !IsHex(*from, 40)) {
    return Reject("invalid_payload", "authorization.from must be an address (0x + 40 hex digits)");
  }
  PaymentVerdict verdict;
  verdict.payer = Str(*from);
  auto reject = [&verdict](std::string reason, std::string message) {
    verdict.reason = std::move(reason);
    verdict.message = std::move(message);
    return verdict;
  };

  const json::value* signature_value = payload.if_contains("signature");
  const json::string* signature = signature_value ? signature_value->if_string() : nullptr;
  // An EOA signature is 65 bytes; smart-wallet signatures (EIP-1271/6492) are longer.
  if (signature == nullptr || !IsHexString(*signature) || signature->size() < 2 + 130 ||
      signature->size() % 2 != 0) {
    return reject("invalid_exact_evm_payload_signature",
                  "payload.signature must be a hex signature of at least 65 bytes");
  }
  const json::string* to = StringField(*auth, "to");
  if (to == nullptr || !IsHex(*to, 40)) {
    return reject("invalid_payload", "authorization.to must be an address (0x + 40 hex digits)");
  }
  const json::string* value = StringField(*auth, "value");
  const auto amount = value ? ParseAtomic(Str(*value)) : std::nullopt;
  if (!amount) {
    return reject("invalid_payload", "authorization.value must be a decimal integer string");
  }
  const json::string* valid_after = StringField(*auth, "validAfter");
  const json::string* valid_before = StringField(*auth, "validBefore");
  int64_t after = 0, before = 0;
  if (valid_after == nullptr || !ParseUnixSeconds(Str(*valid_after), &after) ||
      valid_before == nullptr || !ParseUnixSeconds(Str(*valid_before), &before)) {
    return reject("invalid_payload",
                  "authorization.validAfter and validBefore must be Unix times as decimal strings");
  }
  const json::string* nonce = StringField(*auth, "nonce");
  if (nonce == nullptr || !IsHex(*nonce, 64)) {
    return reject("invalid_payload", "authorization.nonce must be 32 bytes of hex (0x + 64 digits)");
  }
  out->from = Str(*from);
  out->to = Str(*to);
  out->value_text = Str(*value);
  out->value = *amount;
  out->valid_after = after;
  out->valid_before = before;
  out->nonce = Str(*nonce);
  out->signature = Str(*signature);
  verdict.valid = true;
  return verdict;
}

// The exact-scheme payload: its shape, then the rule table of the payment's version. In strict
// mode CheckPaymentPayload has run the signature step before this, as both references recover
// the signer before their rules.
PaymentVerdict CheckExactEvmPayload(const json::object& payload, int version,
                                    const PaymentRequirements& offered, const PaymentCheck& check) {
  ExactAuthorization auth;
  PaymentVerdict verdict = ReadExactAuthorization(payload, &auth);
  if (!verdict.valid) return verdict;

  if (auto breach = FirstBrokenRule(RuleSetFor(version, check.verification), auth, offered,
                                    check.now)) {
    verdict.valid = false;
    verdict.reason = std::move(breach->reason);
    verdict.message = std::move(breach->message);
    return verdict;
  }
  verdict.nonce = auth.nonce;
  verdict.value = auth.value_text;
  verdict.valid_before = auth.valid_before;
  return verdict;
}

}  // namespace

bool IsHex(std::string_view s, std::size_t hex_digits) {
  return s.size() == hex_digits + 2 && IsHexString(s);
}

namespace {

// authorization.from of |payment| when it reads as an address, else "". A rejection found
// before the authorization is checked (scheme, network, version) still names its payer.
std::string PayerOf(const json::object& payment) {
  const json::value* inner = payment.if_contains("payload");
  const json::object* inner_obj = inner != nullptr ? inner->if_object() : nullptr;
  const json::value* auth = inner_obj != nullptr ? inner_obj->if_contains("authorization") : nullptr;
  const json::object* auth_obj = auth != nullptr ? auth->if_object() : nullptr;
  const json::string* from = auth_obj != nullptr ? StringField(*auth_obj, "from") : nullptr;
  return from != nullptr && IsHex(*from, 40) ? Str(*from) : std::string();
}

// --- the signature step (EIP-712 / EIP-3009; payment_signature.h) ------------------------------
// Both references check the signature before the recipient, the validity window and the
// amount, so a payment altered after signing is refused for its signature whichever field was
// altered. A payload whose fields do not read yet is left to the field checks. Returns the
// rejection, or nothing and notes the outcome in |verdict|.
std::optional<PaymentVerdict> CheckSignatureStep(const json::object& payload, int version,
                                                 const PaymentRequirements& offered,
                                                 const PaymentCheck& payment_check,
                                                 const std::string& claimed,
                                                 PaymentVerdict* verdict) {
  const SignatureCheck check = CheckPaymentSignature(payload, offered);
  if (check.kind == SignatureKind::kUnreadable) return std::nullopt;
  // x402 1.2.0 (v1) and @x402/evm 2.27 (v2) name a bad signature differently.
  const std::string reason =
      version == 1 ? "invalid_exact_evm_payload_signature" : "invalid_exact_evm_signature";
  if (check.kind == SignatureKind::kNoDomain) {
    // What the offer lacks was refused before this step (CheckOfferDomain); a signature that
    // cannot be checked is never taken as a good one.
    PaymentVerdict rejected = *verdict;
    rejected.reason = reason;
    rejected.message = "the offer has no complete EIP-712 domain to check the signature against";
    return rejected;
  }
  verdict->signature_kind = std::string(ToString(check.kind));
  verdict->recovered = check.recovered;
  if (check.kind == SignatureKind::kEcdsa) {
    if (check.matches) return std::nullopt;
    PaymentVerdict rejected = *verdict;
    rejected.reason = reason;
    rejected.message =
        check.recovered.empty()
            ? "the signature recovers no signer (r, s or v out of range) for authorization.from " + claimed
            : "the EIP-712 signature recovers " + check.recovered + ", not authorization.from " + claimed +
                  " (signed by another key, or a signed field was changed)";
    return rejected;
  }
  if (payment_check.smart_wallets == SmartWalletPolicy::kAccept) return std::nullopt;
  PaymentVerdict rejected = *verdict;
  rejected.reason = reason;
  rejected.message =
      "smart-wallet signature (" + verdict->signature_kind + ") cannot be verified offline, and " +
      (payment_check.ledger_enabled && payment_check.smart_wallets_configured == SmartWalletPolicy::kAuto
           ? std::string("the simulated ledger is on: anyone could spend this payer's balance with "
                         "an unchecked signature (set mock_server.smart_wallet_signatures: accept "
                         "to take them anyway)")
           : std::string("mock_server.smart_wallet_signatures is refuse"));
  return rejected;
}

PaymentVerdict CheckPaymentPayload(const json::value& payload_json, int expected_version,
                                   const PaymentRequirements& offered, const PaymentCheck& check) {
  const json::object* payment = payload_json.if_object();
  if (payment == nullptr) return Reject("invalid_payload", "the payment is not a JSON object");

  const json::value* version = payment->if_contains("x402Version");
  if (version == nullptr || !version->is_number() ||
      version->to_number<double>() != static_cast<double>(expected_version)) {
    return Reject("invalid_x402_version",
                  "x402Version must be " + std::to_string(expected_version) + " for this header");
  }

  if (expected_version == 1) {
    const json::string* scheme = StringField(*payment, "scheme");
    if (scheme == nullptr || *scheme != offered.scheme) {
      return Reject("unsupported_scheme", "scheme must be '" + offered.scheme + "'");
    }
    const json::string* network = StringField(*payment, "network");
    if (network == nullptr || *network != offered.network) {
      return Reject("invalid_network", "network must be '" + offered.network + "'" +
                                           (network ? ", got '" + Str(*network) + "'" : ""));
    }
  } else {
    const json::value* accepted = payment->if_contains("accepted");
    if (accepted == nullptr || !accepted->is_object()) {
      return Reject("invalid_payload", "accepted (the chosen payment requirements) is missing");
    }
    PaymentVerdict match = CheckAccepted(accepted->get_object(), offered, check);
    if (!match.valid) return match;
  }

  const json::value* inner = payment->if_contains("payload");
  if (inner == nullptr || !inner->is_object()) {
    return Reject("invalid_payload", "payload is missing");
  }
  PaymentVerdict signature;
  const std::string claimed = PayerOf(*payment);
  if (check.verification == Verification::kStrict && !ParseEvmAddress(offered.asset)) {
    // The token is the EIP-712 verifyingContract: x402 1.2.0's verifyTypedData and @x402/evm's
    // getAddress(requirements.asset) both throw on anything else. Only a facilitator request
    // can carry such requirements (the paywall's own asset is validated with the config).
    PaymentVerdict rejected = Reject(
        "invalid_payment_requirements",
        "paymentRequirements.asset '" + offered.asset +
            "' is not an EVM address (0x + 40 hex digits): no token to check the signature against");
    rejected.payer = claimed;
    rejected.version = expected_version;
    return rejected;
  }
  if (check.verification == Verification::kStrict) {
    if (auto rejected = CheckSignatureStep(inner->get_object(), expected_version, offered, check,
                                           claimed, &signature)) {
      rejected->payer = claimed;
      rejected->version = expected_version;
      return *rejected;
    }
  }
  PaymentVerdict verdict = CheckExactEvmPayload(inner->get_object(), expected_version, offered, check);
  verdict.version = expected_version;
  verdict.signature_kind = std::move(signature.signature_kind);
  verdict.recovered = std::move(signature.recovered);
  if (verdict.valid && verdict.signature_kind != "ecdsa" && !verdict.signature_kind.empty()) {
    verdict.message = "smart-wallet signature, not verified offline";
  }
  return verdict;
}

}  // namespace

PaymentVerdict VerifyPaymentPayload(const json::value& payload_json, int expected_version,
                                    const PaymentRequirements& offered, const PaymentCheck& check) {
  PaymentVerdict verdict = CheckPaymentPayload(payload_json, expected_version, offered, check);
  if (verdict.payer.empty() && payload_json.is_object()) {
    verdict.payer = PayerOf(payload_json.get_object());
  }
  return verdict;
}

PaymentVerdict VerifyPaymentHeader(std::string_view header, int header_version,
                                   const PaymentRequirements& offered, const PaymentCheck& check) {
  const std::string_view name = header_version == 1 ? "X-PAYMENT" : "PAYMENT-SIGNATURE";
  const auto decoded = Base64Decode(header);
  if (!decoded) {
    return Reject("invalid_payload",
                  std::string(name) + " is not standard base64 (A-Z a-z 0-9 + / with = padding)");
  }
  // The payment's JSON lives only for this call: parse it into a buffer on the stack (a
  // monotonic resource) instead of one heap allocation per object, array and string.
  unsigned char arena[8 * 1024];
  json::monotonic_resource resource(arena, sizeof arena);
  boost::system::error_code ec;
  json::value parsed = json::parse(*decoded, ec, json::storage_ptr(&resource));
  if (ec) {
    return Reject("invalid_payload", std::string(name) + " does not hold JSON: " + ec.message());
  }
  return VerifyPaymentPayload(parsed, header_version, offered, check);
}

bool ParseRequirementsJson(const json::value& value, int version, PaymentRequirements* out,
                           std::string* problem) {
  const json::object* obj = value.if_object();
  if (obj == nullptr) {
    *problem = "paymentRequirements must be an object";
    return false;
  }
  PaymentRequirements req;
  auto text = [&](std::string_view key, std::string* field) {
    const json::string* s = StringField(*obj, key);
    if (s == nullptr) {
      *problem = "paymentRequirements." + std::string(key) + " must be a string";
      return false;
    }
    *field = Str(*s);
    return true;
  };
  std::string network, amount;
  if (!text("scheme", &req.scheme) || !text("network", &network) ||
      !text(version == 1 ? "maxAmountRequired" : "amount", &amount) ||
      !text("asset", &req.asset) || !text("payTo", &req.pay_to)) {
    return false;
  }
  const NetworkInfo* info = FindNetwork(network);
  if (info == nullptr) {
    *problem = "network '" + network + "' is not supported by the mock facilitator";
    return false;
  }
  req.network = std::string(info->v1_name);
  req.caip2 = std::string(info->caip2);
  const auto atomic = ParseAtomic(amount);
  if (!atomic) {
    *problem = "the amount must be a decimal integer string";
    return false;
  }
  req.amount = *atomic;
  const json::value* timeout = obj->if_contains("maxTimeoutSeconds");
  if (timeout != nullptr && timeout->is_number()) {
    req.max_timeout_seconds = static_cast<uint32_t>(timeout->to_number<double>());
  }
  if (const json::value* extra = obj->if_contains("extra"); extra && extra->is_object()) {
    if (const json::string* n = StringField(extra->get_object(), "name")) req.extra_name = Str(*n);
    if (const json::string* v = StringField(extra->get_object(), "version")) {
      req.extra_version = Str(*v);
    }
  }
  if (version == 1) {
    // x402 1.2.0 verify() (src/schemes/exact/evm/facilitator.ts): name = extra?.name ?? the
    // network's USDC name (src/types/shared/evm/config.ts), version = extra?.version ?? the
    // token's version() read from the chain, which is "2" for USDC. Without these defaults a
    // v1 request lacking `extra` left the mock nothing to check the signature against.
    // (@x402/evm 2.27 refuses a v2 request without them: invalid_exact_evm_missing_eip712_domain.)
    if (req.extra_name.empty()) req.extra_name = std::string(info->usdc_name);
    if (req.extra_version.empty()) req.extra_version = std::string(info->usdc_version);
  }
  if (const json::string* r = StringField(*obj, "resource")) req.resource = Str(*r);
  *out = std::move(req);
  return true;
}

}  // namespace x402
