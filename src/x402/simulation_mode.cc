#include "x402/simulation_mode.h"

namespace x402 {

std::string_view ToString(SimulationMode mode) {
  switch (mode) {
    case SimulationMode::kSuccess: return "success";
    case SimulationMode::kFailure: return "failure";
    case SimulationMode::kTimeout: return "timeout";
    case SimulationMode::kPending: return "pending";
    case SimulationMode::kLostResponse: return "lost-response";
    case SimulationMode::kRpcOutage: return "rpc-outage";
    case SimulationMode::kSlow: return "slow";
  }
  return "success";
}

std::optional<SimulationMode> ParseSimulationMode(std::string_view text) {
  for (SimulationMode m : kAllSimulationModes) {
    if (ToString(m) == text) return m;
  }
  return std::nullopt;
}

std::string_view SimulationModeNames() {
  return "success, failure, timeout, pending, lost-response, rpc-outage, slow";
}

bool SettlesPayment(SimulationMode mode) {
  return mode == SimulationMode::kSuccess || mode == SimulationMode::kPending ||
         mode == SimulationMode::kLostResponse || mode == SimulationMode::kSlow;
}

}  // namespace x402
