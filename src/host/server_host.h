// ServerHost runs the mock server as a managed process: the one program path every backend
// runs (docs/architecture.md §6–8). Around MockServer it owns the contract files — it takes the PID
// file's lock before anything else, writes the state file once listening, removes both on a
// clean stop — writes the rotating log, and reports readiness (the readiness pipe of the
// direct backend, sd_notify under systemd) only after bind+listen.
#pragma once

#include <optional>
#include <string>

#include "base/console.h"
#include "base/status.h"
#include "config/config_loader.h"
#include "state/launch_spec.h"
#include "state/state_paths.h"

namespace x402 {

struct ServerHostOptions {
  LoadOptions load;        // how to load (and on SIGHUP reload) the configuration
  StatePaths paths;
  std::string backend;     // who runs us: "foreground", "direct", "systemd", …
  std::string instance;    // "" for the default instance, else its name
  std::optional<LaunchSpec> launch;  // what we were started with, for `mock restart`
  int threads = 0;         // 0: one per core
  bool log_to_stderr = true;       // foreground and systemd (the journal); not direct
  bool log_file_required = false;  // a background server without its log is blind: fail
  const Console* banner = nullptr; // print the start-up banner here (foreground)
};

/// Runs until SIGINT/SIGTERM and a graceful drain. kAlreadyRunning when another server holds
/// the PID file; kPortInUse / kConfig / kIo from binding; kConfig for a bad configuration.
/// Every failure is also reported on the readiness channel when there is one.
Status RunServerHost(const ServerHostOptions& options);

}  // namespace x402
