#include "x402/evm/signer_recovery.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>

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

}  // namespace x402
