// A 32-byte hash (Keccak-256, SHA-256) and the byte views the hash functions take.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace x402 {

using Hash32 = std::array<uint8_t, 32>;

/// The bytes of |text|, for hashing it.
inline std::span<const uint8_t> BytesOf(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace x402
