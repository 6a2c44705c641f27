// x402-dev mock start | stop | status | restart | reload | logs | install | uninstall | list:
// parsing and printing only. Every decision is ServerControl's (src/service/server_control.h);
// the exit codes are the documented ones (docs/cli.md), the words printed are for people,
// `--json` for scripts.
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <thread>

#include "base/process.h"
#include "base/text.h"
#include "cli/args.h"
#include "cli/command.h"
#include "cli/live_status.h"
#include "cli/log_filter.h"
#include "cli/status_view.h"
#include "state/launch_spec.h"
#include "service/server_control.h"

namespace x402 {
namespace {

// A line of the JSON log format (log_format: json), whose escapes must stay JSON.
bool IsJsonLine(std::string_view line) { return !line.empty() && line.front() == '{'; }

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr const char* kExitCodes =
    "Exit codes: 0 success, 1 no server running, 2 port in use, 3 other error.";

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

po::options_description NameOption() {
  po::options_description options("Instance");
  options.add_options()("name", po::value<std::string>()->value_name("NAME"),
                        "the named instance to act on (default: $X402_DEV_INSTANCE, else the "
                        "default instance)");
  return options;
}

milliseconds Seconds(const po::variables_map& vm, const char* name) {
  return milliseconds(static_cast<int64_t>(vm[name].as<double>() * 1000));
}

// |allow_zero|: `stop --timeout 0` kills at once (as `docker stop -t 0`); a readiness wait of
// 0 s could never succeed.
Status CheckSeconds(const po::variables_map& vm, const char* name, bool allow_zero) {
  const double s = vm[name].as<double>();
  if (allow_zero ? !(s >= 0 && s <= 3600) : !(s > 0 && s <= 3600)) {
    return Status::Usage("--" + std::string(name) + " must be a number of seconds " +
                         (allow_zero ? "from 0 to 3600" : "above 0 and at most 3600"));
  }
  return Status::Ok();
}

struct CommandHelp {
  const char* name;
  const char* description;
  const char* examples;
};

constexpr CommandHelp kStartHelp = {
    "start",
    "Starts the mock server in the background through the selected backend and returns once\n"
    "it accepts connections (or has failed). Refuses when the instance already runs.\n",
    "  x402-dev mock start\n  x402-dev mock start --port 4020 --pricing 0.05\n"
    "  x402-dev mock start --name staging --port 4021\n"
    "  x402-dev mock start --backend direct --wait-timeout 30\n"};
constexpr CommandHelp kRestartHelp = {
    "restart",
    "Stops the running server and starts it again with the options and config file it was\n"
    "started with; options given here override those one by one. The new config, address and\n"
    "port are checked before anything is stopped, so a bad option leaves the old server\n"
    "running. Starts the server when none runs.\n",
    "  x402-dev mock restart\n  x402-dev mock restart --port 4030\n"
    "  x402-dev mock restart --name staging --simulation-mode failure\n"};
constexpr CommandHelp kStopHelp = {
    "stop",
    "Stops the running mock server gracefully (requests in flight are answered) through the\n"
    "backend that owns it, waits for it to be gone, and kills it after --timeout seconds if it\n"
    "is not (0: at once).\n",
    "  x402-dev mock stop\n  x402-dev mock stop --timeout 30\n  x402-dev mock stop --name staging\n"
    "  x402-dev mock stop --all\n"};
constexpr CommandHelp kStatusHelp = {
    "status",
    "Says whether the mock server runs, with its PID, port, URL, backend, uptime, config file\n"
    "and log file, and asks the server itself (GET /__x402/health, 1 s timeout) for its request\n"
    "and payment counters, simulation mode and pricing. A server that holds the PID file's lock\n"
    "but does not answer is reported as \"running, not answering\" with exit 3. Removes a stale\n"
    "PID file and says so. --json: one object with all of that plus the reload results.\n"
    "--all: every instance (as `mock list`, which does not ask the servers).\n",
    "  x402-dev mock status\n  x402-dev mock status --json | jq .port\n"
    "  x402-dev mock status --name staging\n  x402-dev mock status --all\n"};
constexpr CommandHelp kListHelp = {
    "list",
    "One row per instance (the default one and every named one): name, state, PID, URL,\n"
    "backend, uptime. Exit 0 when at least one runs, 1 when none does.\n",
    "  x402-dev mock list\n  x402-dev mock list --json\n"};
constexpr CommandHelp kReloadHelp = {
    "reload",
    "Makes the running server re-read its configuration without dropping connections. An\n"
    "invalid configuration is refused (exit 3) and the running one stays in force.\n",
    "  x402-dev mock reload\n  x402-dev mock reload --name staging\n"};
constexpr CommandHelp kLogsHelp = {
    "logs",
    "Prints the end of the server log; -f follows it from there. --since and --level keep the\n"
    "lines of a time window and of a severity (a line that continues a message goes with it);\n"
    "both combine with -n (the last N of the lines kept) and -f (new lines are filtered too).\n"
    "Times are UTC unless they say otherwise, as the log's are.\n",
    "  x402-dev mock logs\n  x402-dev mock logs -n 200\n  x402-dev mock logs -f\n"
    "  x402-dev mock logs --since 10m\n  x402-dev mock logs --since \"2026-11-30 03:00\" --level warn\n"
    "  x402-dev mock logs --level error -f\n"};
constexpr CommandHelp kInstallHelp = {
    "install",
    "Registers the mock server with the native service manager (a systemd user unit, a\n"
    "launchd agent, a Windows service), so it can start at login (--enable) and is restarted\n"
    "on crash. A named instance gets its own unit (x402-mock@NAME.service), label or service.\n",
    "  x402-dev mock install --enable\n  x402-dev mock install --name staging --port 4021\n"};
constexpr CommandHelp kUninstallHelp = {
    "uninstall",
    "Stops the instance's native service if it runs and removes its registration.\n",
    "  x402-dev mock uninstall\n  x402-dev mock uninstall --name staging\n"};

class ServiceCommand {
 public:
  ServiceCommand(CommandContext& context, const std::vector<std::string>& args)
      : context_(context), args_(args) {}

