// The connection coroutine. Async lifetimes are the subtle part of a Beast server, so this
// file says more than most about why things happen in the order they do.
#include "server/session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <ctime>
#include <string>

#include "server/response_wire.h"
#include "server/router.h"

namespace x402 {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;

constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);

// How long a refused client may keep sending what it had started (nginx's lingering close).
constexpr auto kLingerTime = std::chrono::seconds(2);

// Writes a final error answer (431, 413, 400) and gives up on the connection: after a
// refused request the stream's framing cannot be trusted. Closing at once with the rest of an
// upload unread would make the kernel send a reset, and a client still writing its body then
// gets EPIPE or ECONNRESET instead of the answer. So, like nginx, stop sending, then read and
// discard what arrives until the client closes or kLingerTime passes.
net::awaitable<void> Refuse(Connection& c, http::status status, std::string_view message,
                            const ServerShared& shared) {
  Response res = MakeErrorResponse(status, message, 11);
  c.stream.expires_after(shared.options.body_timeout);
  auto [ec, written] = co_await http::async_write(c.stream, res, kNoThrow);
  (void)written;
  if (ec) co_return;
  ++c.answered;
  c.stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  c.stream.expires_after(kLingerTime);
  std::array<char, 16 * 1024> discard{};
  for (;;) {
    auto [read_ec, n] = co_await c.stream.async_read_some(net::buffer(discard), kNoThrow);
    (void)n;
    if (read_ec) break;
  }
}

}  // namespace

net::awaitable<void> RunSession(std::shared_ptr<Connection> connection,
                                std::shared_ptr<ServerShared> shared) {
  Connection& c = *connection;
  // The buffer outlives each request: with keep-alive, bytes of the next request may
  // already have arrived with the previous one.
  beast::flat_buffer buffer;
  // The answer's bytes, rendered per request into storage kept for the connection's life.
  std::string wire;
  RequestContext context;
  context.pid = shared->pid;
  context.port = shared->port;
  context.host = shared->options.host;

  for (;;) {
    if (shared->stopping.load(std::memory_order_relaxed)) {
      // Shutting down: a request that has already arrived is still answered (with
      // "Connection: close"); otherwise the connection ends here.
      boost::system::error_code ec;
      if (buffer.size() == 0 && (c.stream.socket().available(ec) == 0 || ec)) break;
    }
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(shared->options.header_limit));
    parser.body_limit(shared->options.body_limit);

    // One deadline covers both the idle keep-alive wait and a slow sender (slowloris): the
    // whole header must arrive within header_timeout, or the connection is dropped.
    c.stream.expires_after(shared->options.header_timeout);
    auto [header_ec, header_bytes] = co_await http::async_read_header(c.stream, buffer, parser, kNoThrow);
    if (header_ec == http::error::header_limit) {
      co_await Refuse(c, http::status::request_header_fields_too_large,
                      "request header larger than 8 KiB", *shared);
      break;
    }
    if (header_ec == http::error::body_limit) {  // Content-Length already says too much
      co_await Refuse(c, http::status::payload_too_large, "request body larger than 1 MiB", *shared);
      break;
    }
    if (header_ec) {
      // A parse error deserves an answer; a closed, reset, cancelled or timed-out
      // connection does not (there is nobody to read it).
      const bool malformed = header_ec != http::error::end_of_stream &&
                             header_ec.category() == http::make_error_code(http::error::bad_method).category();
      if (malformed) co_await Refuse(c, http::status::bad_request, "malformed HTTP request", *shared);
      break;
    }
    (void)header_bytes;

    if (!parser.is_done()) {
      c.stream.expires_after(shared->options.body_timeout);
      auto [body_ec, body_bytes] = co_await http::async_read(c.stream, buffer, parser, kNoThrow);
      (void)body_bytes;
      if (body_ec == http::error::body_limit) {
        co_await Refuse(c, http::status::payload_too_large, "request body larger than 1 MiB",
                        *shared);
        break;
      }
      if (body_ec) break;
    }

    // From here until the answer is written the connection is busy: shutdown waits for it.
    c.busy = true;
    const std::shared_ptr<const Paywall> paywall = shared->paywall.load();
    context.paywall = paywall.get();
    context.now_unix = static_cast<int64_t>(std::time(nullptr));
    context.closing = shared->stopping.load(std::memory_order_relaxed);
    context.uptime_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::steady_clock::now() - shared->started)
                                 .count();
    RouteResult result = HandleRequest(parser.get(), context);
    if (!result.log_line.empty()) shared->logger->Info(result.log_line);

    if (result.delay.count() > 0) {
      // The timeout simulation waits on a timer, never on a thread.
      net::steady_timer timer(c.stream.get_executor(), result.delay);
      co_await timer.async_wait(kNoThrow);
    }
    c.stream.expires_after(shared->options.body_timeout);
    bool keep_alive = true;
    boost::system::error_code write_ec;
    if (result.raw) {
      // A cached answer: its bytes are final (HTTP/1.1, keep-alive). |result| keeps them alive.
      auto [ec, written] = co_await net::async_write(c.stream, net::buffer(*result.raw), kNoThrow);
      write_ec = ec;
      (void)written;
    } else {
      keep_alive = result.response.keep_alive();
      RenderResponse(result.response, &wire);
      auto [ec, written] = co_await net::async_write(c.stream, net::buffer(wire), kNoThrow);
      write_ec = ec;
      (void)written;
    }
    c.busy = false;
    if (write_ec) break;
    ++c.answered;
    if (!keep_alive) break;
  }

  beast::error_code ignored;
  c.stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  shared->connections.Remove(connection);
}

}  // namespace x402
