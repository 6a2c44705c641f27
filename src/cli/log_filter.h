// `mock logs --since` and `--level`: which lines of the server log to show. Pure functions
// over the log's line format ("2026-11-30T03:12:45.123Z INFO message", base/logging.cc), so
// every case is unit-tested without a server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/logging.h"

namespace x402 {

/// The start of a --since window in Unix milliseconds: a duration back from |now_ms| ("90s",
/// "10m", "2h", "1d", "1h30m") or a point in time, in UTC unless it says otherwise (as the log
/// is): "2026-11-30", "2026-11-30 03:00", "2026-11-30T03:00:05Z", "2026-11-30T03:00:05.250+01:00".
/// nullopt with |problem| set when |text| is neither.
std::optional<int64_t> ParseSince(std::string_view text, int64_t now_ms, std::string* problem);

/// The time (Unix ms) and level of a log line that starts a record; nullopt for a line that
/// does not (a continuation of the previous record's message).
struct LogLineHead {
  int64_t time_ms = 0;
  LogLevel level = LogLevel::kInfo;
};
std::optional<LogLineHead> ParseLogLineHead(std::string_view line);

/// Decides line by line, in file order: a record is shown when it is at |since_ms| or later
/// and at least as severe as |level|; a line without a head of its own goes with the record
/// before it.
class LogFilter {
 public:
  LogFilter(std::optional<int64_t> since_ms, LogLevel level)
      : since_ms_(since_ms), level_(level), showing_(!since_ms) {}
  bool Accept(std::string_view line);

 private:
  std::optional<int64_t> since_ms_;
  LogLevel level_;
  // The verdict of the last record's head line; before the first head (the tail of a record
  // cut by rotation), shown unless a --since window asks for times the line does not have.
  bool showing_;
};

}  // namespace x402