  Status Start(bool restarting) {
    po::options_description options("Options");
    options.add_options()("wait-timeout", po::value<double>()->value_name("S")->default_value(10),
                          "seconds to wait for the server to be ready");
    if (restarting) {
      options.add_options()("timeout", po::value<double>()->value_name("S")->default_value(10),
                            "seconds to wait for the old server's graceful stop");
    }
    options.add(ServerOptions()).add(NameOption());
    po::variables_map vm;
    Status s = Parse(options, restarting ? kRestartHelp : kStartHelp, &vm);
    if (!s.ok() || vm.count("help")) return s;
    s = CheckSeconds(vm, "wait-timeout", false);
    if (!s.ok()) return s;
    if (restarting) {
      s = CheckSeconds(vm, "timeout", true);
      if (!s.ok()) return s;
    }
    std::unique_ptr<ServerControl> control;
    s = MakeControl(vm, &control);
    if (!s.ok()) return s;

    StartOptions start = MakeStartOptions(vm);
    start.ready_timeout = Seconds(vm, "wait-timeout");
    if (restarting) start.stop_timeout = Seconds(vm, "timeout");
    StartOutcome outcome;
    s = restarting ? control->Restart(start, &outcome) : control->Start(start, &outcome);
    Notes(*control);
    if (!s.ok()) return s;
    const Console& c = context_.console;
    if (outcome.stopped_pid != 0) {
      c.Out("stopped mock server (PID " + std::to_string(outcome.stopped_pid) + ")");
    }
    const std::string who = control->instance().is_default()
                                ? "mock server"
                                : "mock server '" + control->instance().name() + "'";
    c.Out(c.Green("started") + " " + who + " on " + c.Bold(outcome.url) + " (PID " +
          std::to_string(outcome.pid) + ", backend " + outcome.backend + ")");
    c.Out("log: " + outcome.log_file);
    return Status::Ok();
  }

