// The connection coroutine. Async lifetimes are the subtle part of a Beast server, so this
// file says more than most about why things happen in the order they do.
//
// Everything here runs on the connection's worker thread: no strand, no lock.
#include "server/session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <ctime>
#include <stdexcept>
#include <string>

#include "base/text.h"
#include "server/escaped_exceptions.h"
#include "server/fault_points.h"
#include "server/request_recorder.h"
#include "server/response_wire.h"
#include "server/router.h"

namespace x402 {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;

constexpr auto kNoThrow = net::as_tuple(net::use_awaitable_t<ServerExecutor>{});

// How long a refused client may keep sending what it had started (nginx's lingering close).
constexpr auto kLingerTime = std::chrono::seconds(2);

// --- the connection's deadline ------------------------------------------------------------
//
// Beast's tcp_stream arms and cancels a timer around every read and write: a timer-queue
// insertion and removal per operation. Here the connection has one deadline, moved by a plain
// store before each wait, and one watchdog timer that wakes at most at the deadline it was
// armed for. When it wakes early (the deadline has moved on, as it does on every keep-alive
// request), it re-arms for the new deadline: about one timer operation per connection per
// header timeout, instead of two per request. When it wakes late, the connection is closed,
// which ends the pending operation with an error, as tcp_stream's timeout did.

void ArmWatchdog(const std::shared_ptr<Connection>& connection) {
  Connection& c = *connection;
  c.armed = c.deadline;
  c.watchdog.expires_at(c.deadline);  // cancels a wait that was armed for a later time
  c.watchdog.async_wait([connection](const boost::system::error_code& ec) {
    Connection& conn = *connection;
    if (ec || conn.finished) return;  // re-armed earlier, or the session is over
    if (Clock::now() >= conn.deadline) {
      boost::system::error_code ignored;
      conn.socket.close(ignored);
      conn.armed = Clock::time_point::max();
      return;
    }
    ArmWatchdog(connection);
  });
}

// Moves the deadline to now + |timeout|. Re-arms the watchdog only when the new deadline is
// earlier than the one it waits for (the lingering close, or the first wait).
void ExpiresAfter(const std::shared_ptr<Connection>& connection, Clock::duration timeout) {
  Connection& c = *connection;
  c.deadline = Clock::now() + timeout;
  if (c.deadline < c.armed) ArmWatchdog(connection);
}

// No deadline, while the connection waits on the server itself (the timeout simulation).
void NoDeadline(Connection& c) { c.deadline = Clock::time_point::max(); }

// Writes a final error answer (431, 413, 400) and gives up on the connection: after a
// refused request the stream's framing cannot be trusted. Closing at once with the rest of an
// upload unread would make the kernel send a reset, and a client still writing its body then
// gets EPIPE or ECONNRESET instead of the answer. So, like nginx, stop sending, then read and
// discard what arrives until the client closes or kLingerTime passes.
net::awaitable<void, ServerExecutor> Refuse(const std::shared_ptr<Connection>& connection,
                                            http::status status, std::string_view message,
                                            const ServerShared& shared,
                                            Clock::duration write_timeout = {},
                                            Clock::duration linger = kLingerTime) {
  Connection& c = *connection;
  Response res = MakeErrorResponse(status, message, 11);
  if (status == http::status::service_unavailable) {
    res.set(http::field::retry_after, "1");
    res.prepare_payload();
  }
  ExpiresAfter(connection, write_timeout.count() > 0 ? write_timeout : shared.options.body_timeout);
  auto [ec, written] = co_await http::async_write(c.socket, res, kNoThrow);
  (void)written;
  if (ec) co_return;
  ++c.answered;
  c.socket.shutdown(net::ip::tcp::socket::shutdown_send, ec);
  ExpiresAfter(connection, linger);
  std::array<char, 16 * 1024> discard{};
  for (;;) {
    auto [read_ec, n] = co_await c.socket.async_read_some(net::buffer(discard), kNoThrow);
    (void)n;
    if (read_ec) break;
  }
}

// What a connection's read buffer may hold beyond the header limit: room for the start of a
// pipelined request behind a full-sized header, and for one chunk-size line or trailer block.
constexpr std::size_t kReadBufferSlack = 8 * 1024;

// The read buffer overflowed while the body was being read: Beast's header and body limits
// do not cover a chunk's size line (its extensions) or the trailer fields after the last
// chunk, so the buffer's own limit is what stopped them. Which one it was decides the answer.
// |pending| is what the parser could not consume yet: the start of a chunk-size line, or of
// the trailers when that line is the last chunk's "0…".
bool OverflowIsInTrailers(std::string_view pending) {
  if (pending.substr(0, 2) == "\r\n") pending.remove_prefix(2);  // the previous chunk's end
  const std::size_t eol = pending.find("\r\n");
  if (eol == std::string_view::npos) return false;  // the size line itself is too long
  const std::string_view line = pending.substr(0, eol);
  const std::string_view size = line.substr(0, line.find_first_not_of("0123456789abcdefABCDEF"));
  return !size.empty() && size.find_first_not_of('0') == std::string_view::npos;
}

// The session's hold on its worker, released however the coroutine ends: a return, or an
// exception (the coroutine's frame is destroyed either way, and this with it). Before it was
// an object, a throw left the worker's |open| set pointing at a freed connection, which the
// shutdown then read, and waited 9 s for.
class SessionScope {
 public:
  SessionScope(const std::shared_ptr<Connection>& connection, Worker& worker)
      : connection_(*connection), worker_(worker) {
    worker_.Opened(&connection_);
  }
  ~SessionScope() {
    connection_.finished = true;
    boost::system::error_code ignored;
    try {
      connection_.watchdog.cancel();
    } catch (const boost::system::system_error&) {
      // Nothing to cancel then; the watchdog sees |finished| when it wakes.
    }
    connection_.socket.shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    worker_.Closed(&connection_);
  }
  SessionScope(const SessionScope&) = delete;
  SessionScope& operator=(const SessionScope&) = delete;

