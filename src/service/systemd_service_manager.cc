#include "service/systemd_service_manager.h"

#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "base/file.h"
#include "service/backend_failures.h"
#include "state/launch_spec.h"
#include "service/unit_file.h"

namespace x402 {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// How long the jobs the user gave no timeout for may take: the stop that follows a failed or
// timed-out start, the stop job after our SIGKILL, a reload, the stop of an uninstall.
constexpr milliseconds kStopAfterFailedStartTimeout = std::chrono::seconds(20);
constexpr milliseconds kStopAfterKillTimeout = std::chrono::seconds(10);
constexpr milliseconds kReloadTimeout = std::chrono::seconds(30);
constexpr milliseconds kUninstallStopTimeout = std::chrono::seconds(30);

// The same place, as far as the file system can tell (either may not exist yet).
bool SamePath(const std::string& a, const std::string& b) {
  std::error_code ec_a, ec_b;
  const fs::path ca = fs::weakly_canonical(a, ec_a), cb = fs::weakly_canonical(b, ec_b);
  return (ec_a || ec_b) ? fs::path(a).lexically_normal() == fs::path(b).lexically_normal() : ca == cb;
}

// The last |count| lines of |path|, for a failure message.
std::string Tail(const std::string& path, std::size_t count) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
    if (lines.size() > count) lines.erase(lines.begin());
  }
  std::string out;
  for (const auto& l : lines) out += "\n  " + l;
  return out;
}

class SystemdServiceManager final : public ServiceManager {
 public:
  explicit SystemdServiceManager(SystemdEnvironment env)
      : env_(std::move(env)), bus_(*env_.bus), unit_(env_.instance.SystemdUnit()) {}

  std::string_view name() const override { return "systemd"; }

  bool Available() override {
    if (!bus_.Connect().ok()) return false;
    // The manager answers (not merely a socket that exists).
    return bus_.CallManager("GetDefaultTarget", {}).ok();
  }

  Status Start(const StartRequest& request, int64_t* pid) override {
    return RunStartJob("StartUnit", request, pid);
  }

  Status Restart(const StartRequest& request, int64_t, milliseconds, int64_t* pid) override {
    // The new launch spec is in place before the job: the restarted server reads it.
    return RunStartJob("RestartUnit", request, pid);
  }

  Status Stop(int64_t, const StatePaths&, milliseconds timeout, bool* killed) override {
    *killed = false;
    Status s = bus_.Connect();
    if (!s.ok()) return s;
    std::string result;
    s = bus_.RunJob("StopUnit", unit_, timeout, &result);
    if (s.code() == StatusCode::kTimeout) {
      // Past the user's timeout: kill it, then the stop job (still queued) completes.
      s = bus_.KillUnit(unit_);
      if (!s.ok()) return s;
      *killed = true;
      s = bus_.RunJob("StopUnit", unit_, kStopAfterKillTimeout, &result);
    }
    if (!s.ok()) return s;
    (void)bus_.CallManager("ResetFailedUnit", {unit_});
    return Status::Ok();
  }

  Status Reload(int64_t) override {
    Status s = bus_.Connect();
    if (!s.ok()) return s;
    std::string result;
    s = bus_.RunJob("ReloadUnit", unit_, kReloadTimeout, &result);
    if (!s.ok()) return s;
    if (result != "done") return Status::ServiceManager("systemd reload job ended: " + result);
    return Status::Ok();
  }

  Status Install(const StartRequest& request, bool enable) override {
    Status s = Prepare(request);
    if (!s.ok()) return s;
    if (enable) return bus_.SetUnitFileEnabled(unit_, true);
    return Status::Ok();
  }

