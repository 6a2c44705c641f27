#include "cli/http_probe.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <charconv>

#include "base/build_info.h"

namespace x402 {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);

net::awaitable<void> Probe(const ProbeUrl& url, std::string user_agent, std::size_t body_limit,
                           beast::tcp_stream& stream,
                           tcp::resolver& resolver, ProbeResult* result) {
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(url.host, url.port, kNoThrow);
  if (resolve_ec) {
    result->error = "cannot resolve " + url.host + ": " + resolve_ec.message();
    co_return;
  }
  auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, kNoThrow);
  (void)endpoint;
  if (connect_ec) {
    result->outcome = connect_ec == net::error::connection_refused ? ProbeResult::Outcome::kRefused
                                                                   : ProbeResult::Outcome::kFailed;
    result->error = connect_ec.message();
    co_return;
  }
  http::request<http::empty_body> request(http::verb::get, url.target, 11);
  request.set(http::field::host, url.host);
  request.set(http::field::user_agent, user_agent);
  request.set(http::field::connection, "close");
  auto [write_ec, written] = co_await http::async_write(stream, request, kNoThrow);
  (void)written;
  if (write_ec) {
    result->error = write_ec.message();
    co_return;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kNoThrow);
  (void)read;
  if (read_ec) {
    result->error = read_ec.message();
    co_return;
  }
  result->outcome = ProbeResult::Outcome::kAnswered;
  result->status = parser.get().result_int();
  result->body = std::move(parser.get().body());
}

}  // namespace

std::optional<ProbeUrl> ParseProbeUrl(std::string_view url, std::string_view default_target,
                                      std::string* problem) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    *problem = "must start with http://";
    return std::nullopt;
  }
  url.remove_prefix(kScheme.size());
  const size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  ProbeUrl out;
  const bool no_path = slash == std::string_view::npos || url.substr(slash) == "/";
  out.target = no_path ? std::string(default_target) : std::string(url.substr(slash));
  std::string_view port = "80";
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      *problem = "has an unclosed [ in its host";
      return std::nullopt;
    }
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        *problem = "has something after its [host] that is not :PORT";
        return std::nullopt;
      }
      port = rest.substr(1);
    }
  } else {
    const size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  unsigned number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (out.host.empty()) {
    *problem = "has no host";
    return std::nullopt;
  }
  if (ec != std::errc() || end != port.data() + port.size() || number < 1 || number > 65535) {
    *problem = "has no valid port (1-65535)";
    return std::nullopt;
  }
  out.port = std::to_string(number);
  return out;
}

std::string ConnectHostFor(const std::string& host) {
  if (host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "[::1]";
  if (host.find(':') != std::string::npos) return "[" + host + "]";
  return host;
}

ProbeUrl LocalServerUrl(const std::string& bind_host, uint16_t port, std::string target) {
  ProbeUrl url;
  url.host = ConnectHostFor(bind_host);
  if (url.host.size() > 2 && url.host.front() == '[') url.host = url.host.substr(1, url.host.size() - 2);
  url.port = std::to_string(port);
  url.target = std::move(target);
  return url;
}

std::string FormatProbeUrl(const ProbeUrl& url) {
  const bool ipv6 = url.host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + url.host + "]" : url.host) + ":" + url.port + url.target;
}

ProbeResult HttpGet(const ProbeUrl& url, std::chrono::milliseconds timeout,
                    std::string_view user_agent_suffix, std::size_t body_limit) {
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  net::steady_timer deadline(ioc, timeout);
  ProbeResult result;
  bool timed_out = false;
  bool finished = false;
  deadline.async_wait([&](const boost::system::error_code& ec) {
    if (ec || finished) return;
    timed_out = true;
    resolver.cancel();
    stream.socket().close();
  });
  const std::string user_agent =
      "x402-dev/" + std::string(Version()) + " " + std::string(user_agent_suffix);
  net::co_spawn(ioc, Probe(url, user_agent, body_limit, stream, resolver, &result),
                [&](std::exception_ptr) {
                  finished = true;
                  deadline.cancel();
                });
  ioc.run();
  if (timed_out && result.outcome != ProbeResult::Outcome::kAnswered) {
    result.outcome = ProbeResult::Outcome::kTimedOut;
  }
  return result;
}

}  // namespace x402
