// Logger writes timestamped lines ("2026-11-26T12:00:00.123Z INFO listening on …") to a
// terminal stream and/or the server's log file, which rotates by size (Poco FileChannel) so
// a long-running service never fills a disk. Safe to call from any thread; the file is
// written by a thread of its own (logging.cc says why), and everything logged is in the file
// once the Logger is destroyed.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace x402 {

enum class LogLevel { kError, kWarn, kInfo, kDebug };

/// kText: "2026-11-26T12:00:00.123Z INFO message". kJson: one JSON object per line,
/// {"time":…,"level":"info","msg":…[, structured fields]}, for log shippers.
enum class LogFormat { kText, kJson };

std::string_view ToString(LogLevel level);

/// |t| broken down in UTC (gmtime_r / gmtime_s: thread-safe on every OS).
std::tm UtcTime(std::time_t t);
std::optional<LogLevel> ParseLogLevel(std::string_view text);

class Logger {
 public:
  /// Logs to |stream| (not owned; nullptr for none), dropping lines less severe than |level|.
  explicit Logger(std::FILE* stream = stderr, LogLevel level = LogLevel::kInfo);
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  /// Also writes to |path|, rotated when it reaches |max_bytes|, keeping |archives| old files
  /// (path.0 newest … path.N-1). Creates the directory (0700) when it is missing. Call it
  /// before other threads log. From then on the stream gets its lines from the file's writer
  /// thread too, in batches (info lines within about a millisecond, warnings at once).
  Status OpenFile(const std::string& path, uint64_t max_bytes, unsigned archives);

  void set_level(LogLevel level);
  void set_format(LogFormat format);
  LogFormat format() const { return format_.load(std::memory_order_relaxed); }
  /// Whether a line at |level| would be written (so a caller can skip building it).
  bool Enabled(LogLevel level) const { return level <= level_.load(std::memory_order_relaxed); }

  /// |json_fields|, when given, are members ("\"status\":200,…") added to the object in the
  /// JSON format; the text format writes |message| only.
  void Log(LogLevel level, std::string_view message, std::string_view json_fields = {});
  void Error(std::string_view message) { Log(LogLevel::kError, message); }
  void Warn(std::string_view message) { Log(LogLevel::kWarn, message); }
  void Info(std::string_view message) { Log(LogLevel::kInfo, message); }
  void Debug(std::string_view message) { Log(LogLevel::kDebug, message); }

 private:
  class File;
  mutable std::mutex mutex_;  // one direct write to stream_ at a time; the creation of file_
  std::FILE* const stream_;
  std::atomic<LogLevel> level_;
  std::atomic<LogFormat> format_{LogFormat::kText};
  std::unique_ptr<File> file_;
};

}  // namespace x402
