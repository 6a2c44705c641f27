// x402-dev mock: the foreground server (what every service backend runs), and the lifecycle
// subcommands that manage it in the background.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "base/file.h"
#include "base/text.h"
#include "cli/args.h"
#include "cli/command.h"
#include "state/instance.h"
#include "state/launch_spec.h"
#include "host/server_host.h"

namespace x402 {
namespace {

constexpr const char* kSubcommands[] = {"start",   "stop",      "status", "list",  "restart",
                                        "reload",  "logs",      "install", "uninstall", "health",
                                        "requests"};

constexpr const char* kDescription =
    "Runs the mock x402 server in the foreground until Ctrl+C or SIGTERM (a graceful stop:\n"
    "requests in flight are answered). SIGHUP re-reads the configuration. Requests without a\n"
    "payment get 402 with both x402 v1 (JSON body) and v2 (PAYMENT-REQUIRED header)\n"
    "requirements; a valid X-PAYMENT or PAYMENT-SIGNATURE gets what the simulation mode says.\n"
    "\n"
    "Subcommands manage the server in the background:\n"
    "  start | stop | status | list | restart | reload | logs | install | uninstall\n"
    "  health: one GET of /__x402/health, exit 0 on 200 (a container's HEALTHCHECK)\n"
    "  requests: what the running server received (its request history); -f follows\n"
    "\n"
    "Exit codes: 0 clean stop, 2 port in use, 3 other error (bad config, …).";
constexpr const char* kExamples =
    "  x402-dev mock\n"
    "  x402-dev mock --port 4020 --pricing 0.05 --simulation-mode failure\n"
    "  curl -i http://127.0.0.1:3402/api/data          # 402 with the payment requirements\n"
    "  curl -H 'X-Simulation-Mode: timeout' …          # per-request simulation\n";

// The backend that launched this process, if any (set by that backend), else "foreground".
std::string LaunchedBy(const EnvLookup& env) {
  if (auto by = env("X402_DEV_LAUNCHED_BY"); by && !by->empty()) return *by;
  return "foreground";
}

// Under a service manager the environment and working directory of `mock start` are gone;
// the launch spec carries them (docs/architecture.md §6). Its X402_DEV_* variables replace the
// service's own; everything else (HOME, X402_DEV_LAUNCHED_BY) is the process environment.
EnvLookup SpecEnvironment(const LaunchSpec& spec, EnvLookup real) {
  return [spec, real](const std::string& name) -> std::optional<std::string> {
    if (auto it = spec.env.find(name); it != spec.env.end()) return it->second;
    if (name != "X402_DEV_LAUNCHED_BY" && name.rfind("X402_DEV_", 0) == 0) return std::nullopt;
    return real(name);
  };
}

Status RunForeground(CommandContext& context, const po::variables_map& vm, const Instance& instance) {
  ServerHostOptions options;
  options.load = MakeLoadOptions(vm, context.home, context.working_directory, context.env);
  options.paths = instance.Paths(context.home);
  options.instance = instance.name();
  options.backend = LaunchedBy(context.env);
  // What this server was started with: `mock restart` repeats it.
  LaunchSpec launch;
  launch.working_directory = context.working_directory;
  launch.args = ServerArgsFrom(vm, context.working_directory);
  launch.env = ConfigEnvironment(context.env);
  Status s = ThreadsFromServerArgs(launch.args, &options.threads);
  if (!s.ok()) return s;
  options.launch = std::move(launch);
  const bool background = options.backend != "foreground";
  // A direct child's stderr *is* the log file: writing both would double every line. Under
  // systemd, stderr goes to the journal (`journalctl --user -u x402-mock`).
  options.log_to_stderr = options.backend != "direct";
  options.log_file_required = options.backend != "foreground";
  options.banner = background ? nullptr : &context.console;
  return RunServerHost(options);
}

}  // namespace

Status RunMockCommand(CommandContext& context) {
  // `mock <subcommand> …`: the subcommand is the first word that is not an option; it parses
  // its own options (stop has --timeout, status has --json, …).
  for (auto it = context.args.begin(); it != context.args.end(); ++it) {
    if (it->empty() || (*it)[0] == '-') continue;
    if (std::find(std::begin(kSubcommands), std::end(kSubcommands), *it) == std::end(kSubcommands)) {
      break;
    }
    const std::string sub = *it;
    std::vector<std::string> rest(context.args.begin(), it);
    rest.insert(rest.end(), std::next(it), context.args.end());
    if (sub == "health") return RunHealthCommand(context, rest);
    if (sub == "requests") return RunRequestsCommand(context, rest);
    return RunServiceCommand(sub, context, rest);
  }

  po::options_description options = ServerOptions();
  options.add_options()("name", po::value<std::string>()->value_name("NAME"),
                        "run as this named instance (default: $X402_DEV_INSTANCE, else the "
                        "default instance)");
  po::options_description hidden;
  hidden.add_options()("subcommand", po::value<std::string>(), "start | stop | status | …")(
      "launch-spec", po::value<std::string>(), "run with a service launch spec");
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("subcommand", 1);
  po::variables_map vm;
  Status s = ParseArgs(context.args, all, positional, "mock", &vm);
  if (!s.ok()) return s;
  Instance instance;
  s = Instance::Parse(vm.count("name") ? vm["name"].as<std::string>()
                                       : context.env("X402_DEV_INSTANCE").value_or(""),
                      &instance);
  if (!s.ok()) return s;

  if (vm.count("launch-spec")) {
    // A missing spec (a service started at login before any `mock start`) means defaults.
    LaunchSpec spec;
    spec.working_directory = context.home;
    const std::string path = vm["launch-spec"].as<std::string>();
    if (auto text = ReadWholeFile(path)) {
      auto parsed = ParseLaunchSpec(*text);
      if (!parsed) return Status::Config("the launch spec " + path + " is not valid JSON");
      spec = std::move(*parsed);
    }
    po::variables_map spec_vm;
    s = ParseArgs(spec.args, ServerOptions(), {}, "mock (launch spec)", &spec_vm);
    if (!s.ok()) return s;
    // The spec lives in the user's ~/.x402dev: that names the home even for a service that
    // runs as another account (a Windows service runs as LocalSystem).
    const std::string home = instance.HomeFromLaunchSpec(path);
    CommandContext spec_context{context.console, spec.args, home, spec.working_directory,
                                SpecEnvironment(spec, context.env), context.managers};
    return RunForeground(spec_context, spec_vm, instance);
  }

  if (vm.count("subcommand")) {
    // Known subcommands were dispatched above: this word is not one of them.
    const std::string sub = vm["subcommand"].as<std::string>();
    const std::vector<std::string> names(std::begin(kSubcommands), std::end(kSubcommands));
    Status unknown = Status::Usage("unknown mock subcommand '" + sub + "'");
    if (auto match = ClosestMatch(sub, names)) {
      return std::move(unknown).WithHint("did you mean '" + *match + "'?");
    }
    return std::move(unknown).WithHint("see `x402-dev mock --help`");
  }
  if (vm.count("help")) {
    context.console.Out(FormatHelp("x402-dev mock [OPTIONS] | x402-dev mock <subcommand> [OPTIONS]",
                                   kDescription, options, kExamples));
    return Status::Ok();
  }
  return RunForeground(context, vm, instance);
}

}  // namespace x402
