// Is a mock server running? Answered from the PID file's lock, whichever backend started the
// server, and with the stale or corrupt leftovers of a crash cleaned up on the way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "service/server_state.h"
#include "service/state_paths.h"

namespace x402 {

struct ServerInspection {
  bool running = false;
  int64_t pid = 0;                   // the lock holder, when running
  std::optional<ServerState> state;  // when running and listening (absent while starting)
  std::string cleanup_note;          // what was cleaned up, for the user; "" when nothing
};

/// Looks at the PID file and the state file. With |clean_up|, removes a stale or corrupt PID
/// file (never one whose lock is held) and a state file no live server owns.
ServerInspection InspectServer(const StatePaths& paths, bool clean_up);

}  // namespace x402
