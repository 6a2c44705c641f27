// SHA-256, for what the mock derives from a payment without a chain: the replay set's keys and
// the simulated transaction ids (and, for Solana, addresses and message hashes). Crypto++'s
// SHA256 does the work, with the CPU's SHA extensions where it has them: it is on the paid path
// of every request (Poco's portable one took ~1.2 µs of a ~22 µs paid request).
#pragma once

#include <initializer_list>
#include <span>

#include "x402/hash32.h"

namespace x402 {

/// SHA-256 of the concatenation of |parts|.
Hash32 Sha256(std::initializer_list<std::span<const uint8_t>> parts);

}  // namespace x402
