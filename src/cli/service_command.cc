// x402-dev mock start | stop | status | restart | reload | logs | install | uninstall: the
// server in the background, through the backend's ServiceManager. The exit codes are the
// contract's (CONTRACT.md); the words printed are for people, `status --json` for scripts.
#include <boost/json.hpp>
#include <chrono>
#include <deque>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/logging.h"
#include "base/process.h"
#include "cli/args.h"
#include "cli/command.h"
#include "net/port_probe.h"
#include "service/launch_spec.h"
#include "service/server_inspection.h"
#include "service/service_manager.h"

namespace x402 {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr const char* kExitCodes =
    "Exit codes: 0 success, 1 no server running, 2 port in use, 3 other error.";

std::string FormatUptime(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const int64_t d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60,
                s = seconds % 60;
  std::string out;
  if (d > 0) out += std::to_string(d) + "d ";
  if (d > 0 || h > 0) out += std::to_string(h) + "h ";
  if (d > 0 || h > 0 || m > 0) out += std::to_string(m) + "m ";
  return out + std::to_string(s) + "s";
}

std::string FormatTime(int64_t unix_seconds) {
  const std::tm utc = UtcTime(static_cast<std::time_t>(unix_seconds));
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return buf;
}

// The CLI flags a background server is started with, so it loads the same layers as a
// foreground run from here would: same flags, same working directory, same environment.
std::vector<std::string> ServerArgv(const po::variables_map& vm, const std::string& cwd) {
  std::vector<std::string> argv = {CurrentExecutablePath(), "mock"};
  for (const char* flag : {"port", "host", "backend", "pricing", "simulation-mode", "log-level"}) {
    if (vm.count(flag)) {
      argv.push_back(std::string("--") + flag);
      argv.push_back(vm[flag].as<std::string>());
    }
  }
  if (vm.count("config")) {
    // The server resolves it from the same directory, but an absolute path says so plainly.
    argv.push_back("--config");
    argv.push_back(fs::absolute(fs::path(cwd) / vm["config"].as<std::string>()).string());
  }
  if (vm.count("threads")) {
    argv.push_back("--threads");
    argv.push_back(std::to_string(vm["threads"].as<int>()));
  }
  return argv;
}

po::options_description StartOptions() {
  po::options_description options("Options");
  options.add_options()("wait-timeout", po::value<double>()->value_name("S")->default_value(10),
                        "seconds to wait for the server to be ready")(
      "threads", po::value<int>()->value_name("N"), "server threads (default: one per core)");
  options.add(ConfigOverrideOptions());
  return options;
}

po::options_description StopOptions() {
  po::options_description options("Options");
  options.add_options()("timeout", po::value<double>()->value_name("S")->default_value(10),
                        "seconds to wait for a graceful stop before killing (SIGKILL)");
  return options;
}

milliseconds Seconds(const po::variables_map& vm, const char* name) {
  return milliseconds(static_cast<int64_t>(vm[name].as<double>() * 1000));
}

Status CheckSeconds(const po::variables_map& vm, const char* name) {
  const double s = vm[name].as<double>();
  if (!(s > 0 && s <= 3600)) {
    return Status::Usage("--" + std::string(name) + " must be a number of seconds between 0 and 3600");
  }
  return Status::Ok();
}

// The address a client connects to for |host| (a wildcard bind is reached on loopback).
std::string ConnectHost(const std::string& host) {
  if (host == "0.0.0.0" || host == "localhost") return "127.0.0.1";
  if (host == "::") return "::1";
  return host;
}

class ServiceCommand {
 public:
  ServiceCommand(CommandContext& context, const std::vector<std::string>& args)
      : context_(context), args_(args), paths_(StatePaths::ForHome(context.home)) {}

