#include "server/mock_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <stdexcept>
#include <thread>
#include <vector>

#include "base/process.h"
#include "net/listening_socket.h"
#include "server/connection_limit.h"
#include "server/fault_points.h"
#include "server/repeated_warning.h"
#include "server/server_shared.h"
#include "server/session.h"

namespace x402 {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr auto kNoThrow = net::as_tuple(net::use_awaitable_t<ServerExecutor>{});

// How long accepting pauses when the process is out of descriptors or memory (nginx waits
// 500 ms): retrying at once fails the same way, as fast as a core can loop.
constexpr auto kAcceptPause = std::chrono::milliseconds(100);
// How often a repeated accept problem is summed up in the log.
constexpr auto kWarningInterval = std::chrono::seconds(10);

// accept() failed for want of a resource the process will get back as connections close.
bool OutOfResources(const boost::system::error_code& ec) {
  return ec == net::error::no_descriptors ||                                // EMFILE
         ec == boost::system::errc::too_many_files_open_in_system ||        // ENFILE
         ec == net::error::no_buffer_space || ec == net::error::no_memory;  // ENOBUFS, ENOMEM
}

}  // namespace

// --- Worker -------------------------------------------------------------------------------------

void Worker::Drain(std::function<void()> on_drained) {
  draining = true;
  on_drained_ = std::move(on_drained);
  for (Connection* connection : open) {
    // An idle connection is waiting for a request header: cancelling its read ends its
    // coroutine. One whose next request has already arrived (bytes waiting in the socket) is
    // left to answer it, with "Connection: close": a request the kernel accepted for us is not
    // dropped. A busy one finishes its answer and then sees |stopping|.
    if (connection->busy) continue;
    boost::system::error_code ec;
    if (connection->socket.available(ec) == 0 || ec) connection->socket.cancel(ec);
  }
  MaybeDrained();
}

void Worker::MaybeDrained() {
  if (!draining || !open.empty() || !on_drained_) return;
  keep_running.reset();  // once nothing is left to serve, ioc.run() returns
  auto drained = std::move(on_drained_);
  on_drained_ = nullptr;
  drained();
}

uint64_t Worker::answered() const {
  uint64_t total = answered_on_closed;
  for (const Connection* connection : open) total += connection->answered;
  return total;
}

// --- MockServer -------------------------------------------------------------------------------

class MockServer::Impl {
 public:
  Impl(ServerOptions options, std::shared_ptr<const Paywall> paywall, Logger& logger)
      : shared_(std::make_unique<ServerShared>(std::move(paywall))),
        workers_(MakeWorkers(ThreadCount(options), *shared_)),
        acceptor_(main().ioc.get_executor()),
        accept_pause_(main().ioc.get_executor()),
        signals_(main().ioc),
        drain_timer_(main().ioc.get_executor()) {
    shared_->access_log.store(options.access_log);
    shared_->history = std::make_unique<RequestHistory>(options.history_size);
    shared_->options = std::move(options);
    shared_->logger = &logger;
    shared_->escaped = std::make_unique<EscapedExceptions>(&logger);
    shared_->pid = CurrentProcessId();
  }

  static int ThreadCount(const ServerOptions& options) {
    if (options.threads > 0) return options.threads;
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1 : static_cast<int>(cores);
  }

  Status Listen() {
    const ServerOptions& options = shared_->options;
    Status listening = OpenListeningSocket(options.host, options.port, &acceptor_);
    if (!listening.ok()) return listening;
    shared_->port = acceptor_.local_endpoint().port();
    return Status::Ok();
  }

  uint16_t port() const { return shared_->port; }

  void Run(Hooks hooks) {
    hooks_ = std::move(hooks);
    shared_->started = std::chrono::steady_clock::now();
    const ConnectionLimit limit = ChooseConnectionLimit(
        shared_->options.max_connections, RaiseOpenFileLimit(), static_cast<int>(workers_.size()));
    shared_->max_connections = limit.max;
    if (!limit.warning.empty()) shared_->logger->Warn(limit.warning);
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
#ifdef SIGHUP
    signals_.add(SIGHUP);
#endif
    AwaitSignal();
    SpawnAccept();

    // Readiness is reported from inside the event loop: by the time this runs, the acceptor
    // is listening and the accepting thread is dispatching.
    net::post(main().ioc, [this] {
      if (hooks_.on_ready) hooks_.on_ready();
    });

    std::vector<std::thread> threads;
    threads.reserve(workers_.size() - 1);
    for (std::size_t i = 1; i < workers_.size(); ++i) {
      threads.emplace_back([worker = workers_[i].get()] { worker->ioc.run(); });
    }
    main().ioc.run();
    for (auto& thread : threads) thread.join();

    // What a graceful stop promises, in figures the reliability suite checks: every request
    // read was answered in full, unless the drain timeout cut its connection off. Every thread
    // has ended, so their counters can be read.
    uint64_t answered = 0;
    std::size_t cut_off = 0;
    for (const auto& worker : workers_) {
      answered += worker->answered();
      cut_off += worker->open.size();
    }
    shared_->logger->Info("stopped: " + std::to_string(answered) + " answers written; " +
                          std::to_string(cut_off) + " connections cut off by the drain timeout");
  }

