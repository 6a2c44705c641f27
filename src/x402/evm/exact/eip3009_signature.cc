#include "x402/evm/exact/eip3009_signature.h"

#include <boost/json.hpp>
#include <charconv>

#include "x402/evm/eip712.h"
#include "x402/evm/evm_networks.h"
#include "x402/json_fields.h"
#include "x402/evm/hex_bytes.h"
#include "x402/evm/signer_recovery.h"

namespace x402 {
namespace json = boost::json;

const Eip712Types& TransferWithAuthorizationTypes() {
  static const Eip712Types types = [] {
    std::string problem;
    return *Eip712Types::Make({{"TransferWithAuthorization",
                                {{"from", "address"},
                                 {"to", "address"},
                                 {"value", "uint256"},
                                 {"validAfter", "uint256"},
                                 {"validBefore", "uint256"},
                                 {"nonce", "bytes32"}}}},
                              &problem);
  }();
  return types;
}

namespace {

// The message's hashStruct, from the payload's authorization; nullopt when a field does not
// read (the field checks say which).
std::optional<Hash32> AuthorizationHash(const json::object& authorization) {
  std::string problem;
  return TransferWithAuthorizationTypes().HashStruct("TransferWithAuthorization", authorization, &problem);
}

// The signer's address as the digest's author: authorization.from.
std::optional<EvmAddress> AuthorizationFrom(const json::object& authorization) {
  return ParseEvmAddress(TextField(authorization, "from"));
}

}  // namespace

std::optional<Hash32> OfferDomainSeparator(const PaymentRequirements& offered) {
  const uint64_t chain_id = evm::ChainIdOf(offered.caip2);
  const auto contract = ParseEvmAddress(offered.asset);
  const std::string_view name = TextField(offered.extra, "name");
  const std::string_view version = TextField(offered.extra, "version");
  if (chain_id == 0 || !contract || name.empty() || version.empty()) return std::nullopt;
  return DomainSeparator(TokenDomain(name, version, chain_id, *contract));
}

SignatureCheck CheckPaymentSignature(const json::object& payload,
                                     const PaymentRequirements& offered) {
  SignatureCheck check;
  const json::value* auth_value = payload.if_contains("authorization");
  const json::object* authorization = auth_value != nullptr ? auth_value->if_object() : nullptr;
  const std::optional<Hash32> message = authorization ? AuthorizationHash(*authorization) : std::nullopt;
  const std::optional<EvmAddress> from = authorization ? AuthorizationFrom(*authorization) : std::nullopt;
  if (!message || !from) return check;

  const std::string_view signature = TextField(payload, "signature");
  const auto* prepared = dynamic_cast<const Eip3009Domain*>(offered.prepared.get());
  const std::optional<Hash32> domain =
      prepared != nullptr ? std::optional<Hash32>(prepared->separator) : OfferDomainSeparator(offered);
  if (!domain) {
    // Nothing to recover against: never "unreadable" (which would skip the check), the
    // caller refuses an ECDSA signature; a smart wallet's or an unreadable one says so.
    check.kind = ClassifySignature(signature);
    if (check.kind == SignatureKind::kEcdsa) check.kind = SignatureKind::kNoDomain;
    return check;
  }
  return CheckSignature(TypedDataDigest(*domain, *message), signature, *from);
}

std::optional<DomainName> FindSigningDomain(const json::object& payload, const PaymentRequirements& offered,
                                            std::span<const DomainName> candidates) {
  const json::value* auth_value = payload.if_contains("authorization");
  const json::object* authorization = auth_value != nullptr ? auth_value->if_object() : nullptr;
  const std::optional<Hash32> message = authorization ? AuthorizationHash(*authorization) : std::nullopt;
  const std::optional<EvmAddress> from = authorization ? AuthorizationFrom(*authorization) : std::nullopt;
  EcdsaSignature signature;
  const uint64_t chain_id = evm::ChainIdOf(offered.caip2);
  const auto contract = ParseEvmAddress(offered.asset);
  if (!message || !from ||
      !DecodePrefixedHex(TextField(payload, "signature"), signature) || chain_id == 0 || !contract) {
    return std::nullopt;
  }
  for (const DomainName& candidate : candidates) {
    if (candidate.name == TextField(offered.extra, "name") && candidate.version == TextField(offered.extra, "version")) {
      continue;  // the offer's own: already refused
    }
    const Hash32 separator = DomainSeparator(TokenDomain(candidate.name, candidate.version, chain_id, *contract));
    const auto signer = RecoverSigner(TypedDataDigest(separator, *message), signature);
    if (signer && *signer == *from) return candidate;
  }
  return std::nullopt;
}

}  // namespace x402
