// Prices: USD amounts given as decimal text (config, flags, env) converted exactly to the
// asset's atomic units. USDC has 6 decimals, so 0.01 USD is "10000". No floating point
// anywhere on this path: "0.1" in binary floating point is not 0.1, and x402 amounts are
// compared as big integers by clients and facilitators.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "x402/uint256.h"

namespace x402 {

/// Decimals of every asset the mock offers (USDC).
inline constexpr int kAssetDecimals = 6;

/// An amount in atomic units of the asset (10^-6 USD for USDC), as large as the chain's uint256.
struct AtomicAmount {
  Uint256 units;
  friend bool operator==(AtomicAmount, AtomicAmount) = default;
  friend auto operator<=>(AtomicAmount, AtomicAmount) = default;
};

/// Why a USD text did not parse; |ParseUsd| fills it.
enum class UsdParseError { kNone, kEmpty, kNegative, kNotANumber, kTooPrecise, kTooLarge };

/// Parses "0.01", "1", ".5", "0.000001", "$0.10" into atomic units. Rejects negatives,
/// exponents, more than 6 decimals (not representable), and values above 10^12 USD.
std::optional<AtomicAmount> ParseUsd(std::string_view text, UsdParseError* error = nullptr);

/// A human explanation of |error| for config messages.
std::string_view DescribeUsdParseError(UsdParseError error);

/// Formats atomic units as a USD decimal without trailing zeros: 10000 → "0.01", 0 → "0".
std::string FormatUsd(AtomicAmount amount);

/// Atomic units as the plain decimal digits x402 puts on the wire: 10000 → "10000".
std::string AtomicString(AtomicAmount amount);

/// Parses the plain-digits form back (what clients send in authorization.value), as BigInt
/// does: any size up to 2^256 - 1 (an overpayment of 2^70 is an amount, not an error).
/// Rejects signs, spaces and anything that is not a digit.
std::optional<AtomicAmount> ParseAtomic(std::string_view digits);

}  // namespace x402
