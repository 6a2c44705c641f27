// The process exit codes of the user-facing contract (docs/cli.md#exit-codes-every-command).
#pragma once

namespace x402 {

enum ExitCode : int {
  kExitSuccess = 0,
  kExitNotFound = 1,   // no server is running, or nothing to show
  kExitPortInUse = 2,  // another process holds the port
  kExitOtherError = 3, // anything else
};

}  // namespace x402
