#include "base/logging.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/FileChannel.h>
#include <Poco/Message.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>

#include "base/private_directory.h"
#include "base/text.h"

namespace x402 {
namespace {

// "2026-11-26T12:00:00.123Z", appended to |out|. The part up to the seconds is formatted once
// per second and thread (gmtime_r and snprintf cost more than the rest of an access-log line).
void AppendTimestamp(std::string* out) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  const auto millis = static_cast<int>(duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000);
  thread_local std::time_t cached_second = -1;
  thread_local char cached[64];
  if (seconds != cached_second) {
    const std::tm utc = UtcTime(seconds);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d.", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    cached_second = seconds;
  }
  out->append(cached);
  out->push_back(static_cast<char>('0' + millis / 100));
  out->push_back(static_cast<char>('0' + millis / 10 % 10));
  out->push_back(static_cast<char>('0' + millis % 10));
  out->push_back('Z');
}

std::string_view UpperTag(LogLevel level) {
  switch (level) {
    case LogLevel::kError: return "ERROR";
    case LogLevel::kWarn: return "WARN";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kDebug: return "DEBUG";
  }
  return "INFO";
}

}  // namespace

// Poco stays inside this file: the rest of x402-dev sees a Logger.
// The log file, written by a thread of its own. A paid request logs one line; writing it in
// the request's thread cost three system calls (write, lseek for the rotation check, getpid
// for Poco's Message) under a lock both server threads wanted — ~10 % of the paid path. Now
// the request thread appends the line to a buffer and the writer thread writes whatever has
// gathered in one call, at most about a millisecond after the first line: one line at a time
// when the server is quiet, many per write under load. Errors and warnings are written before Log
// returns, so a failing start leaves its reason in the file whatever happens next.
//
// The foreground server's terminal copy (|echo|) goes the same way: one write(2) per line in
// the request's thread was two system calls per paid request (the payment line and the access
// line), ~8 % of a strict paid request's CPU; now it is part of the writer's batch.
class Logger::File {
 public:
  File(Poco::AutoPtr<Poco::FileChannel> channel, uint64_t max_bytes, std::FILE* echo)
      : channel_(std::move(channel)),
        echo_(echo),
        // Each write may carry the file past its rotation size by this much (Poco checks the
        // size before a write, not during it).
        chunk_limit_(std::clamp<uint64_t>(max_bytes / 4, 256, 64 * 1024)),
        message_("x402-dev", "", Poco::Message::PRIO_INFORMATION),
        writer_([this] { WriteUntilStopped(); }) {}

