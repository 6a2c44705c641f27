#include "cli/log_filter.h"

#include <cctype>
#include <charconv>

namespace x402 {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil), so
// a UTC time becomes a number without timegm, which Windows does not have.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Reads exactly |digits| decimal digits at the front of |text|.
bool TakeNumber(std::string_view* text, std::size_t digits, int* out) {
  if (text->size() < digits) return false;
  for (std::size_t i = 0; i < digits; ++i) {
    if (!std::isdigit(static_cast<unsigned char>((*text)[i]))) return false;
  }
  std::from_chars(text->data(), text->data() + digits, *out);
  text->remove_prefix(digits);
  return true;
}

bool TakeChar(std::string_view* text, char c) {
  if (text->empty() || text->front() != c) return false;
  text->remove_prefix(1);
  return true;
}

// YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]][Z|±HH:MM] as Unix ms; nullopt when |text| is not that.
std::optional<int64_t> ParseTime(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!TakeNumber(&text, 4, &year) || !TakeChar(&text, '-') || !TakeNumber(&text, 2, &month) ||
      !TakeChar(&text, '-') || !TakeNumber(&text, 2, &day)) {
    return std::nullopt;
  }
  if (!text.empty() && (text.front() == ' ' || text.front() == 'T')) {
    text.remove_prefix(1);
    if (!TakeNumber(&text, 2, &hour) || !TakeChar(&text, ':') || !TakeNumber(&text, 2, &minute)) {
      return std::nullopt;
    }
    if (TakeChar(&text, ':')) {
      if (!TakeNumber(&text, 2, &second)) return std::nullopt;
      if (TakeChar(&text, '.')) {
        // 1 to 9 fraction digits; milliseconds are what the log has.
        std::size_t digits = 0;
        while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
          ++digits;
        }
        if (digits == 0 || digits > 9) return std::nullopt;
        std::string fraction(text.substr(0, digits));
        fraction.resize(3, '0');
        std::from_chars(fraction.data(), fraction.data() + 3, millis);
        text.remove_prefix(digits);
      }
    }
  }
  int64_t offset_minutes = 0;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    const int sign = text.front() == '-' ? -1 : 1;
    text.remove_prefix(1);
    int oh = 0, om = 0;
    if (!TakeNumber(&text, 2, &oh)) return std::nullopt;
    TakeChar(&text, ':');
    if (!TakeNumber(&text, 2, &om) || oh > 23 || om > 59) return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
  } else {
    TakeChar(&text, 'Z');
  }
  if (!text.empty()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  const int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

// 90s, 10m, 2h, 1d, 1h30m, 500ms as milliseconds; nullopt when |text| is not that.
std::optional<int64_t> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  while (!text.empty()) {
    int64_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || number < 0 || number > int64_t{100} * 365 * 86400) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    int64_t unit = 0;
    if (text.substr(0, 2) == "ms") {
      unit = 1;
      text.remove_prefix(2);
    } else if (!text.empty()) {
      switch (text.front()) {
        case 's': unit = 1000; break;
        case 'm': unit = 60 * 1000; break;
        case 'h': unit = 3600 * 1000; break;
        case 'd': unit = 86400 * 1000; break;
        default: return std::nullopt;
      }
      text.remove_prefix(1);
    } else {
      return std::nullopt;  // a bare number: seconds or minutes? Say which.
    }
    total += number * unit;
  }
  return total;
}

}  // namespace

std::optional<int64_t> ParseSince(std::string_view text, int64_t now_ms, std::string* problem) {
  if (const std::optional<int64_t> duration = ParseDuration(text)) return now_ms - *duration;
  if (const std::optional<int64_t> time = ParseTime(text)) return *time;
  *problem = "--since '" + std::string(text) +
             "' is neither a duration (90s, 10m, 2h, 1d, 1h30m) nor a time "
             "(2026-11-30, \"2026-11-30 03:00\", 2026-11-30T03:00:00Z)";
  return std::nullopt;
}

std::optional<LogLineHead> ParseLogLineHead(std::string_view line) {
  // "2026-11-30T03:12:45.123Z INFO …": a fixed-width time, one space, the level in capitals.
  constexpr std::size_t kTimeWidth = 24;
  if (line.size() < kTimeWidth + 2 || line[kTimeWidth] != ' ' || line[kTimeWidth - 1] != 'Z') {
    return std::nullopt;
  }
  const std::optional<int64_t> time = ParseTime(line.substr(0, kTimeWidth));
  if (!time) return std::nullopt;
  std::string_view rest = line.substr(kTimeWidth + 1);
  const std::size_t space = rest.find(' ');
  std::string tag(rest.substr(0, space));
  for (char& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::optional<LogLevel> level = ParseLogLevel(tag);
  if (!level) return std::nullopt;
  return LogLineHead{*time, *level};
}

bool LogFilter::Accept(std::string_view line) {
  if (const std::optional<LogLineHead> head = ParseLogLineHead(line)) {
    showing_ = head->level <= level_ && (!since_ms_ || head->time_ms >= *since_ms_);
  }
  return showing_;
}

}  // namespace x402
