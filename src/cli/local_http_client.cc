#include "cli/local_http_client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "base/build_info.h"

namespace x402 {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);

std::string LoopbackFor(const std::string& host) {
  if (host == "0.0.0.0" || host.empty()) return "127.0.0.1";
  if (host == "::") return "::1";
  return host;
}

net::awaitable<void> Exchange(http::verb method, std::string host, uint16_t port,
                              std::string target, std::size_t body_limit,
                              beast::tcp_stream& stream, tcp::resolver& resolver,
                              HttpAnswer* answer) {
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(host, std::to_string(port), kNoThrow);
  if (resolve_ec) {
    answer->error = "cannot resolve " + host + ": " + resolve_ec.message();
    co_return;
  }
  auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, kNoThrow);
  (void)endpoint;
  if (connect_ec) {
    answer->outcome = connect_ec == net::error::connection_refused ? HttpAnswer::Outcome::kRefused
                                                                   : HttpAnswer::Outcome::kFailed;
    answer->error = connect_ec.message();
    co_return;
  }
  http::request<http::empty_body> request(method, target, 11);
  request.set(http::field::host, host.find(':') != std::string::npos
                                     ? "[" + host + "]:" + std::to_string(port)
                                     : host + ":" + std::to_string(port));
  request.set(http::field::user_agent, "x402-dev/" + std::string(Version()));
  request.set(http::field::connection, "close");
  auto [write_ec, written] = co_await http::async_write(stream, request, kNoThrow);
  (void)written;
  if (write_ec) {
    answer->error = write_ec.message();
    co_return;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kNoThrow);
  (void)read;
  if (read_ec) {
    answer->error = read_ec.message();
    co_return;
  }
  answer->outcome = HttpAnswer::Outcome::kAnswered;
  answer->status = parser.get().result_int();
  answer->body = std::move(parser.get().body());
}

}  // namespace

HttpAnswer LocalHttpRequest(http::verb method, const std::string& host, uint16_t port,
                            const std::string& target, std::chrono::milliseconds timeout,
                            std::size_t body_limit) {
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  net::steady_timer deadline(ioc, timeout);
  HttpAnswer answer;
  bool timed_out = false;
  bool finished = false;
  deadline.async_wait([&](const boost::system::error_code& ec) {
    if (ec || finished) return;
    timed_out = true;
    resolver.cancel();
    stream.socket().close();
  });
  net::co_spawn(ioc,
                Exchange(method, LoopbackFor(host), port, target, body_limit, stream, resolver,
                         &answer),
                [&](std::exception_ptr) {
                  finished = true;
                  deadline.cancel();
                });
  ioc.run();
  if (timed_out && answer.outcome != HttpAnswer::Outcome::kAnswered) {
    answer.outcome = HttpAnswer::Outcome::kTimedOut;
  }
  return answer;
}

}  // namespace x402
