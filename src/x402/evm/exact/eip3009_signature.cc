#include "x402/evm/exact/eip3009_signature.h"

#include <boost/json.hpp>
#include <charconv>

#include "x402/evm/eip712.h"
#include "x402/evm/evm_networks.h"
#include "x402/json_fields.h"
#include "x402/evm/hex_bytes.h"
#include "x402/evm/signer_recovery.h"

namespace x402 {
namespace {

namespace json = boost::json;

// ERC-6492 wraps a counterfactual wallet's signature as abi.encode(factory, calldata, sig)
// followed by these 32 bytes (viem's erc6492MagicBytes).
constexpr std::string_view kErc6492MagicSuffix =
    "6492649264926492649264926492649264926492649264926492649264926492";


bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  text.remove_prefix(text.size() - suffix.size());
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    const char c = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != suffix[i]) return false;
  }
  return true;
}

// The message fields, as the digest encodes them; false when one does not read.
bool ReadAuthorization(const json::object& authorization, TransferWithAuthorization* out) {
  return DecodePrefixedHex(TextField(authorization, "from"), out->from) &&
         DecodePrefixedHex(TextField(authorization, "to"), out->to) &&
         ParseUint256Decimal(TextField(authorization, "value"), &out->value) &&
         ParseUint256Decimal(TextField(authorization, "validAfter"), &out->valid_after) &&
         ParseUint256Decimal(TextField(authorization, "validBefore"), &out->valid_before) &&
         ParseBytes32(TextField(authorization, "nonce"), &out->nonce);
}

}  // namespace

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
  const uint64_t chain_id = evm::ChainIdOf(offered.caip2);
  const auto contract = ParseEvmAddress(offered.asset);
  const std::string_view name = TextField(offered.extra, "name");
  const std::string_view version = TextField(offered.extra, "version");
  if (chain_id == 0 || !contract || name.empty() || version.empty()) return std::nullopt;
  return DomainSeparator({name, version, chain_id, *contract});
}

SignatureCheck CheckPaymentSignature(const json::object& payload,
                                     const PaymentRequirements& offered) {
  SignatureCheck check;
  const json::value* auth_value = payload.if_contains("authorization");
  const json::object* authorization = auth_value != nullptr ? auth_value->if_object() : nullptr;
  TransferWithAuthorization message;
  if (authorization == nullptr || !ReadAuthorization(*authorization, &message)) return check;

  const std::string_view signature_text = TextField(payload, "signature");
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
  const auto* prepared = dynamic_cast<const Eip3009Domain*>(offered.prepared.get());
  const std::optional<Hash32> domain =
      prepared != nullptr ? std::optional<Hash32>(prepared->separator) : OfferDomainSeparator(offered);
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

std::optional<DomainName> FindSigningDomain(const json::object& payload, const PaymentRequirements& offered,
                                            std::span<const DomainName> candidates) {
  const json::value* auth_value = payload.if_contains("authorization");
  const json::object* authorization = auth_value != nullptr ? auth_value->if_object() : nullptr;
  TransferWithAuthorization message;
  EcdsaSignature signature;
  const uint64_t chain_id = evm::ChainIdOf(offered.caip2);
  const auto contract = ParseEvmAddress(offered.asset);
  if (authorization == nullptr || !ReadAuthorization(*authorization, &message) ||
      !DecodePrefixedHex(TextField(payload, "signature"), signature) || chain_id == 0 || !contract) {
    return std::nullopt;
  }
  for (const DomainName& candidate : candidates) {
    if (candidate.name == TextField(offered.extra, "name") && candidate.version == TextField(offered.extra, "version")) {
      continue;  // the offer's own: already refused
    }
    const Hash32 separator = DomainSeparator({candidate.name, candidate.version, chain_id, *contract});
    const auto signer = RecoverSigner(TransferWithAuthorizationDigest(separator, message), signature);
    if (signer && *signer == message.from) return candidate;
  }
  return std::nullopt;
}

}  // namespace x402
