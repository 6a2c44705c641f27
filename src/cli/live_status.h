// What `mock status` learns by asking the running server itself (GET /__x402/health and
// /__x402/config), next to what the PID file and the state file say. A process can hold the
// lock and still not answer (stopped with SIGSTOP, deadlocked, swamped): only asking tells.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "state/server_state.h"

namespace x402 {

struct LiveStatus {
  bool answering = false;
  bool refused = false;            // nothing listens: the server may be on its way out
  std::string problem;             // why it is not answering ("no answer within 1 s", …)
  boost::json::object health;      // the body of /__x402/health (counters, modes), when answering
  std::optional<boost::json::object> config;  // /__x402/config, when the server serves it
};

/// How long `mock status` waits for the server's answer: a healthy mock answers health in
/// well under a millisecond, and a person waiting for `status` should not wait long.
inline constexpr std::chrono::milliseconds kStatusProbeTimeout{1000};

/// Asks the server described by |state| (its host and port) for its health, then its config.
LiveStatus AskRunningServer(const ServerState& state, std::chrono::milliseconds timeout);

}  // namespace x402
