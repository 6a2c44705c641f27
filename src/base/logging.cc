#include "base/logging.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/FileChannel.h>
#include <Poco/Message.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <string>

namespace x402 {
namespace {

std::string Timestamp() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::tm utc = UtcTime(seconds);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return buf;
}

}  // namespace

// Poco stays inside this file: the rest of x402-dev sees a Logger.
class Logger::File {
 public:
  explicit File(Poco::AutoPtr<Poco::FileChannel> channel) : channel_(std::move(channel)) {}
  ~File() { channel_->close(); }
  void Write(const std::string& line) {
    channel_->log(Poco::Message("x402-dev", line, Poco::Message::PRIO_INFORMATION));
  }

 private:
  Poco::AutoPtr<Poco::FileChannel> channel_;
};

std::tm UtcTime(std::time_t t) {
  std::tm utc{};
#ifdef _WIN32
  gmtime_s(&utc, &t);
#else
  gmtime_r(&t, &utc);
#endif
  return utc;
}

std::string_view ToString(LogLevel level) {
  switch (level) {
    case LogLevel::kError: return "error";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kInfo: return "info";
    case LogLevel::kDebug: return "debug";
  }
  return "info";
}

std::optional<LogLevel> ParseLogLevel(std::string_view text) {
  for (LogLevel l : {LogLevel::kError, LogLevel::kWarn, LogLevel::kInfo, LogLevel::kDebug}) {
    if (ToString(l) == text) return l;
  }
  return std::nullopt;
}

Logger::Logger(std::FILE* stream, LogLevel level) : stream_(stream), level_(level) {}
Logger::~Logger() = default;

Status Logger::OpenFile(const std::string& path, uint64_t max_bytes, unsigned archives) {
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::Io("cannot create the log directory " + dir.string() + ": " + ec.message());
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  }
  try {
    Poco::AutoPtr<Poco::FileChannel> channel(new Poco::FileChannel(path));
    channel->setProperty(Poco::FileChannel::PROP_ROTATION, std::to_string(max_bytes));
    channel->setProperty(Poco::FileChannel::PROP_ARCHIVE, "number");
    channel->setProperty(Poco::FileChannel::PROP_PURGECOUNT, std::to_string(archives));
    channel->setProperty(Poco::FileChannel::PROP_FLUSH, "true");
    channel->open();
    std::lock_guard<std::mutex> lock(mutex_);
    file_ = std::make_unique<File>(channel);
  } catch (const Poco::Exception& e) {
    return Status::Io("cannot open the log file " + path + ": " + e.displayText())
        .WithHint("check that the directory is writable and the disk is not full");
  }
  return Status::Ok();
}

void Logger::set_stream(std::FILE* stream) {
  std::lock_guard<std::mutex> lock(mutex_);
  stream_ = stream;
}

void Logger::set_level(LogLevel level) {
  std::lock_guard<std::mutex> lock(mutex_);
  level_ = level;
}

void Logger::Log(LogLevel level, std::string_view message) {
  std::string tag(ToString(level));
  for (char& c : tag) c = static_cast<char>(c - 'a' + 'A');
  std::string line = Timestamp() + " " + tag + " " + std::string(message);

  std::lock_guard<std::mutex> lock(mutex_);
  if (level > level_) return;
  if (file_) {
    try {
      file_->Write(line);
    } catch (const Poco::Exception&) {
      // A full disk must not take the server down; the terminal still gets the line.
    }
  }
  if (stream_ != nullptr) {
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stream_);
    std::fflush(stream_);
  }
}

}  // namespace x402