  Status Start(bool restarting = false) {
    po::options_description options = StartOptions();
    po::variables_map vm;
    Status s = Parse(options, restarting ? "restart" : "start", &vm,
                     "Starts the mock server in the background through the selected backend and\n"
                     "returns once it accepts connections (or has failed). Refuses when a server\n"
                     "already runs.\n",
                     "  x402-dev mock start\n  x402-dev mock start --port 4020 --pricing 0.05\n"
                     "  x402-dev mock start --backend direct --wait-timeout 30\n");
    if (!s.ok() || vm.count("help")) return s;
    s = CheckSeconds(vm, "wait-timeout");
    if (!s.ok()) return s;

    LoadedConfig loaded;
    s = LoadConfig(MakeLoadOptions(vm, context_.home, context_.working_directory, context_.env),
                   &loaded);
    if (!s.ok()) return s;

    const MockServerConfig& m = loaded.config.mock_server;
    std::unique_ptr<ServiceManager> manager;
    s = ChooseServiceManager(m.backend, &manager);
    if (!s.ok()) return s;

    std::error_code ec;
    fs::create_directories(paths_.log_dir, ec);
    fs::permissions(paths_.dir, fs::perms::owner_all, ec);
    StartRequest request;
    request.server_argv = ServerArgv(vm, context_.working_directory);
    request.host = m.host;
    request.port = m.port;
    request.paths = paths_;
    request.timeout = Seconds(vm, "wait-timeout");
    request.working_directory = context_.working_directory;
    request.env = ConfigEnvironment(context_.env);

    const auto already_running = [](const ServerInspection& running) {
      std::string where = running.state ? ", port " + std::to_string(running.state->port) : "";
      return Status::AlreadyRunning("a mock server is already running (PID " +
                                    std::to_string(running.pid) + where + ")")
          .WithHint("use `x402-dev mock restart` to restart it with new options");
    };
    const ServerInspection found = InspectServer(paths_, /*clean_up=*/true);
    Note(found.cleanup_note);
    int64_t pid = 0;
    if (found.running && !restarting) return already_running(found);
    const std::string owner = found.running && found.state ? found.state->backend : "direct";
    if (found.running && owner == manager->name()) {
      // The same manager restarts its own server (systemd: one RestartUnit job).
      s = manager->Restart(request, found.pid, std::chrono::seconds(10), &pid);
      if (!s.ok()) return s;
      context_.console.Out("stopped mock server (PID " + std::to_string(found.pid) + ")");
    } else {
      if (found.running) {
        s = StopServer(found, std::chrono::seconds(10));
        if (!s.ok()) return s;
      }
      // The pre-check gives a clear exit 2 before any backend is involved. The server checks
      // again when it binds (another program may take the port in between); the test seam
      // lets the tests exercise that second path through each backend.
      if (!context_.env("X402_DEV_TEST_SKIP_PORT_PRECHECK")) {
        s = ProbePort(m.host, m.port);
        if (s.code() == StatusCode::kPortInUse) {
          // A concurrent `mock start` may have won the race since the look above: its server
          // now holds the PID file and the port, and the answer is "already running", not 2.
          const ServerInspection now = InspectServer(paths_, /*clean_up=*/false);
          if (now.running) return already_running(now);
        }
        if (!s.ok()) return s;
      }
      s = manager->Start(request, &pid);
      if (!s.ok()) return s;
    }

    // Readiness came from the server after bind+listen; one connect confirms the contract's
    // promise that the port accepts connections now.
    s = ProbeConnect(ConnectHost(m.host), m.port);
    if (!s.ok()) return s;
    const auto state = ReadServerState(paths_.state_file);
    const std::string url = state ? state->url : "http://" + m.host + ":" + std::to_string(m.port);
    const Console& c = context_.console;
    c.Out(c.Green("started") + " mock server on " + c.Bold(url) + " (PID " + std::to_string(pid) +
          ", backend " + std::string(manager->name()) + ")");
    c.Out("log: " + paths_.log_file);
    return Status::Ok();
  }

  Status Stop() {
    po::options_description options = StopOptions();
    po::variables_map vm;
    Status s = Parse(options, "stop", &vm,
                     "Stops the running mock server gracefully (requests in flight are answered),\n"
                     "waits for it to be gone, and kills it after --timeout seconds if it is not.\n",
                     "  x402-dev mock stop\n  x402-dev mock stop --timeout 30\n");
    if (!s.ok() || vm.count("help")) return s;
    s = CheckSeconds(vm, "timeout");
    if (!s.ok()) return s;
    const ServerInspection found = InspectServer(paths_, /*clean_up=*/true);
    Note(found.cleanup_note);
    if (!found.running) {
      return Status::NotFound("no mock server is running").WithHint("start one with `x402-dev mock start`");
    }
    return StopServer(found, Seconds(vm, "timeout"));
  }

