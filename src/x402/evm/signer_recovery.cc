#include "x402/evm/signer_recovery.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>

#include "x402/evm/hex_bytes.h"

namespace x402 {

std::optional<EvmAddress> RecoverSigner(const Hash32& digest, const EcdsaSignature& signature) {
  int recovery_id = -1;
  switch (signature[64]) {
    case 0: case 27: recovery_id = 0; break;
    case 1: case 28: recovery_id = 1; break;
    default: return std::nullopt;  // viem's toRecoveryBit throws for anything else
  }
  // Recovery needs no precomputed signing tables: libsecp256k1's static context serves every
  // thread at once without a per-call (or any) allocation.
  const secp256k1_context* context = secp256k1_context_static;
  secp256k1_ecdsa_recoverable_signature parsed;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(context, &parsed, signature.data(),
                                                          recovery_id) != 1) {
    return std::nullopt;  // r or s ≥ the group order
  }
  secp256k1_pubkey public_key;
  if (secp256k1_ecdsa_recover(context, &public_key, &parsed, digest.data()) != 1) {
    return std::nullopt;  // r or s zero, or no point with that x
  }
  std::array<uint8_t, 65> uncompressed;
  size_t length = uncompressed.size();
  secp256k1_ec_pubkey_serialize(context, uncompressed.data(), &length, &public_key,
                                SECP256K1_EC_UNCOMPRESSED);
  // The address hashes the 64 coordinate bytes, without the 0x04 prefix.
  const Hash32 hash = Keccak256(std::span<const uint8_t>(uncompressed).subspan(1));
  EvmAddress address;
  std::copy(hash.end() - 20, hash.end(), address.begin());
  return address;
}

namespace {

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

SignatureKind ClassifySignature(std::string_view signature) {
  EcdsaSignature bytes;
  if (DecodePrefixedHex(signature, bytes)) return SignatureKind::kEcdsa;
  // Not 65 bytes. A hex string longer than that is a smart wallet's; anything else is
  // malformed and the field checks say so.
  if (signature.size() <= 2 + 2 * bytes.size() || signature.size() % 2 != 0 || !IsPrefixedHex(signature)) {
    return SignatureKind::kUnreadable;
  }
  return EndsWithIgnoreCase(signature, kErc6492MagicSuffix) ? SignatureKind::kErc6492 : SignatureKind::kErc1271;
}

SignatureCheck CheckSignature(const Hash32& digest, std::string_view signature, const EvmAddress& claimed) {
  SignatureCheck check;
  EcdsaSignature bytes;
  if (!DecodePrefixedHex(signature, bytes)) {  // decoded once: this runs for every paid request
    check.kind = ClassifySignature(signature);
    return check;
  }
  check.kind = SignatureKind::kEcdsa;
  if (const std::optional<EvmAddress> signer = RecoverSigner(digest, bytes)) {
    check.recovered = ChecksumAddress(*signer);
    check.matches = *signer == claimed;
  }
  return check;
}

}  // namespace x402
