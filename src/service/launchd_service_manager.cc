#include "service/launchd_service_manager.h"

#include <filesystem>
#include <thread>

#include "base/file.h"
#include "service/backend_failures.h"
#include "state/launch_spec.h"
#include "service/launchctl_print.h"
#include "service/launchd_plist.h"
#include "state/server_state.h"

namespace x402 {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// How long launchd may take to forget a booted-out job when no user timeout applies (install,
// uninstall, a changed plist): launchd's own ExitTimeOut (20 s) before its SIGKILL, and more.
constexpr milliseconds kBootoutTimeout = std::chrono::seconds(30);
// After our SIGKILL, as the other backends wait for the process to exit.
constexpr milliseconds kKilledExitTimeout = std::chrono::seconds(10);

class LaunchdServiceManager final : public ServiceManager {
 public:
  explicit LaunchdServiceManager(LaunchdEnvironment env) : env_(std::move(env)) {
    if (!env_.sleep) env_.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
    if (!env_.now) env_.now = [] { return std::chrono::steady_clock::now(); };
  }

  std::string_view name() const override { return "launchd"; }

  bool Available() override {
    // `launchctl print gui/<uid>` answers inside a GUI login session (not over plain SSH,
    // where the gui domain does not exist: then the direct backend is the right one).
    return Launchctl({"print", Domain()}).exit_code == 0;
  }

  Status Start(const StartRequest& request, int64_t* pid) override {
    Status s = Prepare(request, /*run_at_load=*/std::nullopt);
    if (!s.ok()) return s;
    int64_t runs_before = 0;
    if (!Loaded()) {
      ProcessResult r = Launchctl({"bootstrap", Domain(), PlistPath()});
      if (r.exit_code != 0) return Failure("bootstrap", r);
    } else if (auto job = ParseLaunchctlPrint(Launchctl({"print", Target()}).output)) {
      runs_before = job->runs;
    }
    // -k: a job that is somehow running already is replaced, so the new spec applies.
    ProcessResult r = Launchctl({"kickstart", "-k", Target()});
    if (r.exit_code != 0) return Failure("kickstart", r);
    return WaitReady(request, runs_before, pid);
  }

  Status Restart(const StartRequest& request, int64_t, milliseconds, int64_t* pid) override {
    return Start(request, pid);
  }

  Status Stop(int64_t, const StatePaths&, milliseconds timeout, bool* killed) override {
    *killed = false;
    ProcessResult r = Launchctl({"bootout", Target()});
    if (r.exit_code != 0 && Loaded()) return Failure("bootout", r);
    // bootout returns before the job is gone: launchd forgets it once its process has exited.
    if (WaitUnloaded(timeout)) return Status::Ok();
    Launchctl({"kill", "SIGKILL", Target()});
    *killed = true;
    // Gone only when the process is: stop returning 0 promises the port is free.
    if (WaitUnloaded(kKilledExitTimeout)) return Status::Ok();
    return StillLoaded("after SIGKILL (waited " + Seconds(timeout + kKilledExitTimeout) + ")");
  }

  Status Reload(int64_t) override {
    ProcessResult r = Launchctl({"kill", "SIGHUP", Target()});
    if (r.exit_code != 0) return Failure("kill SIGHUP", r);
    return Status::Ok();
  }

  Status Install(const StartRequest& request, bool enable) override {
    Status s = Prepare(request, enable);
    if (!s.ok()) return s;
    s = BootOut();
    if (!s.ok()) return s;
    ProcessResult r = Launchctl({enable ? "enable" : "disable", Target()});
    if (r.exit_code != 0) return Failure(enable ? "enable" : "disable", r);
    r = Launchctl({"bootstrap", Domain(), PlistPath()});
    if (r.exit_code != 0) return Failure("bootstrap", r);
    return Status::Ok();
  }

  Status Uninstall() override {
    Status s = BootOut();
    if (!s.ok()) return s;
    Launchctl({"disable", Target()});
    std::error_code ec;
    fs::remove(PlistPath(), ec);
    return Status::Ok();
  }

  Status Describe(int64_t pid, std::vector<std::string>* lines) override {
    ProcessResult r = Launchctl({"print", Target()});
    const auto job = ParseLaunchctlPrint(r.output);
    if (r.exit_code != 0 || !job) return Status::NotFound("not loaded");
    lines->push_back("launchd:  " + env_.instance.LaunchdLabel() + " " + job->state + ", pid " +
                     std::to_string(job->pid) + ", runs " + std::to_string(job->runs));
    if (pid != 0 && job->pid != pid) {
      lines->push_back("warning:  launchd's pid " + std::to_string(job->pid) +
                       " and the PID file's " + std::to_string(pid) + " disagree");
    }
    return Status::Ok();
  }

