// Who signed a digest: secp256k1 public-key recovery from a 65-byte Ethereum signature
// (r ‖ s ‖ v), then the address (the last 20 bytes of keccak256 of the public key).
// libsecp256k1's recovery module does the curve work.
//
// Accepted exactly as viem's recoverAddress accepts (what x402 1.2.0 and @x402/evm 2.27 call):
// v = 27/28 or 0/1; any s in [1, n-1], high s included (viem's recovery, @noble/curves'
// Signature.recoverPublicKey, does not enforce EIP-2's low s; the token contract would refuse
// a high s at settlement, which an offline mock cannot reach). r or s of 0 or ≥ n, or another
// v, recovers nothing.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "x402/evm/evm_address.h"
#include "x402/evm/keccak.h"

namespace x402 {

using EcdsaSignature = std::array<uint8_t, 65>;

/// The address whose key made |signature| over |digest|; nullopt when none can.
/// Thread-safe and allocation-free (one static libsecp256k1 context, never written).
std::optional<EvmAddress> RecoverSigner(const Hash32& digest, const EcdsaSignature& signature);

}  // namespace x402
