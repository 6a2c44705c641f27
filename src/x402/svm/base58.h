// Base58 as Solana writes keys, mints and signatures (Bitcoin's alphabet, no check digits):
// each leading zero byte is a leading '1'. Addresses compare as this text, letter case
// included: "abc" and "ABC" are different accounts.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace x402::svm {

std::string Base58Encode(std::span<const uint8_t> bytes);

/// The bytes of |text|; nullopt for a character outside the alphabet (0, O, I, l, anything
/// not ASCII) or a text longer than |max_bytes| could encode (a bound on the work hostile
/// input can cause).
std::optional<std::vector<uint8_t>> Base58Decode(std::string_view text, std::size_t max_bytes = 128);

/// |text| as exactly 32 bytes (a public key, a mint, a blockhash); nullopt otherwise.
std::optional<std::array<uint8_t, 32>> Base58Decode32(std::string_view text);

}  // namespace x402::svm