 private:
  std::string Domain() const { return "gui/" + std::to_string(env_.uid); }
  std::string Target() const { return Domain() + "/" + env_.instance.LaunchdLabel(); }
  std::string PlistPath() const {
    return (fs::path(env_.home) / "Library" / "LaunchAgents" / (env_.instance.LaunchdLabel() + ".plist"))
        .string();
  }

  ProcessResult Launchctl(const std::vector<std::string>& args) {
    // Built front to back: GCC 12 -O3 (the Windows cross-build) misreads an insert at begin()
    // inlined into the wait loops as an out-of-bounds access (-Warray-bounds).
    std::vector<std::string> argv;
    argv.reserve(args.size() + 1);
    argv.push_back("/bin/launchctl");
    for (const std::string& arg : args) argv.push_back(arg);
    return env_.runner->Run(argv);
  }

  bool Loaded() { return Launchctl({"print", Target()}).exit_code == 0; }

  // Waits up to |timeout| for launchd to forget the job (a booted-out job stays until its
  // process has exited); false when it is still there at the deadline.
  bool WaitUnloaded(milliseconds timeout) {
    const auto deadline = env_.now() + timeout;
    while (Loaded()) {
      if (env_.now() >= deadline) return false;
      env_.sleep(milliseconds(50));
    }
    return true;
  }

  // Boots the job out when it is loaded and waits, bounded, until launchd has let it go.
  Status BootOut() {
    if (!Loaded()) return Status::Ok();
    const ProcessResult r = Launchctl({"bootout", Target()});
    if (WaitUnloaded(kBootoutTimeout)) return Status::Ok();
    if (r.exit_code != 0) return Failure("bootout", r);
    return StillLoaded("after bootout (waited " + Seconds(kBootoutTimeout) + ")");
  }

  Status StillLoaded(const std::string& when) {
    return Status::Timeout("launchd still runs " + Target() + " " + when)
        .WithHint("`launchctl print " + Target() + "` shows launchd's view");
  }

  static std::string Seconds(milliseconds d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
  }

  Status Failure(const std::string& verb, const ProcessResult& r) {
    std::string output = r.output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    return Status::ServiceManager("launchctl " + verb + " failed (exit " +
                                  std::to_string(r.exit_code) + "): " + output)
        .WithHint("`launchctl print " + Target() + "` shows launchd's view");
  }

  // The launch spec and the plist. |run_at_load|: nullopt keeps what an install chose.
  Status Prepare(const StartRequest& request, std::optional<bool> run_at_load) {
    Status s = WriteLaunchSpecFor(request);
    if (!s.ok()) return s;
    std::error_code ec;

    LaunchAgentSpec agent;
    agent.binary = request.server_argv.front();
    agent.home = env_.home;
    agent.instance = env_.instance;
    const auto existing = ReadWholeFile(PlistPath());
    agent.run_at_load = run_at_load.value_or(existing && existing->find("<key>RunAtLoad</key>\n\t<true/>") !=
                                                             std::string::npos);
    const std::string plist = RenderLaunchAgentPlist(agent);
    if (existing == plist) return Status::Ok();
    fs::create_directories(fs::path(PlistPath()).parent_path(), ec);
    s = WriteFileAtomically(PlistPath(), plist);
    if (!s.ok()) return s;
    // A loaded job keeps its old definition until it is booted out and bootstrapped again.
    return BootOut();
  }

  // launchd has no readiness protocol: the server writes its state file once it listens.
  // |runs_before|: launchd's run count before the kickstart, so an older run's exit code is
  // not taken for this one's.
  Status WaitReady(const StartRequest& request, int64_t runs_before, int64_t* pid) {
    const auto deadline = env_.now() + request.timeout;
    while (env_.now() < deadline) {
      const ProcessResult r = Launchctl({"print", Target()});
      const auto job = ParseLaunchctlPrint(r.output);
      if (job && job->pid > 0) {
        const auto state = ReadServerState(request.paths.state_file);
        if (state && state->pid == job->pid) {
          *pid = job->pid;
          return Status::Ok();
        }
      } else if (job && job->last_exit_code && *job->last_exit_code != 0 &&
                 job->runs > runs_before) {
        // It ran and failed; stop launchd from respawning it every ThrottleInterval.
        const int code = *job->last_exit_code;
        Launchctl({"bootout", Target()});
        if (code == 2) return ServerFoundPortInUse(request);
        return Status::ServiceManager("the server exited with status " + std::to_string(code) +
                                      " under launchd")
            .WithHint("see " + request.paths.log_file);
      }
      env_.sleep(milliseconds(20));
    }
    Launchctl({"bootout", Target()});
    return ServerNotReady(request, request.paths.log_file);
  }

  LaunchdEnvironment env_;
};

}  // namespace

std::unique_ptr<ServiceManager> CreateLaunchdServiceManager(LaunchdEnvironment environment) {
  return std::make_unique<LaunchdServiceManager>(std::move(environment));
}

}  // namespace x402
