#include "x402/money.h"

#include <charconv>

namespace x402 {
namespace {

constexpr uint64_t kUnitsPerUsd = 1'000'000;
constexpr uint64_t kMaxWholeUsd = 1'000'000'000'000;  // 10^12 USD keeps units < 2^63

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<AtomicAmount> ParseUsd(std::string_view text, UsdParseError* error) {
  auto fail = [error](UsdParseError e) -> std::optional<AtomicAmount> {
    if (error != nullptr) *error = e;
    return std::nullopt;
  };
  if (error != nullptr) *error = UsdParseError::kNone;

  // Tolerate surrounding spaces and a leading '$', which people type.
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.front() == '$') text.remove_prefix(1);
  if (text.empty()) return fail(UsdParseError::kEmpty);
  if (text.front() == '-') return fail(UsdParseError::kNegative);
  if (text.front() == '+') text.remove_prefix(1);

  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return fail(UsdParseError::kNotANumber);
  for (char c : whole) {
    if (!IsDigit(c)) return fail(UsdParseError::kNotANumber);
  }
  for (char c : fraction) {
    if (!IsDigit(c)) return fail(UsdParseError::kNotANumber);
  }

  uint64_t whole_value = 0;
  if (!whole.empty()) {
    const auto [ptr, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), whole_value);
    if (ec != std::errc() || ptr != whole.data() + whole.size()) return fail(UsdParseError::kTooLarge);
  }
  if (whole_value > kMaxWholeUsd) return fail(UsdParseError::kTooLarge);

  // Trailing zeros beyond the sixth decimal are harmless ("0.0100000"); other digits are not.
  std::string_view significant = fraction;
  while (significant.size() > kAssetDecimals && significant.back() == '0') significant.remove_suffix(1);
  if (significant.size() > kAssetDecimals) return fail(UsdParseError::kTooPrecise);

  uint64_t fraction_units = 0;
  for (std::size_t i = 0; i < kAssetDecimals; ++i) {
    fraction_units = fraction_units * 10 +
                     (i < significant.size() ? static_cast<uint64_t>(significant[i] - '0') : 0);
  }
  return AtomicAmount{whole_value * kUnitsPerUsd + fraction_units};
}

std::string_view DescribeUsdParseError(UsdParseError error) {
  switch (error) {
    case UsdParseError::kNone: return "";
    case UsdParseError::kEmpty: return "the price is empty";
    case UsdParseError::kNegative: return "a price cannot be negative";
    case UsdParseError::kNotANumber: return "a price must be a decimal number of USD, e.g. 0.01";
    case UsdParseError::kTooPrecise:
      return "USDC has 6 decimals, so a price cannot be finer than 0.000001";
    case UsdParseError::kTooLarge: return "the price is too large";
  }
  return "invalid price";
}

std::string FormatUsd(AtomicAmount amount) {
  Uint256 whole = amount.units;
  const uint64_t fraction = whole.DivMod(kUnitsPerUsd);
  std::string out = whole.ToDecimal();
  if (fraction == 0) return out;
  std::string digits = std::to_string(fraction);
  digits.insert(0, static_cast<std::size_t>(kAssetDecimals) - digits.size(), '0');
  while (digits.back() == '0') digits.pop_back();
  return out + "." + digits;
}

std::string AtomicString(AtomicAmount amount) { return amount.units.ToDecimal(); }

std::optional<Uint256> UsdToAssetUnits(AtomicAmount usd, int decimals) {
  if (decimals < 0 || decimals > 77) return std::nullopt;
  if (decimals >= kAssetDecimals) {
    Uint256 out = usd.units;
    for (int i = kAssetDecimals; i < decimals; ++i) {
      const auto next = out.CheckedMul(10);
      if (!next) return std::nullopt;
      out = *next;
    }
    return out;
  }
  Uint256 rest = usd.units;
  uint64_t divisor = 1;
  for (int i = decimals; i < kAssetDecimals; ++i) divisor *= 10;
  if (rest.DivMod(divisor) != 0) return std::nullopt;  // finer than the asset's smallest unit
  return rest;
}

std::string FormatUnits(const Uint256& units, int decimals) {
  if (decimals <= 0) return units.ToDecimal();
  std::string digits = units.ToDecimal();
  const auto places = static_cast<std::size_t>(decimals);
  if (digits.size() <= places) digits.insert(0, places + 1 - digits.size(), '0');
  std::string whole = digits.substr(0, digits.size() - places);
  std::string fraction = digits.substr(digits.size() - places);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return fraction.empty() ? whole : whole + "." + fraction;
}

std::optional<AtomicAmount> ParseAtomic(std::string_view digits) {
  const auto value = Uint256::ParseDecimal(digits);
  if (!value) return std::nullopt;
  return AtomicAmount{*value};
}

}  // namespace x402
