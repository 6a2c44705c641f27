// The types the MockServer and its connection coroutines share. Internal to src/server/.
//
// The threading model, which every type below serves: each server thread runs its own
// io_context (a Worker) and owns the connections handed to it for their whole life. Nothing
// on the request path is written by more than one thread: a connection, its deadline, the
// worker's counters and its paywall copy are touched only by the owning thread. What all
// threads read (options, the stopping flag, the paywall version) is written only at start,
// reload and shutdown.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "base/logging.h"
#include "server/escaped_exceptions.h"
#include "server/mock_server.h"
#include "server/request_history.h"
#include "x402/paywall.h"
#include "x402/settle_step.h"

namespace x402 {

// The concrete executor of a worker's io_context: no type-erased any_io_executor to copy and
// destroy on every completion.
using ServerExecutor = boost::asio::io_context::executor_type;
using ServerSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, ServerExecutor>;
using ServerAcceptor = boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, ServerExecutor>;
using ServerTimer =
    boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                      boost::asio::wait_traits<std::chrono::steady_clock>,
                                      ServerExecutor>;

/// The configuration snapshot every thread reads. The Paywall itself is immutable; a reload
/// swaps the whole pointer and bumps |version|. Each worker keeps its own copy of the pointer
/// and looks at |version| (a read of a line nobody writes under load) once per request; only
/// after a reload does it take |mutex| to copy the new pointer. So there is no shared
/// reference count touched per request, and no lock.
class PaywallSlot {
 public:
  explicit PaywallSlot(std::shared_ptr<const Paywall> paywall) : paywall_(std::move(paywall)) {}

  void Store(std::shared_ptr<const Paywall> paywall) {
    std::lock_guard<std::mutex> lock(mutex_);
    paywall_ = std::move(paywall);
    version_.fetch_add(1, std::memory_order_release);
  }

  /// Refreshes |*copy| when a reload happened since |*copy_version|.
  void Refresh(std::shared_ptr<const Paywall>* copy, uint64_t* copy_version) const {
    if (version_.load(std::memory_order_acquire) == *copy_version && *copy) return;
    std::lock_guard<std::mutex> lock(mutex_);
    *copy = paywall_;
    *copy_version = version_.load(std::memory_order_relaxed);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Paywall> paywall_;
  std::atomic<uint64_t> version_{0};
};

/// What every thread reads. Written before the workers start, except |stopping| (once, at
/// shutdown) and the paywall slot (at reload).
struct ServerShared {
  explicit ServerShared(std::shared_ptr<const Paywall> initial) : paywall(std::move(initial)) {}
  ServerOptions options;
  Logger* logger = nullptr;
  int64_t pid = 0;
  uint16_t port = 0;
  std::chrono::steady_clock::time_point started;
  std::size_t max_connections = 0;  // the effective cap (connection_limit.h)
  alignas(64) std::atomic<bool> stopping{false};
  /// Connections whose socket is open, refused ones included: added by the accepting thread,
  /// taken away by whichever worker closes one. Compared with |max_connections| per accept.
  alignas(64) std::atomic<std::size_t> open_connections{0};
  /// The access log's switch (mock_server.access_log), which a reload may flip.
  std::atomic<bool> access_log{true};
  PaywallSlot paywall;
  /// The simulated chain: outside the Paywall, so a reload (a new snapshot) keeps the used
  /// authorizations and the balances; a new server (a restart) starts empty. Thread-safe.
  const std::unique_ptr<SettlementState> settlement = std::make_unique<SettlementState>();
  /// The last requests and the counters; thread-safe (request_history.h). Kept across reloads.
  std::unique_ptr<RequestHistory> history;
  /// Where what escaped a coroutine is reported (logged once per kind); thread-safe.
  std::unique_ptr<EscapedExceptions> escaped;
};

/// One place in ServerShared::open_connections, taken when a connection is accepted and
/// given back when the connection (and so its socket, declared after it) is destroyed: that is
/// when its descriptor is free again.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::atomic<std::size_t>* count)
      : count_(count), open_with_this_(count->fetch_add(1, std::memory_order_relaxed) + 1) {}
  ~ConnectionSlot() { count_->fetch_sub(1, std::memory_order_relaxed); }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

  /// How many connections were open, this one included, when it was taken.
  std::size_t open_with_this() const { return open_with_this_; }

 private:
  std::atomic<std::size_t>* count_;
  std::size_t open_with_this_;
};

/// One accepted connection, owned by one worker for its whole life.
struct Connection {
  Connection(ServerSocket s, std::atomic<std::size_t>* open_connections)
      : slot(open_connections), socket(std::move(s)), watchdog(socket.get_executor()) {}
  ConnectionSlot slot;
  ServerSocket socket;
  /// One deadline for the connection, whatever it is waiting for (a header, a body, a
  /// write, the lingering close). Moving it is a store; |watchdog| wakes up at most at the
  /// deadline it was armed for and re-arms itself when the deadline has moved on.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::chrono::steady_clock::time_point armed = std::chrono::steady_clock::time_point::max();
  ServerTimer watchdog;
  bool busy = false;      // a request has been read and its answer is not written yet
  bool finished = false;  // the session has ended; the watchdog must not re-arm
  uint64_t answered = 0;  // answers written in full on this connection
};

/// One server thread: its io_context and the connections living on it. Everything here is
/// touched only by that thread, except |ioc| (posting to it is thread-safe).
struct Worker {
  explicit Worker(const ServerShared& shared_state)
      : ioc(1), keep_running(ioc.get_executor()), shared(shared_state) {}

  /// The paywall in force for this thread's next request.
  const Paywall& paywall() {
    shared.paywall.Refresh(&paywall_copy, &paywall_version);
    return *paywall_copy;
  }

  /// A session began / ended on this thread.
  void Opened(Connection* connection) { open.insert(connection); }
  void Closed(Connection* connection) {
    open.erase(connection);
    answered_on_closed += connection->answered;
    MaybeDrained();
  }

  /// Shutdown: closes the idle connections and reports (once) when none is left.
  void Drain(std::function<void()> on_drained);

  /// For the shutdown summary, read after the thread has ended.
  uint64_t answered() const;

  boost::asio::io_context ioc;
  /// Keeps ioc.run() going while the worker has no connection, until the drain is done.
  boost::asio::executor_work_guard<ServerExecutor> keep_running;
  const ServerShared& shared;
  std::unordered_set<Connection*> open;

 private:
  void MaybeDrained();

  std::shared_ptr<const Paywall> paywall_copy;
  uint64_t paywall_version = 0;
  uint64_t answered_on_closed = 0;
  bool draining = false;
  std::function<void()> on_drained_;
};

}  // namespace x402