  Status Uninstall() override {
    Status s = bus_.Connect();
    if (!s.ok()) return s;
    std::string active;
    if (bus_.GetUnitString(unit_, kSystemdUnitInterface, "ActiveState", &active).ok() &&
        (active == "active" || active == "activating" || active == "reloading")) {
      std::string result;
      s = bus_.RunJob("StopUnit", unit_, kUninstallStopTimeout, &result);
      if (!s.ok()) return s;
    }
    (void)bus_.SetUnitFileEnabled(unit_, false);
    std::error_code ec;
    // The template unit x402-mock@.service serves every named instance: it stays.
    if (env_.instance.is_default()) fs::remove(fs::path(ManagerUnitDirectory()) / unit_, ec);
    s = bus_.CallManager("Reload", {});
    (void)bus_.CallManager("ResetFailedUnit", {unit_});
    return s;
  }

  Status Describe(int64_t pid_file_pid, std::vector<std::string>* lines) override {
    Status s = bus_.Connect();
    if (!s.ok()) return s;
    std::string active, sub;
    uint32_t main_pid = 0, restarts = 0;
    s = bus_.GetUnitString(unit_, kSystemdUnitInterface, "ActiveState", &active);
    if (!s.ok()) return s;
    (void)bus_.GetUnitString(unit_, kSystemdUnitInterface, "SubState", &sub);
    (void)bus_.GetUnitUint32(unit_, kSystemdServiceInterface, "MainPID", &main_pid);
    (void)bus_.GetUnitUint32(unit_, kSystemdServiceInterface, "NRestarts", &restarts);
    lines->push_back("unit:     " + unit_ + " " + active + " (" + sub +
                     "), MainPID " + std::to_string(main_pid) + ", restarts " +
                     std::to_string(restarts));
    if (pid_file_pid != 0 && main_pid != pid_file_pid) {
      lines->push_back("warning:  systemd's MainPID " + std::to_string(main_pid) +
                       " and the PID file's " + std::to_string(pid_file_pid) + " disagree");
    }
    return Status::Ok();
  }

 private:
  Status RunStartJob(const char* method, const StartRequest& request, int64_t* pid) {
    Status s = Prepare(request);
    if (!s.ok()) return s;
    // A unit left "failed" by an earlier run would refuse or confuse the start.
    (void)bus_.CallManager("ResetFailedUnit", {unit_});
    std::string result;
    s = bus_.RunJob(method, unit_, request.timeout, &result);
    if (s.code() == StatusCode::kTimeout) {
      // Do not leave a half-started server behind.
      std::string ignored;
      (void)bus_.RunJob("StopUnit", unit_, kStopAfterFailedStartTimeout, &ignored);
      return ServerNotReady(request, "`journalctl --user -u " + unit_ + "` and " +
                                         request.paths.log_file);
    }
    if (!s.ok()) return s;
    if (result != "done") return StartFailure(request, result);
    uint32_t main_pid = 0;
    s = bus_.GetUnitUint32(unit_, kSystemdServiceInterface, "MainPID", &main_pid);
    if (!s.ok()) return s;
    *pid = main_pid;
    return Status::Ok();
  }

  // Where the manager reads per-user units: the first directory of its UnitPath that belongs
  // to the user (its ~/.config/systemd/user: its own HOME and XDG_CONFIG_HOME, not this
  // shell's), else systemd's default for the manager's home. Connected callers only.
  std::string ManagerUnitDirectory() {
    std::vector<std::string> unit_path;
    if (bus_.GetManagerStrings("UnitPath", &unit_path).ok()) {
      for (const std::string& dir : unit_path) {
        const bool per_user = dir.size() > 13 && dir.compare(dir.size() - 13, 13, "/systemd/user") == 0;
        bool system_wide = false;
        for (const char* prefix : {"/etc/", "/run/", "/usr/", "/lib/", "/var/"}) {
          system_wide = system_wide || dir.rfind(prefix, 0) == 0;
        }
        if (per_user && !system_wide) return dir;
      }
    }
    return (fs::path(ManagerHome()) / ".config" / "systemd" / "user").string();
  }

  // The home of the user manager: what %h in the unit means. Its HOME as it passes it to
  // units (the Environment property), else the account's home, as systemd resolves %h.
  // Connected callers only.
  std::string ManagerHome() {
    std::vector<std::string> environment;
    if (bus_.GetManagerStrings("Environment", &environment).ok()) {
      for (const std::string& entry : environment) {
        if (entry.rfind("HOME=", 0) == 0 && entry.size() > 5) return entry.substr(5);
      }
    }
    return env_.account_home ? env_.account_home() : "";
  }