  Status Stop() {
    po::options_description options("Options");
    options.add_options()("timeout", po::value<double>()->value_name("S")->default_value(10),
                          "seconds to wait for a graceful stop before killing (0: at once)")(
        "all", "stop every instance");
    options.add(NameOption());
    po::variables_map vm;
    Status s = Parse(options, kStopHelp, &vm);
    if (!s.ok() || vm.count("help")) return s;
    s = CheckSeconds(vm, "timeout", true);
    if (!s.ok()) return s;
    const milliseconds timeout = Seconds(vm, "timeout");
    if (!vm.count("all")) {
      std::unique_ptr<ServerControl> control;
      s = MakeControl(vm, &control);
      if (!s.ok()) return s;
      return StopOne(*control, timeout);
    }
    if (vm.count("name")) return Status::Usage("--all and --name exclude each other");
    int stopped = 0;
    Status first_failure = Status::Ok();
    for (const InstanceReport& report : InspectAllInstances(Environment(), false)) {
      if (!report.problem.ok() && first_failure.ok()) first_failure = report.problem;
      if (!report.running) continue;
      ServerControl control(Environment(), report.instance);
      s = StopOne(control, timeout);
      if (s.ok()) {
        ++stopped;
      } else if (s.code() != StatusCode::kNotFound && first_failure.ok()) {
        first_failure = s;
      }
    }
    if (!first_failure.ok()) return first_failure;
    if (stopped == 0) return Status::NotFound("no mock server is running");
    return Status::Ok();
  }

  Status Status_() {
    po::options_description options("Options");
    options.add_options()("json", "print one JSON object")("all", "every instance (as `mock list`)");
    options.add(NameOption());
    po::variables_map vm;
    Status s = Parse(options, kStatusHelp, &vm);
    if (!s.ok() || vm.count("help")) return s;
    if (vm.count("all")) return ListInstances(vm.count("json") > 0);
    std::unique_ptr<ServerControl> control;
    s = MakeControl(vm, &control);
    if (!s.ok()) return s;
    const bool manager_view = !vm.count("json");
    InstanceReport report = control->Inspect(manager_view);
    if (!report.problem.ok()) return report.problem;
    // The lock says a server runs; only asking it says whether it serves.
    std::optional<LiveStatus> live;
    if (report.running && report.state) live = AskRunningServer(*report.state, kStatusProbeTimeout);
    // A stopping server closes its listener a moment before it lets go of the lock: a refused
    // connection is looked at again (up to a second) before the server is called hung, and a
    // server that is gone by then is simply not running. A stopped (SIGSTOP) server is not
    // refused (the kernel still accepts for it): it times out, and is looked at once more.
    // Under a storm of starts and stops the server may have been replaced meanwhile: the new
    // one is asked, and if it is refused too (it may be stopping already), looked at again in
    // the same way, within the same second.
    for (int look = 0; live && !live->answering && look < 10; ++look) {
      std::this_thread::sleep_for(milliseconds(100));
      InstanceReport again = control->Inspect(manager_view);
      if (!again.problem.ok()) return again.problem;
      if (!again.running || !again.state) {  // gone, or a new one still starting
        report = std::move(again);
        live.reset();
        break;
      }
      const bool replaced = again.pid != report.pid;
      if (!replaced && !live->refused) break;  // the same one, timed out: hung or stopped
      report = std::move(again);
      live = AskRunningServer(*report.state, kStatusProbeTimeout);
    }
    const LiveStatus* asked = live ? &*live : nullptr;
    if (vm.count("json")) {
      boost::json::object o = StatusJson(report, Now(), asked);
      if (!control->notes().empty()) o["cleaned_up"] = control->notes().front();
      context_.console.Out(boost::json::serialize(o));
    } else {
      Notes(*control);
      PrintStatus(context_.console, report, Now(), asked);
    }
    if (!report.running) return Status::NotFound("no mock server is running");
    if (live && !live->answering) {
      return Status::Timeout("the server (PID " + std::to_string(report.pid) +
                             ") is running, not answering: " + live->problem)
          .WithHint("it may be stopped (SIGSTOP), hung or overloaded; `x402-dev mock restart` "
                    "replaces it");
    }
    return Status::Ok();
  }

