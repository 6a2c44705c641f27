// MockServer runs the x402 mock over Boost.Beast: one coroutine per connection, one
// io_context per thread, and each connection living on one thread for its whole life (the
// listening socket's acceptor hands accepted connections to the threads in turn). It binds in
// Listen() (so a busy port is reported before anything else happens), serves in Run() until
// SIGINT/SIGTERM or Stop(), and then drains: it stops accepting, closes idle connections and
// lets requests in flight finish (bounded by |drain_timeout|).
//
// Thread safety: Stop() and UpdatePaywall() may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/logging.h"
#include "base/status.h"
#include "x402/paywall.h"

namespace x402 {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 3402;             // 0 picks a free port (tests)
  int threads = 0;                  // 0: one per core
  std::chrono::milliseconds header_timeout{10'000};  // whole request header, and keep-alive idle
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds drain_timeout{9'000};    // under `mock stop`'s default 10 s
  std::size_t header_limit = 8 * 1024;               // larger → 431
  std::size_t body_limit = 1024 * 1024;              // larger → 413
  bool access_log = true;                            // one info line per request
  std::size_t history_size = 1000;                   // requests kept for /__x402/requests
};

class MockServer {
 public:
  /// Callbacks, run on a server thread.
  struct Hooks {
    /// Once, when the acceptor accepts and the workers run: the moment to report readiness.
    std::function<void()> on_ready;
    /// On SIGHUP: re-read the configuration and UpdatePaywall() when it is valid.
    std::function<void()> on_reload;
    /// Once, when shutdown begins, with its reason ("SIGTERM", …).
    std::function<void(std::string_view reason)> on_stopping;
  };

  MockServer(ServerOptions options, std::shared_ptr<const Paywall> paywall, Logger& logger);
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  /// Binds and listens. kPortInUse (naming the holder when it can be found) when the port is
  /// taken; kConfig for a host that is not an address; kIo for other bind failures.
  Status Listen();

  /// The port actually bound (differs from the option when it was 0). REQUIRES: Listen().
  uint16_t port() const;

  /// Serves until stopped, then drains; returns when every worker has finished.
  /// REQUIRES: Listen() succeeded.
  void Run(Hooks hooks);

  /// Begins a graceful stop (as SIGTERM does). Safe from any thread, and more than once.
  void Stop(std::string_view reason);

  /// Runs the on_reload hook on a server thread (as SIGHUP does). Safe from any thread.
  void Reload();

  /// Swaps in a new configuration snapshot; requests already running keep the old one.
  void UpdatePaywall(std::shared_ptr<const Paywall> paywall);

  /// Turns the access log on or off (reload). Safe from any thread.
  void SetAccessLog(bool on);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace x402