  // The unit runs the server with %h/.x402dev/…/launch-spec.json, %h being the manager's home.
  // When this command's home is another, the server would read another launch spec (or none)
  // and serve what this command never asked for: refuse before anything is written or started.
  Status CheckSameHome(const StartRequest& request) {
    const std::string home = ManagerHome();
    const std::string unit_reads = env_.instance.Paths(home).launch_spec;
    if (home.empty() || SamePath(unit_reads, request.paths.launch_spec)) return Status::Ok();
    return Status::ServiceManager("the systemd user manager runs with HOME=" + home +
                                  ", this command with HOME=" +
                                  env_.instance.HomeFromLaunchSpec(request.paths.launch_spec) +
                                  ": the unit would read " + unit_reads + ", not " +
                                  request.paths.launch_spec)
        .WithHint("run x402-dev with HOME=" + home + ", or use `--backend direct`");
  }

  // The launch spec for this start, and the unit (written and loaded only when it changed).
  Status Prepare(const StartRequest& request) {
    Status s = bus_.Connect();
    if (!s.ok()) return s;
    const std::string binary = request.server_argv.front();
    if (const std::string problem = SystemdExecPathProblem(binary); !problem.empty()) {
      return Status::Config(problem).WithHint(
          "move x402-dev to a path without line breaks, or use `--backend direct`");
    }
    s = CheckSameHome(request);
    if (!s.ok()) return s;
    s = WriteLaunchSpecFor(request);
    if (!s.ok()) return s;

    const std::string file_name = SystemdUnitFileName(env_.instance);
    const fs::path user_unit = fs::path(ManagerUnitDirectory()) / file_name;
    std::error_code ec;
    if (fs::exists(fs::path(env_.packaged_unit_directory) / file_name, ec) &&
        !fs::exists(user_unit, ec)) {
      return Status::Ok();
    }
    const std::string unit = RenderSystemdUnit(binary, env_.instance);
    if (ReadWholeFile(user_unit.string()) == unit) return Status::Ok();
    fs::create_directories(user_unit.parent_path(), ec);
    s = WriteFileAtomically(user_unit.string(), unit);
    if (!s.ok()) return s;
    return bus_.CallManager("Reload", {});
  }

  // A start job that did not end "done": the unit's own words (its exit status and Result,
  // and the server's last log lines) for the user, and nothing left running or "failed".
  Status StartFailure(const StartRequest& request, const std::string& job_result) {
    int32_t exit_status = 0;
    std::string result;
    (void)bus_.GetUnitInt32(unit_, kSystemdServiceInterface, "ExecMainStatus", &exit_status);
    (void)bus_.GetUnitString(unit_, kSystemdServiceInterface, "Result", &result);
    // A failed start may have left a restart scheduled (activating (auto-restart)): only a
    // stop job cancels it, ResetFailedUnit does not. Nothing may run after a failed start.
    std::string ignored;
    (void)bus_.RunJob("StopUnit", unit_, kStopAfterFailedStartTimeout, &ignored);
    // So the next start is clean and the unit is not left "failed".
    (void)bus_.CallManager("ResetFailedUnit", {unit_});
    if (exit_status == 2) return ServerFoundPortInUse(request);
    return Status::ServiceManager("systemd could not start " + unit_ +
                                  ": job " + job_result + ", result " + result + ", exit status " +
                                  std::to_string(exit_status) + Tail(request.paths.log_file, 5))
        .WithHint("see `journalctl --user -u " + unit_ + "`");
  }

  SystemdEnvironment env_;
  SystemdBus& bus_;   // *env_.bus
  std::string unit_;  // x402-mock.service or x402-mock@NAME.service
};

}  // namespace

std::unique_ptr<ServiceManager> CreateSystemdServiceManager(SystemdEnvironment environment) {
  return std::make_unique<SystemdServiceManager>(std::move(environment));
}

}  // namespace x402
