// Logger writes timestamped lines ("2026-11-26T12:00:00.123Z INFO listening on …") to one
// sink. Safe to call from any thread: each line is written whole.
#pragma once

#include <cstdio>
#include <mutex>
#include <optional>
#include <string_view>

namespace x402 {

enum class LogLevel { kError, kWarn, kInfo, kDebug };

std::string_view ToString(LogLevel level);
std::optional<LogLevel> ParseLogLevel(std::string_view text);

class Logger {
 public:
  /// Logs to |sink| (not owned), dropping lines less severe than |level|.
  explicit Logger(std::FILE* sink = stderr, LogLevel level = LogLevel::kInfo)
      : sink_(sink), level_(level) {}

  void set_level(LogLevel level) { level_ = level; }
  bool Enabled(LogLevel level) const { return level <= level_; }

  void Log(LogLevel level, std::string_view message);
  void Error(std::string_view message) { Log(LogLevel::kError, message); }
  void Warn(std::string_view message) { Log(LogLevel::kWarn, message); }
  void Info(std::string_view message) { Log(LogLevel::kInfo, message); }
  void Debug(std::string_view message) { Log(LogLevel::kDebug, message); }

 private:
  std::mutex mutex_;
  std::FILE* sink_;
  LogLevel level_;
};

}  // namespace x402
