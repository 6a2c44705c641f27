#include "x402/settlement_charge.h"

#include <boost/json.hpp>

#include "x402/json_fields.h"

namespace x402 {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "12.5" → {"12", "5"}; false unless digits, optionally a '.' and digits (which may be none
// only when |fraction_optional_digits|, as the reference's `\d{0,2}` allows "50.%").
bool SplitDecimal(std::string_view text, std::string_view* whole, std::string_view* fraction, bool empty_fraction_ok) {
  const auto dot = text.find('.');
  *whole = text.substr(0, dot);
  *fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (!AllDigits(*whole)) return false;
  if (dot == std::string_view::npos) return true;
  return fraction->empty() ? empty_fraction_ok : AllDigits(*fraction);
}

}  // namespace

bool IsChargeText(std::string_view text, std::string* problem) {
  std::string_view whole, fraction;
  if (!text.empty() && text.back() == '%') {
    if (SplitDecimal(text.substr(0, text.size() - 1), &whole, &fraction, true) && fraction.size() <= 2) return true;
  } else if (!text.empty() && text.front() == '$') {
    if (SplitDecimal(text.substr(1), &whole, &fraction, false)) return true;
  } else if (AllDigits(text)) {
    return true;
  }
  *problem = "'" + std::string(text.substr(0, 64)) + (text.size() > 64 ? "…" : "") +
             "' is not a charge: atomic units (\"1500\"), dollars (\"$0.0015\") or a percentage of the "
             "authorized maximum (\"50%\", at most two decimals)";
  return false;
}

std::optional<Uint256> ResolveCharge(std::string_view text, const Uint256& maximum, int decimals) {
  std::string problem;
  if (!IsChargeText(text, &problem)) return std::nullopt;
  std::string_view whole, fraction;
  if (text.back() == '%') {
    // resolveSettlementOverrideAmount(): maximum * (percent * 100) / 10000, rounded down.
    SplitDecimal(text.substr(0, text.size() - 1), &whole, &fraction, true);
    std::string scaled(whole);
    scaled += std::string(fraction) + std::string(2 - fraction.size(), '0');
    const auto hundredths = Uint256::ParseDecimal(scaled);
    if (!hundredths || !hundredths->FitsUint64()) return std::nullopt;
    auto product = maximum.CheckedMul(hundredths->SaturatedUint64());
    if (!product) return std::nullopt;
    (void)product->DivMod(10'000);
    return product;
  }
  if (text.front() == '$') {
    // convertToTokenAmount(): the fraction padded or cut to the asset's decimals.
    SplitDecimal(text.substr(1), &whole, &fraction, false);
    std::string digits(whole);
    const auto places = static_cast<std::size_t>(decimals);
    digits += fraction.size() >= places ? std::string(fraction.substr(0, places))
                                        : std::string(fraction) + std::string(places - fraction.size(), '0');
    return Uint256::ParseDecimal(digits);
  }
  return Uint256::ParseDecimal(text);
}

std::optional<std::string> ChargeFromOverridesHeader(std::string_view header, std::string* problem) {
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(header, ec);
  const boost::json::object* object = ec ? nullptr : parsed.if_object();
  const boost::json::string* amount = object ? StringField(*object, "amount") : nullptr;
  if (amount == nullptr) {
    *problem = std::string(kSettlementOverridesHeader) +
               " must be JSON with the charge as a string: {\"amount\": \"1500\" | \"$0.0015\" | \"50%\"}";
    return std::nullopt;
  }
  std::string text = Str(*amount);
  if (!IsChargeText(text, problem)) return std::nullopt;
  return text;
}

}  // namespace x402