  ~File() {
    {
      std::lock_guard<std::mutex> lock(queue_mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    writer_.join();
    Flush();
    channel_->close();
  }

  void Append(const std::string& line, bool urgent) {
    bool first = false;
    bool backlog = false;
    {
      std::lock_guard<std::mutex> lock(queue_mutex_);
      first = pending_.empty();
      if (!first) pending_ += '\n';
      pending_ += line;
      backlog = pending_.size() >= kBacklogLimit;
    }
    if (urgent || backlog) {
      Flush();
    } else if (first) {
      wake_.notify_one();  // the writer sleeps only while nothing is pending
    }
  }

 private:
  // After a wake-up the writer lets lines gather for this long before it writes them. Waking
  // it for every line cost a futex call and two context switches per paid request under load
  // (issue 20); now it is one wake-up and one write per kGatherTime at most, and a line is on
  // disk within about a millisecond.
  static constexpr auto kGatherTime = std::chrono::milliseconds(1);

  // Past this much unwritten text the logging thread writes it itself, waiting for the writer
  // if need be. A terminal or a container runtime's log pipe can be slower than the server
  // makes lines (podman's conmon: ~50,000 access lines/s behind wrk): unbounded, the backlog
  // grew by megabytes and a line logged after the load appeared seconds late. Bounded, a slow
  // reader slows the requests, as a direct write did, and a line is never more than about
  // this much text behind.
  static constexpr std::size_t kBacklogLimit = 64 * 1024;

  void WriteUntilStopped() {
    std::unique_lock<std::mutex> lock(queue_mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, and nothing left
      // Gather: a plain sleep outside the lock, not a timed condition wait (with mingw-w64's
      // libstdc++, wait_for on this condition variable never woke the writer under Wine's
      // SCM test, so the service never stopped). A stopping server does not gather.
      const bool gather = !stopping_;
      lock.unlock();
      if (gather) std::this_thread::sleep_for(kGatherTime);
      Flush();
      lock.lock();
    }
  }

  // Writes everything pending, in order (one writer at a time), in chunks of whole lines.
  void Flush() {
    std::lock_guard<std::mutex> write_lock(write_mutex_);
    {
      std::lock_guard<std::mutex> lock(queue_mutex_);
      batch_.swap(pending_);
    }
    std::string_view rest(batch_);
    while (!rest.empty()) {
      std::size_t end = rest.size();
      if (end > chunk_limit_) {
        const std::size_t newline = rest.rfind('\n', chunk_limit_);
        end = newline != std::string_view::npos ? newline : rest.find('\n');
        if (end == std::string_view::npos) end = rest.size();
      }
      message_.setText(std::string(rest.substr(0, end)));
      try {
        channel_->log(message_);  // appends the newline itself
      } catch (const Poco::Exception&) {
        // A full disk must not take the server down; the terminal still gets the line.
      }
      rest.remove_prefix(end == rest.size() ? end : end + 1);
    }
    if (echo_ != nullptr && !batch_.empty()) {
      batch_ += '\n';
      std::fwrite(batch_.data(), 1, batch_.size(), echo_);
      std::fflush(echo_);
    }
    batch_.clear();
  }

  Poco::AutoPtr<Poco::FileChannel> channel_;
  std::FILE* const echo_;  // the terminal, or nullptr
  const uint64_t chunk_limit_;
  std::mutex queue_mutex_;
  std::condition_variable wake_;
  std::string pending_;  // lines joined by '\n', guarded by queue_mutex_
  bool stopping_ = false;
  std::mutex write_mutex_;  // guards what follows: the writer thread or an urgent Append
  std::string batch_;
  Poco::Message message_;
  std::thread writer_;  // last: starts once everything above exists
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
  // Poco's FileChannel opens the file by name and follows links: refuse a linked (or foreign)
  // log folder and a linked log file first. The folder is ours and private (0700) once this
  // passes, so nobody else can put a link there before Poco opens the file.
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) {
    Status s = EnsurePrivateDirectory(dir.string());
    if (!s.ok()) return s;
  }
  Status s = CheckPlainFileOrMissing(path);
  if (!s.ok()) return s;
  try {
    Poco::AutoPtr<Poco::FileChannel> channel(new Poco::FileChannel(path));
    channel->setProperty(Poco::FileChannel::PROP_ROTATION, std::to_string(max_bytes));
    channel->setProperty(Poco::FileChannel::PROP_ARCHIVE, "number");
    channel->setProperty(Poco::FileChannel::PROP_PURGECOUNT, std::to_string(archives));
    channel->setProperty(Poco::FileChannel::PROP_FLUSH, "true");
    channel->open();
    std::lock_guard<std::mutex> lock(mutex_);
    file_ = std::make_unique<File>(channel, max_bytes, stream_);
  } catch (const Poco::Exception& e) {
    return Status::Io("cannot open the log file " + path + ": " + e.displayText())
        .WithHint("check that the directory is writable and the disk is not full");
  }
  return Status::Ok();
}

void Logger::set_level(LogLevel level) { level_.store(level, std::memory_order_relaxed); }

void Logger::set_format(LogFormat format) { format_.store(format, std::memory_order_relaxed); }

void Logger::Log(LogLevel level, std::string_view message, std::string_view json_fields) {
  if (level > level_.load(std::memory_order_relaxed)) return;
  std::string line;
  line.reserve(40 + message.size() + json_fields.size());
  if (format_.load(std::memory_order_relaxed) == LogFormat::kJson) {
    line += "{\"time\":\"";
    AppendTimestamp(&line);
    line += "\",\"level\":\"";
    line += ToString(level);
    line += "\",\"msg\":\"";
    line += JsonEscape(message);
    line += '"';
    if (!json_fields.empty()) {
      line += ',';
      line += json_fields;
    }
    line += '}';
  } else {
    AppendTimestamp(&line);
    line += ' ';
    line += UpperTag(level);
    line += ' ';
    line += message;
  }

  if (file_) {
    file_->Append(line, level <= LogLevel::kWarn);  // and to the stream, from the writer
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (stream_ != nullptr) {
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stream_);
    std::fflush(stream_);
  }
}

}  // namespace x402
