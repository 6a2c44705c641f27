// x402-dev mock health: one GET of /__x402/health, exit 0 when it answers 200. A container's
// HEALTHCHECK and a Kubernetes exec probe need this: the image holds nothing but x402-dev, so
// there is no curl to ask with.
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
#include <chrono>
#include <optional>
#include <string>

#include "base/build_info.h"
#include "cli/args.h"
#include "cli/command.h"
#include "service/instance.h"
#include "service/server_inspection.h"
#include "service/state_paths.h"

namespace x402 {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);
constexpr const char* kHealthPath = "/__x402/health";

constexpr const char* kDescription =
    "Asks a mock server whether it is healthy: one GET of /__x402/health. Exits 0 when it answers\n"
    "200 within the timeout; otherwise prints one line saying what went wrong. Made for a\n"
    "container's HEALTHCHECK and Kubernetes exec probes (the image has no curl).\n"
    "\n"
    "Without --url it asks this machine's server: where the server running under this HOME\n"
    "listens (whatever flags it was started with), or, when --port, --host or --config is given\n"
    "or none runs, the configured address (--port, X402_DEV_PORT, the config files, else 3402).\n"
    "A wildcard host (0.0.0.0, ::) is asked on loopback.\n"
    "\n"
    "Exit codes: 0 healthy, 1 nothing listens there, 3 no 200 answer in time (or a bad URL).";
constexpr const char* kExamples =
    "  x402-dev mock health\n"
    "  x402-dev mock health --port 4020 --timeout 2\n"
    "  x402-dev mock health --url http://mock:3402\n";

struct HealthUrl {
  std::string host;  // a name or an address, without IPv6 brackets
  std::string port;
  std::string target;
};

// http://HOST[:PORT][/PATH]; a URL without a path asks /__x402/health. Only plain HTTP: the
// mock serves nothing else.
std::optional<HealthUrl> ParseHealthUrl(std::string_view url, std::string* problem) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    *problem = "must start with http://";
    return std::nullopt;
  }
  url.remove_prefix(kScheme.size());
  const size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  HealthUrl out;
  const bool no_path = slash == std::string_view::npos || url.substr(slash) == "/";
  out.target = no_path ? kHealthPath : std::string(url.substr(slash));
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

// The address a client connects to for the bind address |host|: a wildcard is reached on
// loopback.
std::string ConnectHostFor(const std::string& host) {
  if (host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "[::1]";
  if (host.find(':') != std::string::npos) return "[" + host + "]";
  return host;
}

std::string FormatSeconds(double seconds) {
  std::string text = std::to_string(seconds);  // "2.500000"
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text;
}

struct ProbeResult {
  enum class Outcome { kAnswered, kRefused, kTimedOut, kFailed } outcome = Outcome::kFailed;
  unsigned status = 0;
  std::string error;  // for kFailed / kRefused
};

net::awaitable<void> Probe(const HealthUrl& url, beast::tcp_stream& stream, tcp::resolver& resolver,
                           ProbeResult* result) {
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
  request.set(http::field::user_agent, "x402-dev/" + std::string(Version()) + " health");
  request.set(http::field::connection, "close");
  auto [write_ec, written] = co_await http::async_write(stream, request, kNoThrow);
  (void)written;
  if (write_ec) {
    result->error = write_ec.message();
    co_return;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kNoThrow);
  (void)read;
  if (read_ec) {
    result->error = read_ec.message();
    co_return;
  }
  result->outcome = ProbeResult::Outcome::kAnswered;
  result->status = parser.get().result_int();
}

// One GET with an overall deadline: resolving, connecting, writing and reading together.
ProbeResult GetHealth(const HealthUrl& url, std::chrono::milliseconds timeout) {
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
  net::co_spawn(ioc, Probe(url, stream, resolver, &result), [&](std::exception_ptr) {
    finished = true;
    deadline.cancel();
  });
  ioc.run();
  if (timed_out && result.outcome != ProbeResult::Outcome::kAnswered) {
    result.outcome = ProbeResult::Outcome::kTimedOut;
  }
  return result;
}

}  // namespace

