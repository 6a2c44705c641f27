#include "x402/simulation_mode.h"

namespace x402 {

std::string_view ToString(SimulationMode mode) {
  switch (mode) {
    case SimulationMode::kSuccess: return "success";
    case SimulationMode::kFailure: return "failure";
    case SimulationMode::kTimeout: return "timeout";
  }
  return "success";
}

std::optional<SimulationMode> ParseSimulationMode(std::string_view text) {
  for (SimulationMode m :
       {SimulationMode::kSuccess, SimulationMode::kFailure, SimulationMode::kTimeout}) {
    if (ToString(m) == text) return m;
  }
  return std::nullopt;
}

}  // namespace x402
