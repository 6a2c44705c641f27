// The direct backend: the server as a detached child process (new session, stdin from
// /dev/null, output appended to the log). Readiness comes from the child over a pipe, after
// its bind+listen; stop is SIGTERM, then SIGKILL after the timeout.
#include <thread>

#include "base/process.h"
#include "service/backend_failures.h"
#include "state/pid_file.h"
#include "service/service_manager.h"
#include "service/process_wait.h"

namespace x402 {
namespace {

// "FAILED <code-name>\t<message>\t<hint>" from the child → its Status.
Status ParseFailure(const std::string& line) {
  std::string rest = line.substr(7);
  const std::size_t space = rest.find('\t');
  const std::string code_name = rest.substr(0, space);
  std::string message = space == std::string::npos ? "" : rest.substr(space + 1);
  std::string hint;
  if (const std::size_t tab = message.find('\t'); tab != std::string::npos) {
    hint = message.substr(tab + 1);
    message.resize(tab);
  }
  const auto code = ParseStatusCodeName(code_name);
  return MakeStatus(code.value_or(StatusCode::kInternal), message, hint);
}

class DirectServiceManager final : public ServiceManager {
 public:
  std::string_view name() const override { return "direct"; }
  bool Available() override { return true; }

  Status Start(const StartRequest& request, int64_t* pid) override {
    DetachedChild child;
    Status s = SpawnDetached(request.server_argv, {"X402_DEV_LAUNCHED_BY=direct"},
                             request.paths.log_file, &child);
    if (!s.ok()) return s;
    // The child stays held (on Windows its process handle) until we return, so the kill and
    // reap below reach this child, never a process that got its PID later.
    struct Release {
      DetachedChild* child;
      ~Release() { ReleaseChild(child); }
    } release{&child};
    const std::optional<std::string> line = ReadReadinessLine(child, request.timeout);
    CloseReadiness(&child);

    if (line && line->rfind("READY ", 0) == 0) {
      *pid = child.pid;
      return Status::Ok();
    }
    if (line && line->rfind("FAILED ", 0) == 0) {
      ReapChild(child, std::chrono::seconds(5));
      return ParseFailure(*line);
    }
    if (!line) {
      // Not ready in time: do not leave a half-started server behind.
      (void)KillChild(child);
      ReapChild(child, std::chrono::seconds(5));
      return ServerNotReady(request, "the log: " + request.paths.log_file);
    }
    // The channel closed without a word: the child died. Its exit code says how.
    const std::optional<int> code = ReapChild(child, std::chrono::seconds(5));
    return Status::Internal("the server exited during start-up" +
                            (code ? " with status " + std::to_string(*code) : std::string()))
        .WithHint("see the log: " + request.paths.log_file);
  }

  Status Stop(int64_t pid, const StatePaths& paths, std::chrono::milliseconds timeout,
              bool* killed) override {
    *killed = false;
    // Each signal goes to |pid| only while it still holds the PID file's lock, pinned so that
    // a PID reused in between cannot receive it (kNotFound: it is gone already).
    Status s = SignalLockHolder(paths.pid_file, pid, ProcessSignal::kTerminate);
    if (!s.ok() && s.code() != StatusCode::kNotFound) return s;
    if (WaitForLockRelease(paths.pid_file, pid, timeout)) return Status::Ok();
    s = SignalLockHolder(paths.pid_file, pid, ProcessSignal::kKill);
    if (s.ok()) *killed = true;
    if (!s.ok() && s.code() != StatusCode::kNotFound) return s;
    if (!WaitForLockRelease(paths.pid_file, pid, std::chrono::seconds(10))) {
      return Status::Timeout("PID " + std::to_string(pid) + " is still running after SIGKILL");
    }
    return Status::Ok();
  }

  Status Reload(int64_t pid) override { return SendSignal(pid, ProcessSignal::kReload); }

  Status Install(const StartRequest&, bool) override {
    return Status::ServiceManager(
               "the direct backend has nothing to install: no native service manager is reachable")
        .WithHint("`x402-dev mock start` runs the server in the background without installing");
  }
  Status Uninstall() override { return Install({}, false); }
};

}  // namespace

std::unique_ptr<ServiceManager> CreateDirectServiceManager() {
  return std::make_unique<DirectServiceManager>();
}

}  // namespace x402