  Status Status_() {
    po::options_description options("Options");
    options.add_options()("json", "print one JSON object");
    po::variables_map vm;
    Status s = Parse(options, "status", &vm,
                     "Says whether a mock server runs, with its PID, port, URL, backend, uptime,\n"
                     "config file and log file. Removes a stale PID file and says so.\n",
                     "  x402-dev mock status\n  x402-dev mock status --json | jq .port\n");
    if (!s.ok() || vm.count("help")) return s;
    const ServerInspection found = InspectServer(paths_, /*clean_up=*/true);
    const Console& c = context_.console;

    if (vm.count("json")) {
      boost::json::object o;
      o["running"] = found.running;
      o["pid_file"] = paths_.pid_file;
      o["log_file"] = paths_.log_file;
      if (!found.cleanup_note.empty()) o["cleaned_up"] = found.cleanup_note;
      if (found.running) {
        o["pid"] = found.pid;
        o["state"] = found.state ? "listening" : "starting";
        if (found.state) {
          const ServerState& st = *found.state;
          o["port"] = st.port;
          o["host"] = st.host;
          o["url"] = st.url;
          o["backend"] = st.backend;
          o["started_at"] = st.started_at;
          o["uptime_s"] = static_cast<int64_t>(std::time(nullptr)) - st.started_at;
          o["config_file"] = st.config_file.empty() ? boost::json::value(nullptr)
                                                    : boost::json::value(st.config_file);
          o["version"] = st.version;
        }
      }
      c.Out(boost::json::serialize(o));
    } else {
      Note(found.cleanup_note);
      if (!found.running) {
        c.Out("mock server: " + c.Bold("not running"));
      } else if (!found.state) {
        c.Out("mock server: " + c.Yellow("starting") + " (PID " + std::to_string(found.pid) + ")");
      } else {
        const ServerState& st = *found.state;
        c.Out("mock server: " + c.Green("running"));
        c.Out("  PID:      " + std::to_string(found.pid));
        c.Out("  URL:      " + st.url);
        c.Out("  port:     " + std::to_string(st.port));
        c.Out("  backend:  " + st.backend);
        c.Out("  uptime:   " + FormatUptime(static_cast<int64_t>(std::time(nullptr)) - st.started_at) +
              " (since " + FormatTime(st.started_at) + ")");
        c.Out("  config:   " + (st.config_file.empty() ? std::string("built-in defaults, env and flags")
                                                       : st.config_file));
        c.Out("  log:      " + st.log_file);
        c.Out("  version:  " + st.version);
        std::vector<std::string> extra;
        if (ManagerForRunningServer(st.backend)->Describe(found.pid, &extra).ok()) {
          for (const auto& line : extra) c.Out("  " + line);
        }
      }
    }
    return found.running ? Status::Ok() : Status::NotFound("no mock server is running");
  }

