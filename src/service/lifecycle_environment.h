// What the lifecycle core (server_control.h) needs from the world, handed in rather than
// looked up (docs/architecture.md §4): the service managers, the contract files as
// the live server left them, the ports, and time. main.cc builds the real ones; the unit
// tests hand in fakes (tests/unit/fakes/), so every branch of the policy runs in microseconds.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "state/instance.h"
#include "service/server_inspection.h"
#include "state/server_state.h"
#include "service/service_manager.h"

namespace x402 {

/// Makes the service managers of one instance.
class ServiceManagerFactory {
 public:
  virtual ~ServiceManagerFactory() = default;
  /// The portable backend (a detached child process).
  virtual std::unique_ptr<ServiceManager> Direct(const Instance& instance) = 0;
  /// The host's native manager (systemd, launchd, the SCM), or nullptr when there is none.
  virtual std::unique_ptr<ServiceManager> Native(const Instance& instance) = 0;
};

/// Held while one command may start a server of an instance; released on destruction.
class StartLockHold {
 public:
  virtual ~StartLockHold() = default;
};

/// The contract files (PID file, its lock, the state file) of each instance.
class ServerFiles {
 public:
  virtual ~ServerFiles() = default;
  /// Is a server running? With |clean_up|, stale leftovers are removed (server_inspection.h).
  virtual ServerInspection Inspect(const StatePaths& paths, bool clean_up) = 0;
  /// The running server's state file, or nullopt.
  virtual std::optional<ServerState> ReadState(const StatePaths& paths) = 0;
  /// Creates the instance's directories (private to the user) before anything starts.
  virtual Status PrepareDirectories(const StatePaths& paths) = 0;
  /// Waits up to |wait| for the instance's start lock: so that of concurrent starts exactly
  /// one starts a server and the others find it running. kTimeout when it stays taken.
  virtual Status LockStarts(const StatePaths& paths, std::chrono::milliseconds wait,
                            std::unique_ptr<StartLockHold>* hold) = 0;
};

/// The ports, as the server would bind them.
class PortChecker {
 public:
  virtual ~PortChecker() = default;
  /// Ok when |port| on |host| could be bound now; kPortInUse naming the holder otherwise;
  /// kConfig for an address that cannot be bound at all.
  virtual Status CanBind(const std::string& host, uint16_t port) = 0;
  /// Ok when a TCP connection to |host|:|port| is accepted now.
  virtual Status Accepts(const std::string& host, uint16_t port) = 0;
};

struct LifecycleEnvironment {
  std::string home;    // whose ~/.x402dev
  std::string binary;  // the absolute path of x402-dev, for the server's command line
  ServiceManagerFactory* managers = nullptr;
  ServerFiles* files = nullptr;
  PortChecker* ports = nullptr;
  /// Between looks at a server that is on its way (reload confirmation).
  std::function<void(std::chrono::milliseconds)> sleep;
  /// Test seam (X402_DEV_TEST_SKIP_PORT_PRECHECK): skip the port pre-check so tests can
  /// drive the server's own bind failure through each backend.
  bool skip_port_precheck = false;
};

/// The real files and ports (server_files.cc), shared by every command of a process.
ServerFiles& RealServerFiles();
PortChecker& RealPortChecker();

}  // namespace x402