 private:
  Connection& connection_;
  Worker& worker_;
};

// Routes the request and renders the answer's bytes into |wire| (unless the answer is a cached
// one). What throws is answered (414 or 500, router.h), reported once per kind, and the request
// is still recorded: a client is never left waiting for an answer that will not come.
RouteResult RouteAndRender(const Request& request, const RequestContext& context,
                           const ServerShared& shared, std::string* wire) {
  RouteResult result;
  std::exception_ptr failure;
  try {
    if (FaultPointArmed("route") && request.find(kTestFaultHeader) != request.end()) {
      throw std::runtime_error("injected fault in the request handler (X402_DEV_TEST_FAULTS=route)");
    }
    result = HandleRequest(request, context);
    if (!result.raw) RenderResponse(result.response, wire);
  } catch (...) {
    failure = std::current_exception();
  }
  if (!failure) return result;
  shared.escaped->Report("request handler", failure, "the request was answered 414 or 500");
  result = AnswerForFailure(request, failure);
  RenderResponse(result.response, wire);
  return result;
}

}  // namespace

net::awaitable<void, ServerExecutor> RunSession(std::shared_ptr<Connection> connection,
                                                Worker& worker) {
  Connection& c = *connection;
  const ServerShared& shared = worker.shared;
  const SessionScope scope(connection, worker);
  // The buffer outlives each request: with keep-alive, bytes of the next request may
  // already have arrived with the previous one. Its limit is what bounds the memory one
  // connection can make the server hold besides the body (which body_limit bounds): without
  // it, a chunk extension or trailer block that never ends grows it without end.
  beast::flat_buffer buffer(shared.options.header_limit + kReadBufferSlack);
  // The answer's bytes, rendered per request into storage kept for the connection's life.
  std::string wire;
  RequestContext context;
  context.pid = shared.pid;
  context.port = shared.port;
  context.host = shared.options.host;
  context.settlement = shared.settlement.get();
  context.history = shared.history.get();

  for (;;) {
    if (shared.stopping.load(std::memory_order_relaxed)) {
      // Shutting down: a request that has already arrived is still answered (with
      // "Connection: close"); otherwise the connection ends here.
      boost::system::error_code ec;
      if (buffer.size() == 0 && (c.socket.available(ec) == 0 || ec)) break;
    }
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(shared.options.header_limit));
    parser.body_limit(shared.options.body_limit);

    // One deadline covers both the idle keep-alive wait and a slow sender (slowloris): the
    // whole header must arrive within header_timeout, or the connection is dropped.
    ExpiresAfter(connection, shared.options.header_timeout);
    auto [header_ec, header_bytes] = co_await http::async_read_header(c.socket, buffer, parser, kNoThrow);
    const RequestArrival arrival = RequestArrival::Now();
    if (header_ec == http::error::header_limit || header_ec == http::error::buffer_overflow) {
      RecordRefused(shared, parser.get(), 431, "request header larger than 8 KiB", arrival);
      co_await Refuse(connection, http::status::request_header_fields_too_large,
                      "request header larger than 8 KiB", shared);
      break;
    }
    if (header_ec == http::error::body_limit) {  // Content-Length already says too much
      RecordRefused(shared, parser.get(), 413, "request body larger than 1 MiB", arrival);
      co_await Refuse(connection, http::status::payload_too_large, "request body larger than 1 MiB",
                      shared);
      break;
    }
    if (header_ec) {
      // A parse error deserves an answer; a closed, reset, cancelled or timed-out
      // connection does not (there is nobody to read it).
      const bool malformed = header_ec != http::error::end_of_stream &&
                             header_ec.category() == http::make_error_code(http::error::bad_method).category();
      if (malformed) {
        RecordRefused(shared, parser.get(), 400, "malformed HTTP request", arrival);
        co_await Refuse(connection, http::status::bad_request, "malformed HTTP request", shared);
      }
      break;
    }
    (void)header_bytes;

    if (!parser.is_done()) {
      ExpiresAfter(connection, shared.options.body_timeout);
      auto [body_ec, body_bytes] = co_await http::async_read(c.socket, buffer, parser, kNoThrow);
      (void)body_bytes;
      if (body_ec == http::error::body_limit) {
        RecordRefused(shared, parser.get(), 413, "request body larger than 1 MiB", arrival);
        co_await Refuse(connection, http::status::payload_too_large,
                        "request body larger than 1 MiB", shared);
        break;
      }
      if (body_ec == http::error::buffer_overflow) {
        const auto pending = buffer.data();
        if (OverflowIsInTrailers({static_cast<const char*>(pending.data()), pending.size()})) {
          RecordRefused(shared, parser.get(), 431, "request trailers larger than the buffer", arrival);
          co_await Refuse(connection, http::status::request_header_fields_too_large,
                          "request trailers larger than the buffer", shared);
        } else {
          RecordRefused(shared, parser.get(), 400, "chunk-size line (chunk extensions) too long", arrival);
          co_await Refuse(connection, http::status::bad_request,
                          "chunk-size line (chunk extensions) too long", shared);
        }
        break;
      }
      if (body_ec) break;
    }

    // From here until the answer is written the connection is busy: shutdown waits for it.
    c.busy = true;
    // Only this thread can swap its paywall copy, and not while HandleRequest runs: a plain
    // pointer is enough, and no reference count shared between threads is touched.
    context.paywall = &worker.paywall();
    context.now_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    context.now_unix = context.now_unix_ms / 1000;
    context.closing = shared.stopping.load(std::memory_order_relaxed);
    context.access_log = shared.access_log.load(std::memory_order_relaxed);
    context.uptime_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - shared.started).count();
    RouteResult result = RouteAndRender(parser.get(), context, shared, &wire);
    context.paywall = nullptr;
    // The line quotes what the client sent (a network name, a reason's details): one line.
    if (!result.log_line.empty()) {
      shared.logger->Log(result.log_warning ? LogLevel::kWarn : LogLevel::kInfo, OneLine(result.log_line));
    }

    if (result.delay.count() > 0) {
      // The timeout simulation waits on a timer, never on a thread; the client is not late.
      NoDeadline(c);
      ServerTimer timer(c.socket.get_executor(), result.delay);
      co_await timer.async_wait(kNoThrow);
    }
    // Before the answer is written: a client that has read it finds its request recorded.
    // Recording allocates; if that fails the answer is still written.
    try {
      RecordRequest(shared, parser.get(), &result, arrival);
    } catch (...) {
      shared.escaped->Report("request recorder", std::current_exception(),
                             "the request is missing from the history");
    }
    ExpiresAfter(connection, shared.options.body_timeout);
    bool keep_alive = true;
    boost::system::error_code write_ec;
    if (result.raw) {
      // A cached answer: its bytes are final (HTTP/1.1, keep-alive). |result| keeps them alive.
      auto [ec, written] = co_await net::async_write(c.socket, net::buffer(*result.raw), kNoThrow);
      write_ec = ec;
      (void)written;
    } else {
      keep_alive = result.response.keep_alive();
      auto [ec, written] = co_await net::async_write(c.socket, net::buffer(wire), kNoThrow);
      write_ec = ec;
      (void)written;
    }
    c.busy = false;
    if (write_ec) break;
    ++c.answered;
    if (!keep_alive) break;
  }
}

net::awaitable<void, ServerExecutor> RefuseOverCapacity(std::shared_ptr<Connection> connection,
                                                        const ServerShared& shared) {
  // A refused connection must not hold its descriptor long: the refusal slots are few. A
  // client that does not take a 200-byte answer within a second is not waited for, nor is
  // the rest of its request for more than half of one.
  co_await Refuse(connection, http::status::service_unavailable,
                  "the server is at its connection limit; retry shortly", shared,
                  std::chrono::seconds(1), std::chrono::milliseconds(500));
  connection->finished = true;
  connection->watchdog.cancel();
}

}  // namespace x402