  Status Reload() {
    po::options_description options("Options");
    options.add_options()("timeout", po::value<double>()->value_name("S")->default_value(10),
                          "seconds to wait for the server's answer");
    po::variables_map vm;
    Status s = Parse(options, "reload", &vm,
                     "Makes the running server re-read its configuration without dropping\n"
                     "connections. An invalid configuration is refused (exit 3) and the running\n"
                     "one stays in force.\n",
                     "  x402-dev mock reload\n");
    if (!s.ok() || vm.count("help")) return s;
    const ServerInspection found = InspectServer(paths_, /*clean_up=*/true);
    Note(found.cleanup_note);
    if (!found.running) return Status::NotFound("no mock server is running");
    if (!found.state) return Status::Timeout("the server is still starting; try again in a moment");
    const int64_t before = found.state->reload_count;
    s = ManagerForRunningServer(found.state->backend)->Reload(found.pid);
    if (!s.ok()) return s;
    // The server records each reload's outcome in its state file.
    const auto deadline = std::chrono::steady_clock::now() + Seconds(vm, "timeout");
    while (std::chrono::steady_clock::now() < deadline) {
      const auto state = ReadServerState(paths_.state_file);
      if (state && state->pid == found.pid && state->reload_count > before) {
        if (!state->last_reload_ok) {
          return Status::Config("reload refused: " + state->last_reload_message)
              .WithHint("the running configuration stays in force; fix the file and reload again");
        }
        context_.console.Out("reloaded: the server (PID " + std::to_string(found.pid) +
                             ") runs the new configuration");
        return Status::Ok();
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    return Status::Timeout("the server did not confirm the reload in time")
        .WithHint("see the log: " + paths_.log_file);
  }

  Status Logs() {
    po::options_description options("Options");
    options.add_options()("lines,n", po::value<int>()->value_name("N")->default_value(50),
                          "how many of the last lines to show")("follow,f", "keep printing new lines");
    po::variables_map vm;
    Status s = Parse(options, "logs", &vm, "Prints the end of the server log; -f follows it.\n",
                     "  x402-dev mock logs\n  x402-dev mock logs -n 200\n  x402-dev mock logs -f\n");
    if (!s.ok() || vm.count("help")) return s;
    const int lines = vm["lines"].as<int>();
    if (lines < 0) return Status::Usage("-n must be 0 or more");
    std::ifstream in(paths_.log_file, std::ios::binary);
    if (!in) {
      return Status::NotFound("no log yet (" + paths_.log_file + ")")
          .WithHint("the log is written once a server has run");
    }
    std::deque<std::string> tail;
    std::string line;
    while (std::getline(in, line)) {
      tail.push_back(line);
      if (tail.size() > static_cast<std::size_t>(lines)) tail.pop_front();
    }
    for (const auto& l : tail) context_.console.Out(l);
    std::fflush(stdout);
    if (!vm.count("follow")) return Status::Ok();
    return Follow();
  }

  Status Install(bool install) {
    po::options_description options("Options");
    if (install) options.add_options()("enable", "also start the server at login");
    options.add(ConfigOverrideOptions());
    po::variables_map vm;
    Status s = Parse(options, install ? "install" : "uninstall", &vm,
                     "Registers (or removes) the mock server with the native service manager, so\n"
                     "it can start at login and is restarted on crash.\n",
                     install ? "  x402-dev mock install --enable\n" : "  x402-dev mock uninstall\n");
    if (!s.ok() || vm.count("help")) return s;
    LoadedConfig loaded;
    s = LoadConfig(MakeLoadOptions(vm, context_.home, context_.working_directory, context_.env),
                   &loaded);
    if (!s.ok()) return s;
    std::unique_ptr<ServiceManager> manager;
    s = ChooseServiceManager(loaded.config.mock_server.backend, &manager, ManagerPurpose::kInstall);
    if (!s.ok()) return s;
    const Console& c = context_.console;
    if (!install) {
      s = manager->Uninstall();
      if (s.ok()) c.Out("uninstalled the " + std::string(manager->name()) + " service");
      return s;
    }
    StartRequest request;
    request.server_argv = ServerArgv(vm, context_.working_directory);
    request.paths = paths_;
    request.host = loaded.config.mock_server.host;
    request.port = loaded.config.mock_server.port;
    request.working_directory = context_.working_directory;
    request.env = ConfigEnvironment(context_.env);
    const bool enable = vm.count("enable") > 0;
    s = manager->Install(request, enable);
    if (!s.ok()) return s;
    c.Out("installed the " + std::string(manager->name()) + " service" +
          (enable ? ", enabled: it starts at login" : "; `x402-dev mock start` starts it"));
    if (enable && manager->name() == "systemd") {
      c.Hint("to start it at boot without a login session: `loginctl enable-linger $USER`");
    }
    return Status::Ok();
  }

 private:
  Status Parse(const po::options_description& options, const char* name, po::variables_map* vm,
               const char* description, const char* examples) {
    const std::string command = std::string("mock ") + name;
    Status s = ParseArgs(args_, options, {}, command, vm);
    if (!s.ok()) return s;
    if (vm->count("help")) {
      context_.console.Out(FormatHelp("x402-dev " + command + " [OPTIONS]",
                                      std::string(description) + "\n" + kExitCodes, options, examples));
    }
    return Status::Ok();
  }

  void Note(const std::string& note) const {
    if (!note.empty()) context_.console.Warning(note);
  }

  Status StopServer(const ServerInspection& found, milliseconds timeout) {
    const std::string backend = found.state ? found.state->backend : "direct";
    std::unique_ptr<ServiceManager> manager = ManagerForRunningServer(backend);
    bool killed = false;
    Status s = manager->Stop(found.pid, paths_, timeout, &killed);
    if (!s.ok()) return s;
    // A killed server could not clean up after itself.
    RemoveLeftovers();
    const Console& c = context_.console;
    if (killed) {
      c.Warning("the server did not stop within " + std::to_string(timeout.count() / 1000) +
                " s and was killed (SIGKILL)");
    }
    c.Out("stopped mock server (PID " + std::to_string(found.pid) + ")");
    return Status::Ok();
  }

  void RemoveLeftovers() {
    (void)InspectServer(paths_, /*clean_up=*/true);
  }

  Status Follow() {
    std::uintmax_t offset = 0;
    for (;;) {
      std::error_code ec;
      const std::uintmax_t size = fs::file_size(paths_.log_file, ec);
      if (!ec) {
        if (size < offset) offset = 0;  // rotated: the new file starts small
        if (size > offset) {
          std::ifstream file(paths_.log_file, std::ios::binary);
          file.seekg(static_cast<std::streamoff>(offset));
          std::string chunk(static_cast<std::size_t>(size - offset), '\0');
          file.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
          std::fwrite(chunk.data(), 1, static_cast<std::size_t>(file.gcount()), stdout);
          std::fflush(stdout);
          offset += static_cast<std::uintmax_t>(file.gcount());
        }
      }
      std::this_thread::sleep_for(milliseconds(200));
    }
  }

  CommandContext& context_;
  const std::vector<std::string>& args_;
  StatePaths paths_;
};

}  // namespace

Status RunServiceCommand(const std::string& subcommand, CommandContext& context,
                         const std::vector<std::string>& args) {
  ServiceCommand command(context, args);
  if (subcommand == "start") return command.Start();
  if (subcommand == "stop") return command.Stop();
  if (subcommand == "status") return command.Status_();
  if (subcommand == "restart") return command.Start(/*restarting=*/true);
  if (subcommand == "reload") return command.Reload();
  if (subcommand == "logs") return command.Logs();
  if (subcommand == "install") return command.Install(true);
  if (subcommand == "uninstall") return command.Install(false);
  return Status::Usage("unknown mock subcommand '" + subcommand + "'");
}

}  // namespace x402
