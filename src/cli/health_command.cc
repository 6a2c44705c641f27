// x402-dev mock health: one GET of /__x402/health, exit 0 when it answers 200. A container's
// HEALTHCHECK and a Kubernetes exec probe need this: the image holds nothing but x402-dev, so
// there is no curl to ask with.
#include <chrono>
#include <optional>
#include <string>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/http_probe.h"
#include "state/instance.h"
#include "service/server_inspection.h"
#include "state/state_paths.h"

namespace x402 {
namespace {

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

std::string FormatSeconds(double seconds) {
  std::string text = std::to_string(seconds);  // "2.500000"
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text;
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
  const std::optional<ProbeUrl> url = ParseProbeUrl(url_text, kHealthPath, &problem);
  if (!url) {
    return Status::Usage("--url '" + url_text + "' " + problem)
        .WithHint("e.g. --url http://127.0.0.1:3402");
  }
  const std::string shown = FormatProbeUrl(*url);

  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  const ProbeResult result = HttpGet(*url, timeout, "health");
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
