// Uint256: the unsigned 256-bit integer of the EVM, for token amounts and timestamps as x402
// sends them (decimal strings a client may make as large as the chain's uint256). The
// references compare them as JavaScript BigInts, so the mock must too: a value above 2^64 is
// an amount (an overpayment v1 accepts), not a parse error, and 10 USD of an 18-decimal token
// (10^19) does not fit in 64 bits.
//
// Four 64-bit limbs, least significant first; only what amounts need: compare, add, subtract,
// multiply by a small number, divide by one (for decimal text), and the decimal and ABI forms.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace x402 {

class Uint256 {
 public:
  constexpr Uint256() = default;
  // Implicit: amounts are written as plain numbers in code and tests (Uint256 price = 10'000).
  constexpr Uint256(uint64_t value) : limbs_{value, 0, 0, 0} {}  // NOLINT(google-explicit-constructor)

  static Uint256 Max();
  /// 10^|exponent| (exponent 0..77).
  static Uint256 Pow10(int exponent);

  /// Decimal digits as BigInt() reads a plain number: "0", "10000", "007" (leading zeros are
  /// allowed, as BigInt allows them). nullopt for an empty text, any other character (no
  /// sign, no space, no exponent) or a value above 2^256 - 1.
  static std::optional<Uint256> ParseDecimal(std::string_view digits);
  /// The shortest decimal form: "0", "10000".
  std::string ToDecimal() const;

  /// The 32 big-endian bytes of its ABI encoding (an EIP-712 uint256 field).
  std::array<uint8_t, 32> ToBigEndian() const;
  static Uint256 FromBigEndian(const std::array<uint8_t, 32>& bytes);

  bool FitsUint64() const { return limbs_[1] == 0 && limbs_[2] == 0 && limbs_[3] == 0; }
  /// The value when FitsUint64(), else UINT64_MAX (saturated: a time "for ever").
  uint64_t SaturatedUint64() const { return FitsUint64() ? limbs_[0] : UINT64_MAX; }
  /// The value as a signed 64-bit number, saturated at INT64_MAX: for comparing timestamps.
  int64_t SaturatedInt64() const;
  bool IsZero() const { return FitsUint64() && limbs_[0] == 0; }

  /// *this + other; nullopt on overflow.
  std::optional<Uint256> CheckedAdd(const Uint256& other) const;
  /// *this * factor; nullopt on overflow.
  std::optional<Uint256> CheckedMul(uint64_t factor) const;
  /// REQUIRES: *this >= other.
  Uint256 operator-(const Uint256& other) const;
  /// Divides in place by |divisor| (> 0) and returns the remainder.
  uint64_t DivMod(uint64_t divisor);

  friend bool operator==(const Uint256&, const Uint256&) = default;
  friend std::strong_ordering operator<=>(const Uint256& a, const Uint256& b) {
    for (std::size_t i = 4; i-- > 0;) {
      if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] <=> b.limbs_[i];
    }
    return std::strong_ordering::equal;
  }

 private:
  std::array<uint64_t, 4> limbs_{};  // least significant first
};

}  // namespace x402