  Status List() {
    po::options_description options("Options");
    options.add_options()("json", "print one JSON array");
    po::variables_map vm;
    Status s = Parse(options, kListHelp, &vm);
    if (!s.ok() || vm.count("help")) return s;
    return ListInstances(vm.count("json") > 0);
  }

  Status Reload() {
    po::options_description options("Options");
    options.add_options()("timeout", po::value<double>()->value_name("S")->default_value(10),
                          "seconds to wait for the server's answer");
    options.add(NameOption());
    po::variables_map vm;
    Status s = Parse(options, kReloadHelp, &vm);
    if (!s.ok() || vm.count("help")) return s;
    s = CheckSeconds(vm, "timeout", false);
    if (!s.ok()) return s;
    std::unique_ptr<ServerControl> control;
    s = MakeControl(vm, &control);
    if (!s.ok()) return s;
    int64_t pid = 0;
    s = control->Reload(Seconds(vm, "timeout"), &pid);
    Notes(*control);
    if (!s.ok()) return s;
    context_.console.Out("reloaded: the server (PID " + std::to_string(pid) +
                         ") runs the new configuration");
    return Status::Ok();
  }

  Status Logs() {
    po::options_description options("Options");
    options.add_options()("lines,n", po::value<int>()->value_name("N")->default_value(50),
                          "how many of the last (matching) lines to show; with --since, all "
                          "of them unless -n is given")(
        "follow,f", "keep printing new lines")(
        "since", po::value<std::string>()->value_name("WHEN"),
        "only lines from WHEN on: a duration back from now (90s, 10m, 2h, 1d) or a UTC time "
        "(2026-11-30, \"2026-11-30 03:00\", 2026-11-30T03:00:00Z)")(
        "level", po::value<std::string>()->value_name("LEVEL"),
        "only lines at least this severe: debug, info, warn, error");
    options.add(NameOption());
    po::variables_map vm;
    Status s = Parse(options, kLogsHelp, &vm);
    if (!s.ok() || vm.count("help")) return s;
    const int lines = vm["lines"].as<int>();
    if (lines < 0) return Status::Usage("-n must be 0 or more");
    std::optional<int64_t> since_ms;
    if (vm.count("since")) {
      std::string problem;
      const int64_t now_ms = std::chrono::duration_cast<milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
      since_ms = ParseSince(vm["since"].as<std::string>(), now_ms, &problem);
      if (!since_ms) return Status::Usage(problem);
    }
    LogLevel level = LogLevel::kDebug;
    if (vm.count("level")) {
      const std::optional<LogLevel> parsed = ParseLogLevel(vm["level"].as<std::string>());
      if (!parsed) {
        return Status::Usage("--level must be debug, info, warn or error, not '" +
                             vm["level"].as<std::string>() + "'");
      }
      level = *parsed;
    }
    // `--since 1h` means everything of the last hour (as journalctl), unless -n caps it.
    const std::size_t keep = since_ms && vm["lines"].defaulted()
                                 ? std::numeric_limits<std::size_t>::max()
                                 : static_cast<std::size_t>(lines);
    Instance instance;
    s = ResolveInstance(vm, &instance);
    if (!s.ok()) return s;
    const std::string log_file = instance.Paths(context_.home).log_file;
    std::ifstream in(log_file, std::ios::binary);
    if (!in) {
      return Status::NotFound("no log yet (" + log_file + ")")
          .WithHint("the log is written once a server has run");
    }
    LogFilter filter(since_ms, level);
    std::deque<std::string> tail;
    std::string line;
    while (std::getline(in, line)) {
      if (!filter.Accept(line)) continue;
      tail.push_back(line);
      if (tail.size() > keep) tail.pop_front();
    }
    // The log quotes what clients sent; the server escapes control characters as it writes,
    // and what reaches the terminal is escaped again here (the file may come from elsewhere).
    for (const auto& l : tail) context_.console.Out(TerminalSafe(l, IsJsonLine(l)));
    std::fflush(stdout);
    if (!vm.count("follow")) return Status::Ok();
    // Follow from where the lines above ended, not from the start of the file.
    in.clear();
    const std::streamoff end = in.tellg();
    return Follow(log_file, end < 0 ? 0 : static_cast<std::uintmax_t>(end), filter);
  }

