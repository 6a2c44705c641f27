#include "x402/iso_time.h"

#include <chrono>
#include <cstdio>

namespace x402 {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string IsoTimeMs(int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds(unix_ms)};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> time{t - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
  return buf;
}

std::optional<int64_t> ParseIsoTimeMs(std::string_view s) {
  // YYYY-MM-DD[THH:MM[:SS[.fff…]]][Z|±HH:MM]; a time without a zone is read as UTC (Node reads
  // it as local time, which on a server is UTC as a rule).
  auto digits = [&](std::size_t at, std::size_t n, int* out) {
    if (at + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (!IsDigit(s[i])) return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  if (!digits(0, 4, &y) || s.size() < 10 || s[4] != '-' || !digits(5, 2, &mo) || s[7] != '-' || !digits(8, 2, &d)) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  std::size_t at = 10;
  int64_t offset_minutes = 0;
  if (at < s.size()) {
    if (s[at] != 'T' && s[at] != 't') return std::nullopt;
    if (!digits(at + 1, 2, &h) || at + 3 >= s.size() || s[at + 3] != ':' || !digits(at + 4, 2, &mi)) return std::nullopt;
    at += 6;
    if (at < s.size() && s[at] == ':') {
      if (!digits(at + 1, 2, &sec)) return std::nullopt;
      at += 3;
      if (at < s.size() && s[at] == '.') {
        std::size_t n = 0;
        int scale = 100;
        for (++at; at < s.size() && IsDigit(s[at]); ++at, ++n) {
          if (scale > 0) ms += (s[at] - '0') * scale;
          scale /= 10;
        }
        if (n == 0) return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    if (at < s.size()) {
      if ((s[at] == 'Z' || s[at] == 'z') && at + 1 == s.size()) {
        ++at;
      } else if ((s[at] == '+' || s[at] == '-') && at + 6 == s.size() && s[at + 3] == ':') {
        int oh = 0, om = 0;
        if (!digits(at + 1, 2, &oh) || !digits(at + 4, 2, &om) || oh > 23 || om > 59) return std::nullopt;
        offset_minutes = (s[at] == '-' ? -1 : 1) * (oh * 60 + om);
        at += 6;
      } else {
        return std::nullopt;
      }
    }
  }
  const int64_t days_since_epoch = sys_days{date}.time_since_epoch().count();
  return ((days_since_epoch * 24 + h) * 60 + mi - offset_minutes) * 60'000 + int64_t{sec} * 1000 + ms;
}

}  // namespace x402
