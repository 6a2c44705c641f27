// Test helpers: run the real x402-dev binary in a private HOME on a free loopback port, and
// talk HTTP to it with a small synchronous Beast client.
#pragma once

#include <sys/types.h>

#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace x402::testing {

namespace http = boost::beast::http;

/// A fresh directory removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A port that was free a moment ago (bind to 0, read it, close).
uint16_t FreePort();

/// The whole file ("" when it cannot be read).
std::string ReadText(const std::filesystem::path& path);

/// Alive means running: a zombie (exited, not yet reaped by a slow PID 1) is gone.
bool ProcessAlive(pid_t pid);

/// One x402-dev process. Never kills by name: only its own PID.
class ServerProcess {
 public:
  /// Starts `x402-dev <args…>` with HOME and the working directory set to |home|.
  /// |env| adds NAME=VALUE entries (X402_DEV_* of the test's own environment are dropped).
  /// With |pid_namespace|, it runs under `unshare --pid --fork`, so nothing it signals can
  /// reach a process outside.
  ServerProcess(const std::filesystem::path& home, std::vector<std::string> args,
                std::vector<std::string> env = {}, bool pid_namespace = false,
                const std::string& binary = X402_DEV_BINARY);
  ~ServerProcess();  // SIGKILL + reap if still running

  pid_t pid() const { return pid_; }
  /// Waits until GET /__x402/health answers 200 on |port| (or the process exits).
  bool WaitHealthy(uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Sends |signal|.
  void Signal(int signal);
  /// Waits for the exit; returns the exit code, or nullopt on timeout / death by signal.
  std::optional<int> Wait(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  std::string Stdout() const;
  std::string Stderr() const;
  /// Whether |text| shows up on stderr within |timeout|. The server's terminal lines come from
  /// its log thread, about a millisecond after the event (and after the response it logs).
  bool WaitForStderr(std::string_view text,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::filesystem::path out_, err_;
};

/// Runs x402-dev to completion; returns exit code, stdout, stderr.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
RunResult RunX402Dev(const std::filesystem::path& home, std::vector<std::string> args,
                     std::vector<std::string> env = {}, bool pid_namespace = false);

/// Runs |binary| (instead of the x402-dev under test) the same way.
RunResult RunBinary(const std::string& binary, const std::filesystem::path& home,
                    std::vector<std::string> args, std::vector<std::string> env = {});

/// What |count| concurrent runs of |start| ended with: how many exited 0, and how many exited 3
/// saying "already running".
struct StartRace {
  int ok = 0;
  int already_running = 0;
};
StartRace RaceStarts(int count, const std::function<RunResult()>& start);

/// Starts `sleep 60` (a live process that is not x402-dev); the caller kills it by PID.
pid_t SpawnUnrelatedProcess();

using Response = http::response<http::string_body>;
using Request = http::request<http::string_body>;

/// A keep-alive HTTP client connection to 127.0.0.1:|port|.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port);
  ~HttpClient();
  /// Sends |request| (Host is filled in unless it has one) and reads the answer. Throws on
  /// socket errors.
  Response Send(Request request);
  /// Writes raw bytes (for malformed or slow requests).
  void WriteRaw(const std::string& bytes);
  /// Reads one response after WriteRaw.
  Response Read();
  /// True when the server closed the connection (reading gives EOF or reset).
  bool ServerClosed(std::chrono::milliseconds within);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;  // owned even when the constructor's connect throws
  uint16_t port_;
};

/// A well-formed v1 X-PAYMENT header for the mock's defaults: paying |value| atomic units to
/// |to|, valid from ten minutes ago for five minutes.
std::string ValidPaymentHeader(const std::string& to = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF",
                               const std::string& value = "50000");

/// GET |target| on a fresh connection, with optional headers.
Response Get(uint16_t port, const std::string& target,
             std::vector<std::pair<std::string, std::string>> headers = {});

}  // namespace x402::testing