  Status Install(bool install) {
    po::options_description options("Options");
    if (install) {
      options.add_options()("enable", "also start the server at login");
      options.add(ServerOptions());
    } else {
      options.add_options()("backend", po::value<std::string>()->value_name("NAME"),
                            "auto | systemd | launchd | windows");
    }
    options.add(NameOption());
    po::variables_map vm;
    Status s = Parse(options, install ? kInstallHelp : kUninstallHelp, &vm);
    if (!s.ok() || vm.count("help")) return s;
    std::unique_ptr<ServerControl> control;
    s = MakeControl(vm, &control);
    if (!s.ok()) return s;
    const StartOptions start = MakeStartOptions(vm);
    std::string backend;
    const Console& c = context_.console;
    if (!install) {
      s = control->Uninstall(start, &backend);
      if (s.ok()) c.Out("uninstalled the " + backend + " service");
      return s;
    }
    const bool enable = vm.count("enable") > 0;
    s = control->Install(start, enable, &backend);
    if (!s.ok()) return s;
    c.Out("installed the " + backend + " service" +
          (enable ? ", enabled: it starts at login" : "; `x402-dev mock start` starts it"));
    if (enable && backend == "systemd") {
      c.Hint("to start it at boot without a login session: `loginctl enable-linger $USER`");
    }
    return Status::Ok();
  }

 private:
  Status Parse(const po::options_description& options, const CommandHelp& help,
               po::variables_map* vm) {
    const std::string command = std::string("mock ") + help.name;
    Status s = ParseArgs(args_, options, {}, command, vm);
    if (!s.ok()) return s;
    if (vm->count("help")) {
      context_.console.Out(FormatHelp("x402-dev " + command + " [OPTIONS]",
                                      std::string(help.description) + "\n" + kExitCodes, options,
                                      help.examples));
    }
    return Status::Ok();
  }

  Status ResolveInstance(const po::variables_map& vm, Instance* instance) {
    if (vm.count("name")) return Instance::Parse(vm["name"].as<std::string>(), instance);
    return Instance::Parse(context_.env("X402_DEV_INSTANCE").value_or(""), instance);
  }

  LifecycleEnvironment Environment() const {
    LifecycleEnvironment env;
    env.home = context_.home;
    env.binary = CurrentExecutablePath();
    env.managers = context_.managers;
    env.files = &RealServerFiles();
    env.ports = &RealPortChecker();
    env.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
    env.skip_port_precheck = context_.env("X402_DEV_TEST_SKIP_PORT_PRECHECK").has_value();
    return env;
  }

  Status MakeControl(const po::variables_map& vm, std::unique_ptr<ServerControl>* out) {
    if (context_.managers == nullptr) return Status::Internal("no service managers were provided");
    Instance instance;
    Status s = ResolveInstance(vm, &instance);
    if (!s.ok()) return s;
    *out = std::make_unique<ServerControl>(Environment(), instance);
    return Status::Ok();
  }

