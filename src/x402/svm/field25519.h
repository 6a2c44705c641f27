// Arithmetic in GF(2^255 - 19), ed25519's base field, for the one question the mock asks of a
// curve point it does not sign with: does a 32-byte encoding decompress to a point of the curve
// (a program-derived address must not)? Five 51-bit limbs, products in 128 bits, as ref10 and
// ed25519-donna write it; variable time, which is fine for public data (addresses).
#pragma once

#include <array>
#include <cstdint>

namespace x402::svm {

/// Whether |encoding| (y little-endian in 255 bits, the sign of x in the top bit) decompresses
/// to a point of edwards25519 as curve25519-dalek's CompressedEdwardsY::decompress() decides it:
/// y is reduced mod p, and the point exists iff (y² - 1) / (d·y² + 1) is a square.
bool DecompressesToCurvePoint(const std::array<uint8_t, 32>& encoding);

}  // namespace x402::svm
