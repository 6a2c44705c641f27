// What a valid payment gets from the mock: the simulated facilitator's outcome, including the
// failures real facilitators have (docs/server.md, "Simulation modes").
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace x402 {

enum class SimulationMode {
  kSuccess,       // settled, 200
  kFailure,       // settle fails: unexpected_settle_error
  kTimeout,       // 408 after timeout_delay_ms, nothing settled
  kPending,       // settled, answered settlement_pending; the same payment again is reconciled
  kLostResponse,  // settled, then the answer is lost: 502
  kRpcOutage,     // the facilitator's RPC is unreachable: verify fails as the reference's does
  kSlow,          // settled, answered after timeout_delay_ms
};

inline constexpr std::array<SimulationMode, 7> kAllSimulationModes = {
    SimulationMode::kSuccess, SimulationMode::kFailure,      SimulationMode::kTimeout, SimulationMode::kPending,
    SimulationMode::kLostResponse, SimulationMode::kRpcOutage, SimulationMode::kSlow};

/// "success", "failure", "timeout", "pending", "lost-response", "rpc-outage", "slow".
std::string_view ToString(SimulationMode mode);
std::optional<SimulationMode> ParseSimulationMode(std::string_view text);
/// The names joined for messages: "success, failure, timeout, …, slow".
std::string_view SimulationModeNames();

/// The mode settles the payment (moves the money), whatever the client is then told.
bool SettlesPayment(SimulationMode mode);

}  // namespace x402
