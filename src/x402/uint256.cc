#include "x402/uint256.h"

#include <algorithm>

namespace x402 {
namespace {

// GCC and Clang (also mingw-w64 and Apple's) have a 128-bit integer: the product and the
// remainder of two limbs.
__extension__ using U128 = unsigned __int128;

}  // namespace

Uint256 Uint256::Max() {
  Uint256 max;
  max.limbs_.fill(UINT64_MAX);
  return max;
}

Uint256 Uint256::Pow10(int exponent) {
  Uint256 value = 1;
  for (int i = 0; i < exponent; ++i) value = *value.CheckedMul(10);
  return value;
}

std::optional<Uint256> Uint256::ParseDecimal(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  // Nineteen digits always fit in 64 bits: the amounts and times of real payments, parsed
  // without limb arithmetic (this runs several times on every paid request).
  if (digits.size() <= 19) {
    uint64_t value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    return Uint256(value);
  }
  // 2^256 has 78 digits; leading zeros aside, a longer number overflows (checked below).
  Uint256 value;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto times_ten = value.CheckedMul(10);
    if (!times_ten) return std::nullopt;
    const auto next = times_ten->CheckedAdd(static_cast<uint64_t>(c - '0'));
    if (!next) return std::nullopt;
    value = *next;
  }
  return value;
}

std::string Uint256::ToDecimal() const {
  if (FitsUint64()) return std::to_string(limbs_[0]);
  // Nineteen digits at a time: 10^19 is the largest power of ten below 2^64.
  constexpr uint64_t kChunk = 10'000'000'000'000'000'000ULL;
  Uint256 rest = *this;
  std::string out;
  while (!rest.FitsUint64()) {
    std::string chunk = std::to_string(rest.DivMod(kChunk));
    out.insert(0, chunk);
    out.insert(0, 19 - chunk.size(), '0');
  }
  return std::to_string(rest.limbs_[0]) + out;
}

std::array<uint8_t, 32> Uint256::ToBigEndian() const {
  std::array<uint8_t, 32> bytes{};
  for (std::size_t limb = 0; limb < 4; ++limb) {
    for (std::size_t b = 0; b < 8; ++b) {
      bytes[31 - (limb * 8 + b)] = static_cast<uint8_t>(limbs_[limb] >> (8 * b));
    }
  }
  return bytes;
}

Uint256 Uint256::FromBigEndian(const std::array<uint8_t, 32>& bytes) {
  Uint256 value;
  for (std::size_t limb = 0; limb < 4; ++limb) {
    for (std::size_t b = 0; b < 8; ++b) {
      value.limbs_[limb] |= static_cast<uint64_t>(bytes[31 - (limb * 8 + b)]) << (8 * b);
    }
  }
  return value;
}

int64_t Uint256::SaturatedInt64() const {
  if (!FitsUint64() || limbs_[0] > static_cast<uint64_t>(INT64_MAX)) return INT64_MAX;
  return static_cast<int64_t>(limbs_[0]);
}

std::optional<Uint256> Uint256::CheckedAdd(const Uint256& other) const {
  Uint256 sum;
  uint64_t carry = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const uint64_t a = limbs_[i];
    const uint64_t partial = a + other.limbs_[i];
    const uint64_t total = partial + carry;
    carry = (partial < a || total < partial) ? 1 : 0;
    sum.limbs_[i] = total;
  }
  if (carry != 0) return std::nullopt;
  return sum;
}

std::optional<Uint256> Uint256::CheckedMul(uint64_t factor) const {
  Uint256 product;
  U128 carry = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const U128 wide = static_cast<U128>(limbs_[i]) * factor + carry;
    product.limbs_[i] = static_cast<uint64_t>(wide);
    carry = wide >> 64;
  }
  if (carry != 0) return std::nullopt;
  return product;
}

Uint256 Uint256::operator-(const Uint256& other) const {
  Uint256 difference;
  uint64_t borrow = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const uint64_t a = limbs_[i];
    const uint64_t b = other.limbs_[i];
    difference.limbs_[i] = a - b - borrow;
    borrow = (a < b || (a == b && borrow != 0)) ? 1 : 0;
  }
  return difference;
}

uint64_t Uint256::DivMod(uint64_t divisor) {
  U128 remainder = 0;
  for (std::size_t i = 4; i-- > 0;) {
    const U128 wide = (remainder << 64) | limbs_[i];
    limbs_[i] = static_cast<uint64_t>(wide / divisor);
    remainder = wide % divisor;
  }
  return static_cast<uint64_t>(remainder);
}

}  // namespace x402
