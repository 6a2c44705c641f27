// ServiceManager starts, stops and reloads the x402-dev mock server through one service
// manager of the host: the portable `direct` backend (a detached child process, in
// src/service/), or a native one (systemd, launchd, the Windows SCM, in platform/<os>/).
// Callers never care which: every backend runs the same foreground server, which owns the
// contract files (PID file, state file, log), so status and stop work the same way over all
// of them (docs/architecture.md §3, §6, §7).
//
// Not thread-safe: one CLI command uses one manager at a time.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/config.h"
#include "state/instance.h"
#include "state/state_paths.h"

namespace x402 {

struct StartRequest {
  /// The foreground server's command line: absolute binary path, "mock", then its flags.
  std::vector<std::string> server_argv;
  /// The server flags alone (server_argv without the binary, "mock" and --name): what a
  /// launch spec records.
  std::vector<std::string> args;
  std::string host;
  uint16_t port = 0;
  StatePaths paths;
  std::chrono::milliseconds timeout{10'000};  // readiness
  /// For managers that do not pass them on (launch spec): the caller's working directory and
  /// X402_DEV_* environment.
  std::string working_directory;
  std::map<std::string, std::string> env;
};

/// Writes the launch spec of |request| (its flags, working directory and X402_DEV_*
/// environment) to its launch-spec.json, for a manager that starts the server itself.
Status WriteLaunchSpecFor(const StartRequest& request);

class ServiceManager {
 public:
  virtual ~ServiceManager() = default;

  /// "direct", "systemd", "launchd", "windows".
  virtual std::string_view name() const = 0;

  /// Whether this manager can run the server here and now (e.g. a user bus answers).
  virtual bool Available() = 0;

  /// Whether `mock install` can register the server with this manager. The same as
  /// Available() unless running needs an installation first (the Windows SCM: a service must
  /// be registered before it can start, so `auto` starts the direct backend until then).
  virtual bool CanInstall() { return Available(); }

  /// Starts the server and returns once it listens (its PID in |pid|) or has failed, with the
  /// server's own reason: kPortInUse, kConfig, kAlreadyRunning, …; kTimeout when it did not
  /// become ready within the request's timeout (then nothing is left running).
  virtual Status Start(const StartRequest& request, int64_t* pid) = 0;

  /// Gracefully stops the running server |pid| (the PID file lock's holder), waiting up to
  /// |timeout| before killing it hard; sets |killed| when it had to. Returns once the process
  /// is gone.
  virtual Status Stop(int64_t pid, const StatePaths& paths, std::chrono::milliseconds timeout,
                      bool* killed) = 0;

  /// Replaces the running server |pid| (which this manager owns) by one started from
  /// |request|. By default: Stop, then Start (the caller has checked the new port).
  virtual Status Restart(const StartRequest& request, int64_t running_pid,
                         std::chrono::milliseconds stop_timeout, int64_t* pid);

  /// Asks the server |pid| to re-read its configuration.
  virtual Status Reload(int64_t pid) = 0;

  /// Registers the service so it can start at login (|enable|) and is restarted on crash.
  virtual Status Install(const StartRequest& request, bool enable) = 0;
  virtual Status Uninstall() = 0;

  /// Extra lines for `mock status` from the manager's own view of the running server (e.g. the
  /// unit's state and MainPID, and whether it agrees with the PID file's |pid|).
  virtual Status Describe(int64_t pid, std::vector<std::string>* lines) {
    (void)pid;
    (void)lines;
    return Status::Ok();
  }
};

/// The portable backend: a detached child process.
std::unique_ptr<ServiceManager> CreateDirectServiceManager();

/// The host OS's native manager for |instance| (its unit, label or service name), or nullptr
/// when this build has none. Defined once in each platform/<os>/ directory.
std::unique_ptr<ServiceManager> CreateNativeServiceManager(const Instance& instance);

/// What a manager is chosen for: running the server, or installing / uninstalling it.
enum class ManagerPurpose { kRun, kInstall };

}  // namespace x402
