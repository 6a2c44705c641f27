// x402-dev mock: the foreground server (what every service backend runs), and the lifecycle
// subcommands that manage it in the background.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "base/process.h"
#include "base/text.h"
#include "cli/args.h"
#include "cli/command.h"
#include "server/mock_server.h"
#include "x402/networks.h"

namespace x402 {
namespace {

constexpr const char* kSubcommands[] = {"start",  "stop", "status",  "restart",
                                        "reload", "logs", "install", "uninstall"};

constexpr const char* kDescription =
    "Runs the mock x402 server in the foreground until Ctrl+C or SIGTERM (a graceful stop:\n"
    "requests in flight are answered). SIGHUP re-reads the configuration. Requests without a\n"
    "payment get 402 with both x402 v1 (JSON body) and v2 (PAYMENT-REQUIRED header)\n"
    "requirements; a valid X-PAYMENT or PAYMENT-SIGNATURE gets what the simulation mode says.\n"
    "\n"
    "Subcommands manage the server in the background:\n"
    "  start | stop | status | restart | reload | logs | install | uninstall\n"
    "\n"
    "Exit codes: 0 clean stop, 2 port in use, 3 other error (bad config, …).";
constexpr const char* kExamples =
    "  x402-dev mock\n"
    "  x402-dev mock --port 4020 --pricing 0.05 --simulation-mode failure\n"
    "  curl -i http://127.0.0.1:3402/api/data          # 402 with the payment requirements\n"
    "  curl -H 'X-Simulation-Mode: timeout' …          # per-request simulation\n";

std::string Pad(std::string text, std::size_t width) {
  text.resize(std::max(width, text.size()), ' ');
  return text;
}

void PrintBanner(const Console& console, const Paywall& paywall, const std::string& url,
                 int64_t pid) {
  const MockServerConfig& m = paywall.config();
  console.Out(console.Bold("x402-dev mock server") + " listening on " + console.Green(url) +
              " (PID " + std::to_string(pid) + ")");
  console.Out("  network      " + std::string(paywall.network().v1_name) + " (" +
              std::string(paywall.network().caip2) + "), asset " +
              paywall.RequirementsFor("/", url).asset);
  console.Out("  pay to       " + m.pay_to);
  console.Out("  simulation   " + std::string(ToString(m.simulation_mode)) +
              (m.simulation_mode == SimulationMode::kTimeout
                   ? " (" + std::to_string(m.timeout_delay_ms) + " ms)"
                   : std::string()));
  std::size_t width = 16;
  for (const PriceRule& rule : m.pricing.per_resource) width = std::max(width, rule.pattern.size());
  bool first = true;
  for (const PriceRule& rule : m.pricing.per_resource) {
    console.Out(std::string(first ? "  pricing      " : "               ") +
                Pad(rule.pattern, width) + "  " + FormatUsd(rule.price) + " USD");
    first = false;
  }
  console.Out(std::string(first ? "  pricing      " : "               ") +
              Pad("(any other path)", width) + "  " + FormatUsd(m.pricing.default_price) + " USD");
  console.Out("  health       " + url + "/__x402/health");
  console.Out("  facilitator  " + url + "/facilitator");
  console.Out("Press Ctrl+C to stop.");
  std::fflush(stdout);
}

std::string UrlFor(const std::string& host, uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Status RunForeground(CommandContext& context, const po::variables_map& vm) {
  const LoadOptions load = MakeLoadOptions(vm, context.home, context.working_directory, context.env);
  LoadedConfig loaded;
  Status s = LoadConfig(load, &loaded);
  if (!s.ok()) return s;

  Logger logger(stderr, loaded.config.log_level);
  ServerOptions options;
  options.host = loaded.config.mock_server.host;
  options.port = loaded.config.mock_server.port;
  if (vm.count("threads")) options.threads = vm["threads"].as<int>();

  auto paywall = std::make_shared<const Paywall>(loaded.config.mock_server);
  MockServer server(options, paywall, logger);
  s = server.Listen();
  if (!s.ok()) return s;

  const std::string url = UrlFor(options.host, server.port());
  const Console& console = context.console;
  MockServer::Hooks hooks;
  hooks.on_ready = [&] {
    logger.Info("ready: listening on " + url);
    PrintBanner(console, *paywall, url, CurrentProcessId());
  };
  hooks.on_reload = [&]() -> std::shared_ptr<const Paywall> {
    LoadedConfig reloaded;
    Status r = LoadConfig(load, &reloaded);
    if (!r.ok()) {
      logger.Error("reload refused, keeping the running configuration: " + r.ToString());
      return nullptr;
    }
    if (reloaded.config.mock_server.port != options.port ||
        reloaded.config.mock_server.host != options.host) {
      logger.Warn("reload: host and port changes take effect on restart");
    }
    logger.set_level(reloaded.config.log_level);
    logger.Info("reload accepted");
    return std::make_shared<const Paywall>(reloaded.config.mock_server);
  };
  hooks.on_stopping = [&](std::string_view reason) {
    logger.Info("stopping (" + std::string(reason) + "): answering requests in flight");
  };
  server.Run(std::move(hooks));
  logger.Info("stopped");
  return Status::Ok();
}

}  // namespace

Status RunMockCommand(CommandContext& context) {
  po::options_description options("Options");
  options.add_options()("subcommand", po::value<std::string>(), "start | stop | status | …")(
      "threads", po::value<int>()->value_name("N"), "server threads (default: one per core)");
  options.add(ConfigOverrideOptions());
  po::positional_options_description positional;
  positional.add("subcommand", 1);
  po::variables_map vm;
  Status s = ParseArgs(context.args, options, positional, "mock", &vm);
  if (!s.ok()) return s;

  if (vm.count("subcommand")) {
    const std::string sub = vm["subcommand"].as<std::string>();
    std::vector<std::string> names(std::begin(kSubcommands), std::end(kSubcommands));
    if (std::find(names.begin(), names.end(), sub) == names.end()) {
      Status unknown = Status::Usage("unknown mock subcommand '" + sub + "'");
      if (auto match = ClosestMatch(sub, names)) {
        return std::move(unknown).WithHint("did you mean '" + *match + "'?");
      }
      return std::move(unknown).WithHint("see `x402-dev mock --help`");
    }
    return Status::NotImplemented("`x402-dev mock " + sub + "` is not implemented yet")
        .WithHint("run the server in the foreground with `x402-dev mock` meanwhile");
  }
  if (vm.count("help")) {
    context.console.Out(FormatHelp("x402-dev mock [OPTIONS] | x402-dev mock <subcommand> [OPTIONS]",
                                   kDescription, options, kExamples));
    return Status::Ok();
  }
  if (vm.count("threads") && (vm["threads"].as<int>() < 1 || vm["threads"].as<int>() > 256)) {
    return Status::Usage("--threads must be between 1 and 256");
  }
  return RunForeground(context, vm);
}

}  // namespace x402