  void Stop(std::string_view reason) {
    net::post(main().ioc, [this, r = std::string(reason)] { BeginShutdown(r); });
  }

  void UpdatePaywall(std::shared_ptr<const Paywall> paywall) {
    shared_->paywall.Store(std::move(paywall));
  }

  void SetAccessLog(bool on) { shared_->access_log.store(on, std::memory_order_relaxed); }

  void Reload() {
    net::post(main().ioc, [this] {
      if (hooks_.on_reload && !shared_->stopping) hooks_.on_reload();
    });
  }

 private:
  static std::vector<std::unique_ptr<Worker>> MakeWorkers(int count, const ServerShared& shared) {
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < count; ++i) workers.push_back(std::make_unique<Worker>(shared));
    return workers;
  }

  // The first worker also accepts, handles signals and runs the shutdown.
  Worker& main() { return *workers_.front(); }

  // Every coroutine the server spawns ends here: what escaped it is reported (once per kind);
  // nothing is spawned `detached`, where an exception would vanish. The session has released
  // its connection by then (session.cc, SessionScope).
  auto ReportEscaped(std::string_view where, std::string_view action) {
    return [escaped = shared_->escaped.get(), where, action](std::exception_ptr error) {
      if (error) escaped->Report(where, error, action);
    };
  }

  // The accept loop, restarted after a pause when something throws in it: a server that has
  // stopped accepting but still runs is the worst kind of failure (every client times out).
  void SpawnAccept() {
    net::co_spawn(main().ioc.get_executor(), Accept(), [this](std::exception_ptr error) {
      if (!error) return;
      shared_->escaped->Report("accept loop", error, "accepting resumes in 100 ms");
      if (shared_->stopping.load() || !acceptor_.is_open()) return;
      accept_pause_.expires_after(kAcceptPause);
      accept_pause_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec && !shared_->stopping.load() && acceptor_.is_open()) SpawnAccept();
      });
    });
  }

  // Accepts until shutdown, handing each connection to the workers in turn. Two things can
  // stop a plain accept loop from serving: running out of descriptors (accept() then fails at
  // once, every time, and a loop that retries busies a core and floods the log) and more
  // clients than the server should hold. The first pauses accepting; the second is refused
  // with a 503, and when even the refusals are full, accepting pauses too: the kernel's listen
  // backlog holds the rest until a slot frees.
  net::awaitable<void, ServerExecutor> Accept() {
    Logger& logger = *shared_->logger;
    const std::size_t cap = shared_->max_connections;
    RepeatedWarning out_of_resources("accept failed: out of file descriptors or memory",
                                     "pausing new connections for 100 ms at a time",
                                     kWarningInterval);
    RepeatedWarning accept_failed("accept failed", "the connection is dropped", kWarningInterval);
    RepeatedWarning at_limit("at the connection limit (" + std::to_string(cap) + " open)",
                             "new connections are refused with 503", kWarningInterval);
    auto log = [&logger](std::optional<std::string> line, std::string_view detail = {}) {
      if (line) logger.Warn(detail.empty() ? *line : *line + " (" + std::string(detail) + ")");
    };

    std::size_t next = 0;
    for (;;) {
      if (shared_->open_connections.load(std::memory_order_relaxed) >= cap + kRefusalSlots) {
        log(at_limit.Occurred(std::chrono::steady_clock::now()));
        if (!co_await Pause()) co_return;
        continue;
      }
      // Round robin: the accepted socket is registered with its worker's io_context directly,
      // and its coroutine starts there; it never moves again.
      Worker& worker = *workers_[next];
      auto [ec, socket] = co_await acceptor_.async_accept(worker.ioc.get_executor(), kNoThrow);
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) co_return;
      const auto now = std::chrono::steady_clock::now();
      if (ec) {
        if (OutOfResources(ec)) {
          log(out_of_resources.Occurred(now), ec.message());
          if (!co_await Pause()) co_return;
        } else {
          // A client that reset before we took it, and the like: the next one is unaffected.
          log(accept_failed.Occurred(now), ec.message());
        }
        continue;
      }
      log(out_of_resources.Ended(now));
      if (FaultPointArmed("accept") && !accept_fault_tripped_) {
        accept_fault_tripped_ = true;
        throw std::runtime_error("injected fault in the accept loop (X402_DEV_TEST_FAULTS=accept)");
      }
      next = (next + 1) % workers_.size();
      socket.set_option(tcp::no_delay(true), ec);
      auto connection = std::make_shared<Connection>(std::move(socket), &shared_->open_connections);
      if (connection->slot.open_with_this() > cap) {
        log(at_limit.Occurred(now));
        net::co_spawn(worker.ioc.get_executor(), RefuseOverCapacity(std::move(connection), *shared_),
                      ReportEscaped("refusal", "the refused connection was closed"));
        continue;
      }
      log(at_limit.Ended(now));
      net::co_spawn(worker.ioc.get_executor(), RunSession(std::move(connection), worker),
                    ReportEscaped("connection", "the connection was closed"));
    }
  }

  // Waits kAcceptPause; false when the server began to stop meanwhile.
  net::awaitable<bool, ServerExecutor> Pause() {
    accept_pause_.expires_after(kAcceptPause);
    co_await accept_pause_.async_wait(kNoThrow);
    co_return acceptor_.is_open() && !shared_->stopping.load(std::memory_order_relaxed);
  }

  void AwaitSignal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal_number) {
      if (ec) return;  // cancelled at shutdown
#ifdef SIGHUP
      if (signal_number == SIGHUP) {
        if (hooks_.on_reload) hooks_.on_reload();
        AwaitSignal();
        return;
      }
#endif
      BeginShutdown(signal_number == SIGINT ? "SIGINT" : "SIGTERM");
    });
  }

  // Runs on the main worker. Stop accepting, have every worker close its idle connections and
  // let its busy ones answer, and give up after drain_timeout.
  void BeginShutdown(const std::string& reason) {
    if (shared_->stopping.exchange(true)) return;
    if (hooks_.on_stopping) hooks_.on_stopping(reason);
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    accept_pause_.cancel();
    signals_.cancel(ignored);
    drain_timer_.expires_after(shared_->options.drain_timeout);
    drain_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;  // every connection finished in time
      shared_->logger->Warn("shutdown: requests still running after the drain timeout; closing");
      for (const auto& worker : workers_) worker->ioc.stop();
    });
    workers_draining_ = workers_.size();
    for (const auto& worker : workers_) {
      net::post(worker->ioc, [this, w = worker.get()] {
        w->Drain([this] {
          net::post(main().ioc, [this] {
            if (--workers_draining_ == 0) drain_timer_.cancel();
          });
        });
      });
    }
  }

  std::unique_ptr<ServerShared> shared_;
  std::vector<std::unique_ptr<Worker>> workers_;
  ServerAcceptor acceptor_;
  ServerTimer accept_pause_;  // accepting waits on it when out of descriptors or connections
  net::basic_signal_set<ServerExecutor> signals_;
  ServerTimer drain_timer_;
  std::size_t workers_draining_ = 0;  // touched on the main worker only
  bool accept_fault_tripped_ = false;  // the "accept" fault point throws once (main worker)
  Hooks hooks_;
};

MockServer::MockServer(ServerOptions options, std::shared_ptr<const Paywall> paywall,
                       Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(paywall), logger)) {}

MockServer::~MockServer() = default;

Status MockServer::Listen() { return impl_->Listen(); }
uint16_t MockServer::port() const { return impl_->port(); }
void MockServer::Run(Hooks hooks) { impl_->Run(std::move(hooks)); }
void MockServer::Stop(std::string_view reason) { impl_->Stop(reason); }
void MockServer::Reload() { impl_->Reload(); }
void MockServer::SetAccessLog(bool on) { impl_->SetAccessLog(on); }
void MockServer::UpdatePaywall(std::shared_ptr<const Paywall> paywall) {
  impl_->UpdatePaywall(std::move(paywall));
}

}  // namespace x402
