#include "x402/svm/base58.h"

#include <algorithm>
#include <array>

namespace x402::svm {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

// The value of each ASCII character, or -1.
constexpr std::array<int8_t, 128> kDigits = [] {
  std::array<int8_t, 128> digits{};
  digits.fill(-1);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) digits[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  return digits;
}();

}  // namespace

std::string Base58Encode(std::span<const uint8_t> bytes) {
  std::size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  // The number in base 58^5 (each "limb" five base-58 digits, least significant first), four
  // input bytes at a time: a fifth of the divisions of digit-by-digit, on the paid path of every
  // Solana payment (its payer and its transaction id).
  constexpr uint64_t kLimb = 58ull * 58 * 58 * 58 * 58;  // 656,356,768 < 2^32
  std::vector<uint32_t> limbs;
  limbs.reserve((bytes.size() - zeros) * 138 / 500 + 2);
  std::size_t i = zeros;
  while (i < bytes.size()) {
    // Shift in up to 4 bytes: multiply by 256^k and add them.
    const std::size_t k = std::min<std::size_t>(4, bytes.size() - i);
    uint64_t carry = 0;
    for (std::size_t b = 0; b < k; ++b) carry = (carry << 8) | bytes[i + b];
    const uint64_t factor = uint64_t{1} << (8 * k);
    for (uint32_t& limb : limbs) {
      carry += static_cast<uint64_t>(limb) * factor;
      limb = static_cast<uint32_t>(carry % kLimb);
      carry /= kLimb;
    }
    while (carry != 0) {
      limbs.push_back(static_cast<uint32_t>(carry % kLimb));
      carry /= kLimb;
    }
    i += k;
  }
  // Each limb's five digits, most significant first, without the leading zeros of the top one.
  std::string digits;
  digits.reserve(limbs.size() * 5);
  for (std::size_t l = limbs.size(); l-- > 0;) {
    uint32_t limb = limbs[l];
    char five[5];
    for (int d = 4; d >= 0; --d) {
      five[d] = kAlphabet[limb % 58];
      limb /= 58;
    }
    digits.append(five, 5);
  }
  const std::size_t first = digits.find_first_not_of('1');
  std::string out(zeros, '1');
  if (first != std::string::npos) out.append(digits, first, std::string::npos);
  return out;
}

std::optional<std::vector<uint8_t>> Base58Decode(std::string_view text, std::size_t max_bytes) {
  // Each character adds at most log(58)/log(256) ≈ 0.733 bytes; a longer text cannot fit.
  if (text.size() > max_bytes * 138 / 100 + 1) return std::nullopt;
  std::size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  std::vector<uint8_t> bytes(text.size() * 733 / 1000 + 1);
  std::size_t length = 0;
  for (std::size_t i = ones; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 128 || kDigits[c] < 0) return std::nullopt;
    unsigned carry = static_cast<unsigned>(kDigits[c]);
    std::size_t j = 0;
    for (; j < length || carry != 0; ++j) {
      carry += 58u * bytes[j];
      bytes[j] = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    length = j;
  }
  if (ones + length > max_bytes) return std::nullopt;
  std::vector<uint8_t> out(ones, 0);
  for (std::size_t i = length; i-- > 0;) out.push_back(bytes[i]);
  return out;
}

std::optional<std::array<uint8_t, 32>> Base58Decode32(std::string_view text) {
  const auto bytes = Base58Decode(text, 32);
  if (!bytes || bytes->size() != 32) return std::nullopt;
  std::array<uint8_t, 32> out;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

}  // namespace x402::svm
