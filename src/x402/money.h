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

/// A USD price (in 10^-6 USD) in atomic units of an asset with |decimals| decimals, the asset
/// being worth one USD (x402's default money conversion for USD stablecoins): 10000 (0.01 USD)
/// is 10000 at 6 decimals and 10^16 at 18. nullopt when the asset cannot represent the price
/// (fewer than 6 decimals and a finer price) or |decimals| is out of 0..77.
std::optional<Uint256> UsdToAssetUnits(AtomicAmount usd, int decimals);

/// |units| of an asset with |decimals| decimals as a decimal number without trailing zeros:
/// (50000, 6) → "0.05", (10^19, 18) → "10", (0, 6) → "0".
std::string FormatUnits(const Uint256& units, int decimals);

/// Parses the plain-digits form back (what clients send in authorization.value), as BigInt
/// does: any size up to 2^256 - 1 (an overpayment of 2^70 is an amount, not an error).
/// Rejects signs, spaces and anything that is not a digit.
std::optional<AtomicAmount> ParseAtomic(std::string_view digits);

}  // namespace x402
