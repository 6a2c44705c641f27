#include "x402/payment.h"

#include <boost/json.hpp>
#include <charconv>
#include <optional>

#include "base/base64.h"
#include "base/text.h"
#include "x402/networks.h"

namespace x402 {
namespace {

namespace json = boost::json;

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsHexString(std::string_view s) {
  if (s.size() < 3 || s[0] != '0' || s[1] != 'x') return false;
  for (std::size_t i = 2; i < s.size(); ++i) {
    if (!IsHexDigit(s[i])) return false;
  }
  return true;
}

bool ParseUnixSeconds(std::string_view text, int64_t* out) {
  if (text.empty() || text.size() > 18) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
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

// The v2 client copies the offer it chose into `accepted`; every field must be the one
// offered (X402-PROTOCOL.md §4.2), and `extra` must contain the offered extra.
PaymentVerdict CheckAccepted(const json::object& accepted, const PaymentRequirements& offered) {
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

// The EIP-3009 authorization and its signature, common to both versions.
PaymentVerdict CheckExactEvmPayload(const json::object& payload, const PaymentRequirements& offered,
                                    int64_t now) {
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
  if (!EqualsIgnoreCaseAscii(Str(*to), offered.pay_to)) {
    return reject("invalid_exact_evm_payload_recipient_mismatch",
                  "authorization.to " + Str(*to) + " is not payTo " + offered.pay_to);
  }
  const json::string* value = StringField(*auth, "value");
  const auto amount = value ? ParseAtomic(Str(*value)) : std::nullopt;
  if (!amount) {
    return reject("invalid_payload", "authorization.value must be a decimal integer string");
  }
  if (*amount < offered.amount) {
    return reject("invalid_exact_evm_payload_authorization_value",
                  "authorization.value " + Str(*value) + " is less than the price " +
                      AtomicString(offered.amount) + " (" + FormatUsd(offered.amount) + " USD)");
  }
  const json::string* valid_after = StringField(*auth, "validAfter");
  const json::string* valid_before = StringField(*auth, "validBefore");
  int64_t after = 0, before = 0;
  if (valid_after == nullptr || !ParseUnixSeconds(Str(*valid_after), &after) ||
      valid_before == nullptr || !ParseUnixSeconds(Str(*valid_before), &before)) {
    return reject("invalid_payload",
                  "authorization.validAfter and validBefore must be Unix times as decimal strings");
  }
  if (after > now) {
    return reject("invalid_exact_evm_payload_authorization_valid_after",
                  "the payment is not valid yet (validAfter " + std::to_string(after) +
                      " is after now " + std::to_string(now) + ")");
  }
  if (now >= before) {
    return reject("invalid_exact_evm_payload_authorization_valid_before",
                  "the payment has expired (validBefore " + std::to_string(before) +
                      " is not after now " + std::to_string(now) + ")");
  }
  const json::string* nonce = StringField(*auth, "nonce");
  if (nonce == nullptr || !IsHex(*nonce, 64)) {
    return reject("invalid_payload", "authorization.nonce must be 32 bytes of hex (0x + 64 digits)");
  }
  verdict.valid = true;
  verdict.nonce = Str(*nonce);
  verdict.value = Str(*value);
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
                                                 const PaymentCheckOptions& options,
                                                 const std::string& claimed,
                                                 PaymentVerdict* verdict) {
  const SignatureCheck check = CheckPaymentSignature(payload, offered);
  if (check.kind == SignatureKind::kUnreadable) return std::nullopt;
  verdict->signature_kind = std::string(ToString(check.kind));
  verdict->recovered = check.recovered;
  // x402 1.2.0 (v1) and @x402/evm 2.27 (v2) name a bad signature differently.
  const std::string reason =
      version == 1 ? "invalid_exact_evm_payload_signature" : "invalid_exact_evm_signature";
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
  if (options.smart_wallets == SmartWalletPolicy::kAccept) return std::nullopt;
  PaymentVerdict rejected = *verdict;
  rejected.reason = reason;
  rejected.message = "smart-wallet signature (" + verdict->signature_kind +
                     ") cannot be verified offline, and mock_server.smart_wallet_signatures is refuse";
  return rejected;
}

PaymentVerdict CheckPaymentPayload(const json::value& payload_json, int expected_version,
                                   const PaymentRequirements& offered, int64_t now,
                                   const PaymentCheckOptions& options) {
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
    PaymentVerdict match = CheckAccepted(accepted->get_object(), offered);
    if (!match.valid) return match;
  }

  const json::value* inner = payment->if_contains("payload");
  if (inner == nullptr || !inner->is_object()) {
    return Reject("invalid_payload", "payload is missing");
  }
  PaymentVerdict signature;
  const std::string claimed = PayerOf(*payment);
  if (auto rejected = CheckSignatureStep(inner->get_object(), expected_version, offered, options,
                                         claimed, &signature)) {
    rejected->payer = claimed;
    rejected->version = expected_version;
    return *rejected;
  }
  PaymentVerdict verdict = CheckExactEvmPayload(inner->get_object(), offered, now);
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
                                    const PaymentRequirements& offered, int64_t now,
                                    const PaymentCheckOptions& options) {
  PaymentVerdict verdict = CheckPaymentPayload(payload_json, expected_version, offered, now, options);
  if (verdict.payer.empty() && payload_json.is_object()) {
    verdict.payer = PayerOf(payload_json.get_object());
  }
  return verdict;
}

PaymentVerdict VerifyPaymentHeader(std::string_view header, int header_version,
                                   const PaymentRequirements& offered, int64_t now,
                                   const PaymentCheckOptions& options) {
  const std::string_view name = header_version == 1 ? "X-PAYMENT" : "PAYMENT-SIGNATURE";
  const auto decoded = Base64Decode(header);
  if (!decoded) {
    return Reject("invalid_payload",
                  std::string(name) + " is not standard base64 (A-Z a-z 0-9 + / with = padding)");
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(*decoded, ec);
  if (ec) {
    return Reject("invalid_payload", std::string(name) + " does not hold JSON: " + ec.message());
  }
  return VerifyPaymentPayload(parsed, header_version, offered, now, options);
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
  if (const json::string* r = StringField(*obj, "resource")) req.resource = Str(*r);
  *out = std::move(req);
  return true;
}

}  // namespace x402
