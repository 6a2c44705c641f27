// Is a mock server running? Answered from the PID file's lock, whichever backend started the
// server, and with the stale or corrupt leftovers of a crash cleaned up on the way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "state/server_state.h"
#include "state/state_paths.h"

namespace x402 {

struct ServerInspection {
  bool running = false;
  int64_t pid = 0;                   // the lock holder, when running
  std::optional<ServerState> state;  // when running and listening (absent while starting)
  std::string cleanup_note;          // what was cleaned up, for the user; "" when nothing
  /// Not ok when whether a server runs cannot be told (kIo: permission denied, a linked or
  /// foreign state directory): then |running| is false but means nothing, and nothing was
  /// cleaned up. Never "not running" (docs/cli.md#guarantees).
  Status problem = Status::Ok();
};

/// Looks at the PID file and the state file. With |clean_up|, removes a stale or corrupt PID
/// file (never one whose lock is held) and a state file no live server owns — and nothing at
/// all in a state directory that is a symbolic link or another user's.
ServerInspection InspectServer(const StatePaths& paths, bool clean_up);

}  // namespace x402
