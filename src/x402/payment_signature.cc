#include "x402/payment_signature.h"

#include <boost/json.hpp>
#include <charconv>

#include "x402/eip712.h"
#include "x402/hex_bytes.h"
#include "x402/signer_recovery.h"

namespace x402 {
namespace {

namespace json = boost::json;

// ERC-6492 wraps a counterfactual wallet's signature as abi.encode(factory, calldata, sig)
// followed by these 32 bytes (viem's erc6492MagicBytes).
constexpr std::string_view kErc6492MagicSuffix =
    "6492649264926492649264926492649264926492649264926492649264926492";

std::string_view Text(const json::object& obj, std::string_view key) {
  const json::value* v = obj.if_contains(key);
  const json::string* s = v != nullptr ? v->if_string() : nullptr;
  return s != nullptr ? std::string_view(s->data(), s->size()) : std::string_view();
}

bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  text.remove_prefix(text.size() - suffix.size());
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    const char c = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != suffix[i]) return false;
  }
  return true;
}

// The chain id of a CAIP-2 "eip155:<id>" network.
std::optional<uint64_t> ChainIdOf(std::string_view caip2) {
  constexpr std::string_view kPrefix = "eip155:";
  if (caip2.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  caip2.remove_prefix(kPrefix.size());
  uint64_t id = 0;
  const auto [ptr, ec] = std::from_chars(caip2.data(), caip2.data() + caip2.size(), id);
  if (ec != std::errc() || ptr != caip2.data() + caip2.size()) return std::nullopt;
  return id;
}

// The message fields, as the digest encodes them; false when one does not read.
bool ReadAuthorization(const json::object& authorization, TransferWithAuthorization* out) {
  return DecodePrefixedHex(Text(authorization, "from"), out->from) &&
         DecodePrefixedHex(Text(authorization, "to"), out->to) &&
         ParseUint256Decimal(Text(authorization, "value"), &out->value) &&
         ParseUint256Decimal(Text(authorization, "validAfter"), &out->valid_after) &&
         ParseUint256Decimal(Text(authorization, "validBefore"), &out->valid_before) &&
         ParseBytes32(Text(authorization, "nonce"), &out->nonce);
}

}  // namespace

std::string_view ToString(SmartWalletPolicy policy) {
  switch (policy) {
    case SmartWalletPolicy::kAuto: return "auto";
    case SmartWalletPolicy::kAccept: return "accept";
    case SmartWalletPolicy::kRefuse: return "refuse";
  }
  return "auto";
}

SmartWalletPolicy EffectiveSmartWalletPolicy(SmartWalletPolicy configured, bool ledger_enabled) {
  if (configured != SmartWalletPolicy::kAuto) return configured;
  return ledger_enabled ? SmartWalletPolicy::kRefuse : SmartWalletPolicy::kAccept;
}

std::optional<SmartWalletPolicy> ParseSmartWalletPolicy(std::string_view text) {
  if (text == "auto") return SmartWalletPolicy::kAuto;
  if (text == "accept") return SmartWalletPolicy::kAccept;
  if (text == "refuse") return SmartWalletPolicy::kRefuse;
  return std::nullopt;
}

std::string_view ToString(SignatureKind kind) {
  switch (kind) {
    case SignatureKind::kUnreadable: return "unreadable";
    case SignatureKind::kNoDomain: return "no_domain";
    case SignatureKind::kEcdsa: return "ecdsa";
    case SignatureKind::kErc1271: return "erc1271";
    case SignatureKind::kErc6492: return "erc6492";
  }
  return "unreadable";
}

std::optional<Hash32> OfferDomainSeparator(const PaymentRequirements& offered) {
  const auto chain_id = ChainIdOf(offered.caip2);
  const auto contract = ParseEvmAddress(offered.asset);
  if (!chain_id || !contract || offered.extra_name.empty() || offered.extra_version.empty()) {
    return std::nullopt;
  }
  return DomainSeparator({offered.extra_name, offered.extra_version, *chain_id, *contract});
}

SignatureCheck CheckPaymentSignature(const json::object& payload,
                                     const PaymentRequirements& offered) {
  SignatureCheck check;
  const json::value* auth_value = payload.if_contains("authorization");
  const json::object* authorization = auth_value != nullptr ? auth_value->if_object() : nullptr;
  TransferWithAuthorization message;
  if (authorization == nullptr || !ReadAuthorization(*authorization, &message)) return check;

  const std::string_view signature_text = Text(payload, "signature");
  EcdsaSignature signature;
  if (!DecodePrefixedHex(signature_text, signature)) {
    // Not 65 bytes. A hex string longer than that is a smart wallet's; anything else is
    // malformed and the field checks say so.
    if (signature_text.size() <= 2 + 2 * signature.size() || signature_text.size() % 2 != 0 ||
        !IsPrefixedHex(signature_text)) {
      return check;
    }
    check.kind = EndsWithIgnoreCase(signature_text, kErc6492MagicSuffix) ? SignatureKind::kErc6492
                                                                        : SignatureKind::kErc1271;
    return check;
  }
  const std::optional<Hash32> domain =
      offered.eip712_domain_separator ? offered.eip712_domain_separator : OfferDomainSeparator(offered);
  if (!domain) {
    // Nothing to recover against: never "unreadable" (which would skip the check), the
    // caller refuses it.
    check.kind = SignatureKind::kNoDomain;
    return check;
  }

  check.kind = SignatureKind::kEcdsa;
  const Hash32 digest = TransferWithAuthorizationDigest(*domain, message);
  if (const std::optional<EvmAddress> signer = RecoverSigner(digest, signature)) {
    check.recovered = ChecksumAddress(*signer);
    check.matches = *signer == message.from;
  }
  return check;
}

}  // namespace x402