  StartOptions MakeStartOptions(const po::variables_map& vm) const {
    StartOptions start;
    start.args = ServerArgsFrom(vm, context_.working_directory);
    start.working_directory = context_.working_directory;
    start.env = ConfigEnvironment(context_.env);
    return start;
  }

  void Notes(const ServerControl& control) const {
    for (const std::string& note : control.notes()) context_.console.Warning(note);
  }

  Status StopOne(ServerControl& control, milliseconds timeout) {
    StopOutcome outcome;
    Status s = control.Stop(timeout, &outcome);
    Notes(control);
    if (!s.ok()) return s;
    const Console& c = context_.console;
    if (outcome.killed) {
      c.Warning("the server did not stop within " + std::to_string(timeout.count() / 1000) +
                " s and was killed (SIGKILL)");
    }
    const std::string who = control.instance().is_default()
                                ? "mock server"
                                : "mock server '" + control.instance().name() + "'";
    c.Out("stopped " + who + " (PID " + std::to_string(outcome.pid) + ")");
    return Status::Ok();
  }

  Status ListInstances(bool json) {
    const std::vector<InstanceReport> reports = InspectAllInstances(Environment(), false);
    bool any_running = false;
    for (const auto& r : reports) {
      if (!r.problem.ok()) return r.problem;  // never a table of "not running" we cannot know
      any_running |= r.running;
    }
    if (json) {
      boost::json::array rows;
      for (const auto& r : reports) rows.emplace_back(StatusJson(r, Now()));
      context_.console.Out(boost::json::serialize(rows));
    } else {
      PrintInstanceTable(context_.console, reports, Now());
    }
    return any_running ? Status::Ok() : Status::NotFound("no mock server is running");
  }

  // Prints what is appended to the log, whole lines only (a line half written is held until
  // its newline), through the same filter as the lines before.
  Status Follow(const std::string& log_file, std::uintmax_t offset, LogFilter& filter) {
    std::string partial;
    for (;;) {
      std::error_code ec;
      const std::uintmax_t size = fs::file_size(log_file, ec);
      if (!ec) {
        if (size < offset) offset = 0;  // rotated: the new file starts small
        if (size > offset) {
          std::ifstream file(log_file, std::ios::binary);
          file.seekg(static_cast<std::streamoff>(offset));
          std::string chunk(static_cast<std::size_t>(size - offset), '\0');
          file.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
          chunk.resize(static_cast<std::size_t>(file.gcount()));
          offset += chunk.size();
          partial += chunk;
          std::size_t start = 0;
          for (std::size_t nl; (nl = partial.find('\n', start)) != std::string::npos;
               start = nl + 1) {
            const std::string_view line(partial.data() + start, nl - start);
            if (filter.Accept(line)) {
              const std::string safe = TerminalSafe(line, IsJsonLine(line));
              std::fwrite(safe.data(), 1, safe.size(), stdout);
              std::fputc('\n', stdout);
            }
          }
          partial.erase(0, start);
          std::fflush(stdout);
        }
      }
      std::this_thread::sleep_for(milliseconds(200));
    }
  }

  CommandContext& context_;
  const std::vector<std::string>& args_;
};

}  // namespace

Status RunServiceCommand(const std::string& subcommand, CommandContext& context,
                         const std::vector<std::string>& args) {
  ServiceCommand command(context, args);
  if (subcommand == "start") return command.Start(/*restarting=*/false);
  if (subcommand == "stop") return command.Stop();
  if (subcommand == "status") return command.Status_();
  if (subcommand == "list") return command.List();
  if (subcommand == "restart") return command.Start(/*restarting=*/true);
  if (subcommand == "reload") return command.Reload();
  if (subcommand == "logs") return command.Logs();
  if (subcommand == "install") return command.Install(true);
  if (subcommand == "uninstall") return command.Install(false);
  return Status::Usage("unknown mock subcommand '" + subcommand + "'");
}

}  // namespace x402