Status RunHealthCommand(CommandContext& context, const std::vector<std::string>& args) {
  po::options_description options("Options");
  options.add_options()
      ("url", po::value<std::string>()->value_name("URL"),
       "the server to ask: http://HOST:PORT[/PATH] (PATH defaults to /__x402/health)")
      ("timeout", po::value<double>()->value_name("S")->default_value(5, "5"), "give up after S seconds")
      ("port", po::value<std::string>()->value_name("N"), "ask the server on this port of this machine")
      ("host", po::value<std::string>()->value_name("ADDR"),
       "the address the server was told to bind (a wildcard is asked on loopback)")
      ("config,c", po::value<std::string>()->value_name("FILE"), "read the port and host from FILE")
      ("name", po::value<std::string>()->value_name("NAME"),
       "ask the named instance's server (default: $X402_DEV_INSTANCE, else the default instance)");
  po::variables_map vm;
  Status s = ParseArgs(args, options, {}, "mock health", &vm);
  if (!s.ok()) return s;
  if (vm.count("help")) {
    context.console.Out(FormatHelp("x402-dev mock health [--url URL | --port N] [--timeout S]",
                                   kDescription, options, kExamples));
    return Status::Ok();
  }
  const double seconds = vm["timeout"].as<double>();
  if (!(seconds > 0 && seconds <= 3600)) {
    return Status::Usage("--timeout must be a number of seconds between 0 and 3600");
  }
  if (vm.count("url") && (vm.count("port") || vm.count("host") || vm.count("config"))) {
    return Status::Usage("--url names the server already; drop --port, --host and --config");
  }

  std::string url_text;
  if (vm.count("url")) {
    url_text = vm["url"].as<std::string>();
  } else {
    // The server running under this HOME knows where it listens, whatever flags it was given
    // (a container's `x402-dev mock --port N` and its HEALTHCHECK share HOME, not flags).
    std::optional<ServerState> running;
    if (!vm.count("port") && !vm.count("host") && !vm.count("config")) {
      Instance instance;
      s = Instance::Parse(vm.count("name") ? vm["name"].as<std::string>()
                                           : context.env("X402_DEV_INSTANCE").value_or(""),
                          &instance);
      if (!s.ok()) return s;
      ServerInspection found = InspectServer(instance.Paths(context.home), /*clean_up=*/false);
      if (found.running) running = std::move(found.state);
    }
    std::string host;
    uint16_t port = 0;
    if (running) {
      host = running->host;
      port = running->port;
    } else {
      LoadedConfig loaded;
      s = LoadConfig(MakeLoadOptions(vm, context.home, context.working_directory, context.env),
                     &loaded);
      if (!s.ok()) return s;
      host = loaded.config.mock_server.host;
      port = loaded.config.mock_server.port;
    }
    url_text = "http://" + ConnectHostFor(host) + ":" + std::to_string(port) + kHealthPath;
  }
  std::string problem;
  const std::optional<HealthUrl> url = ParseHealthUrl(url_text, &problem);
  if (!url) {
    return Status::Usage("--url '" + url_text + "' " + problem)
        .WithHint("e.g. --url http://127.0.0.1:3402");
  }
  const bool ipv6 = url->host.find(':') != std::string::npos;
  const std::string shown =
      "http://" + (ipv6 ? "[" + url->host + "]" : url->host) + ":" + url->port + url->target;

  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  const ProbeResult result = GetHealth(*url, timeout);
  switch (result.outcome) {
    case ProbeResult::Outcome::kAnswered:
      if (result.status == 200) {
        context.console.Out("healthy: " + shown + " answered 200");
        return Status::Ok();
      }
      return Status::Io("unhealthy: " + shown + " answered " + std::to_string(result.status) +
                        ", not 200")
          .WithHint("is this an x402-dev mock server? `x402-dev mock status` on its machine says");
    case ProbeResult::Outcome::kRefused:
      return Status::NotFound("unhealthy: nothing listens at " + shown + " (connection refused)")
          .WithHint("start the server with `x402-dev mock`, or point --url/--port at it");
    case ProbeResult::Outcome::kTimedOut:
      return Status::Timeout("unhealthy: " + shown + " gave no answer within " +
                             FormatSeconds(seconds) + " s")
          .WithHint("the server is overloaded or hung; a longer --timeout waits more");
    case ProbeResult::Outcome::kFailed:
      break;
  }
  return Status::Io("unhealthy: asking " + shown + " failed: " + result.error);
}

}  // namespace x402
