// Where the contract files live (docs/cli.md#files): everything under ~/.x402dev/ for the
// default instance, under ~/.x402dev/instances/NAME/ for a named one (service/instance.h).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace x402 {

struct StatePaths {
  std::string root;        // ~/.x402dev, for every instance
  std::string dir;         // ~/.x402dev (a named instance: ~/.x402dev/instances/NAME)
  std::string pid_file;    // ~/.x402dev/mock-server.pid: the PID, locked by the live server
  std::string state_file;  // ~/.x402dev/mock-server.json: port, URL, backend, start time, …
  std::string log_dir;     // ~/.x402dev/logs
  std::string log_file;    // ~/.x402dev/logs/mock-server.log
  std::string launch_spec; // ~/.x402dev/launch-spec.json: what a service manager starts
  std::string start_lock;  // ~/.x402dev/start.lock: held by the one `mock start` that may start
  std::string solana_fee_payer;  // ~/.x402dev/solana-fee-payer.json: the instance's Solana fee-payer key

  /// The default instance's paths for the user whose home is |home|.
  static StatePaths ForHome(const std::string& home);
};

/// Creates the directories from |paths.root| down to |paths.log_dir| (0700), refusing (kIo,
/// before anything is created, written or chmod-ed in it) any that is a symbolic link or
/// another user's (docs/cli.md#guarantees).
Status PrepareStateDirectories(const StatePaths& paths);

/// The same checks on whatever of those directories exists, changing nothing.
Status CheckStateDirectories(const StatePaths& paths);

}  // namespace x402
