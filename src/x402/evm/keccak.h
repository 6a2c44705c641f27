// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not NIST SHA3-256
// (0x06). Every EIP-712 hash and every address derivation goes through it. Crypto++'s
// Keccak_256 does the work; no hand-written permutation.
#pragma once

#include <initializer_list>
#include <span>

#include "x402/hash32.h"

namespace x402 {

/// Keccak-256 of |data|.
Hash32 Keccak256(std::span<const uint8_t> data);

/// Keccak-256 of the concatenation of |parts|, without building the concatenation.
Hash32 Keccak256(std::initializer_list<std::span<const uint8_t>> parts);

}  // namespace x402
