// ServerControl is the lifecycle core (docs/architecture.md §4): every decision about starting,
// stopping, restarting, reloading and installing one instance of the mock server that spans
// the service managers. Which manager owns a running server and so must stop it; what a
// restart reuses; the port pre-check and the re-check after losing a race; the lock that lets
// exactly one of concurrent starts win. The CLI parses and prints; the managers make OS calls;
// the policy is here, and unit-tested with fakes (tests/unit/server_control_test.cc).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/server_flags.h"
#include "state/instance.h"
#include "service/lifecycle_environment.h"

namespace x402 {

/// What `mock start`, `restart` and `install` ask for.
struct StartOptions {
  ServerArgs args;                          // the server flags given on the command line
  std::string working_directory;            // of the caller (finds ./.x402dev.yaml)
  std::map<std::string, std::string> env;   // the caller's X402_DEV_* configuration variables
  std::chrono::milliseconds ready_timeout{10'000};
  std::chrono::milliseconds stop_timeout{10'000};  // restart: for the old server
};

struct StartOutcome {
  int64_t pid = 0;
  std::string url;
  std::string backend;
  std::string log_file;
  int64_t stopped_pid = 0;  // restart: the server it replaced (0 when none ran)
};

struct StopOutcome {
  int64_t pid = 0;
  bool killed = false;  // it did not stop within the timeout and was killed
};

/// One instance as `mock status` and `mock list` show it.
struct InstanceReport {
  Instance instance;
  StatePaths paths;
  bool running = false;
  int64_t pid = 0;
  std::optional<ServerState> state;   // absent while starting
  std::vector<std::string> manager_lines;  // the owning manager's own view (unit state, …)
  Status problem = Status::Ok();  // whether it runs cannot be told (server_inspection.h)
};

class ServerControl {
 public:
  ServerControl(LifecycleEnvironment environment, Instance instance);

  /// Starts the server in the background. kAlreadyRunning when one runs (also for the loser
  /// of concurrent starts), kPortInUse (naming the holder) before any backend is involved.
  Status Start(const StartOptions& options, StartOutcome* outcome);

  /// Replaces the running server by one started with the running server's own options,
  /// overridden flag by flag by |options.args|; just starts when none runs. The new config,
  /// address and port are checked before anything is stopped.
  Status Restart(const StartOptions& options, StartOutcome* outcome);

  /// Stops the running server through the manager that owns it. kNotFound when none runs.
  Status Stop(std::chrono::milliseconds timeout, StopOutcome* outcome);

  /// Has the running server re-read its configuration (confirmed through its state file).
  Status Reload(std::chrono::milliseconds timeout, int64_t* pid);

  /// Registers (or removes) the instance with the native manager chosen by the options.
  Status Install(const StartOptions& options, bool enable, std::string* backend);
  Status Uninstall(const StartOptions& options, std::string* backend);

  /// The instance's state (cleaning up stale files on the way).
  InstanceReport Inspect(bool with_manager_view);

  /// What was cleaned up on the way (stale PID file, …), for the user.
  const std::vector<std::string>& notes() const { return notes_; }

  const Instance& instance() const { return instance_; }
  const StatePaths& paths() const { return paths_; }

 private:
  struct Plan;  // a start, resolved: config loaded, manager chosen, request built
  Status MakePlan(const StartOptions& options, const ServerArgs& args, ManagerPurpose purpose,
                  Plan* plan);
  /// Prepares the instance's directories and takes its start lock (held until |hold| goes).
  Status LockStarts(const StartOptions& options, std::unique_ptr<StartLockHold>* hold);
  Status CheckPort(const Plan& plan, int64_t replacing_pid);
  Status StartLocked(const Plan& plan, StartOutcome* outcome);
  Status Finish(const Plan& plan, int64_t pid, StartOutcome* outcome);
  Status StopRunning(const ServerInspection& found, std::chrono::milliseconds timeout,
                     StopOutcome* outcome);
  Status ChooseManager(Backend backend, ManagerPurpose purpose,
                       std::unique_ptr<ServiceManager>* out);
  /// The manager that owns |found|; kServiceManager when it cannot be reached from here.
  Status OwnerOf(const ServerInspection& found, std::unique_ptr<ServiceManager>* owner);
  ServerInspection Look(bool clean_up);
  void Note(const std::string& note);

  LifecycleEnvironment env_;
  Instance instance_;
  StatePaths paths_;
  std::vector<std::string> notes_;
};

/// Every known instance of |environment|'s home (KnownInstances), inspected.
std::vector<InstanceReport> InspectAllInstances(const LifecycleEnvironment& environment,
                                                bool with_manager_view);

}  // namespace x402
