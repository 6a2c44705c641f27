// State shared by the MockServer and its connection coroutines. Internal to src/server/.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include <boost/beast/core/tcp_stream.hpp>

#include "base/logging.h"
#include "server/mock_server.h"
#include "x402/paywall.h"

namespace x402 {

/// One accepted connection. |busy| is touched only on the connection's strand.
struct Connection {
  explicit Connection(boost::beast::tcp_stream s) : stream(std::move(s)) {}
  boost::beast::tcp_stream stream;
  bool busy = false;  // a request has been read and its answer is not written yet
  uint64_t answered = 0;  // answers written in full on this connection
};

/// The open connections, so that shutdown can close the idle ones and know when the busy
/// ones are done. Touched once per connection (open and close), never per request.
class ConnectionRegistry {
 public:
  void Add(const std::shared_ptr<Connection>& connection);
  /// Removes |connection|; when shutdown is under way and it was the last, runs on_drained.
  void Remove(const std::shared_ptr<Connection>& connection);
  /// Marks shutdown, closes every idle connection (on its own strand), and runs
  /// |on_drained| now or when the last busy connection is gone.
  void Drain(std::function<void()> on_drained);

  /// For the shutdown summary: answers written in full on connections that have closed, and
  /// connections still open (after the drain timeout: the ones cut off mid-request).
  uint64_t answered() const;
  std::size_t open_count() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_set<std::shared_ptr<Connection>> open_;
  uint64_t answered_ = 0;
  std::function<void()> on_drained_;
  bool draining_ = false;
};

struct ServerShared {
  ServerOptions options;
  std::atomic<std::shared_ptr<const Paywall>> paywall;
  Logger* logger = nullptr;
  int64_t pid = 0;
  uint16_t port = 0;
  std::chrono::steady_clock::time_point started;
  std::atomic<bool> stopping{false};
  ConnectionRegistry connections;
};

}  // namespace x402
