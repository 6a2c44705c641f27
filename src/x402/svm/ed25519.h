// The ed25519 pieces a Solana payment needs, offline: a signature check (every signer of a
// transaction signs its message bytes) and the curve membership test that program-derived
// addresses must fail (a PDA is an address no private key can sign for). Crypto++'s
// ed25519-donna does the signature; the curve test decompresses the point as Solana's
// curve25519-dalek does (CompressedEdwardsY::decompress). tests/unit/data/svm_vectors.json
// (RFC 8032 and @noble/curves) pins both.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace x402::svm {

using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

/// Whether |signature| is |key|'s over |message|.
bool VerifyEd25519(const PublicKey& key, std::span<const uint8_t> message, const Signature& signature);

/// Whether |bytes| decompress to a point of the ed25519 curve.
bool IsOnCurve(const std::array<uint8_t, 32>& bytes);

}  // namespace x402::svm
