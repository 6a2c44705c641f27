// Where the contract files live (CONTRACT.md, "Files"): everything under ~/.x402dev/ for the
// default instance, under ~/.x402dev/instances/NAME/ for a named one (service/instance.h).
#pragma once

#include <string>

namespace x402 {

struct StatePaths {
  std::string dir;         // ~/.x402dev
  std::string pid_file;    // ~/.x402dev/mock-server.pid: the PID, locked by the live server
  std::string state_file;  // ~/.x402dev/mock-server.json: port, URL, backend, start time, …
  std::string log_dir;     // ~/.x402dev/logs
  std::string log_file;    // ~/.x402dev/logs/mock-server.log
  std::string launch_spec; // ~/.x402dev/launch-spec.json: what a service manager starts
  std::string start_lock;  // ~/.x402dev/start.lock: held by the one `mock start` that may start

  /// The default instance's paths for the user whose home is |home|.
  static StatePaths ForHome(const std::string& home);
};

}  // namespace x402
