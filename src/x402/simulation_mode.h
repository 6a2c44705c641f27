// What a valid payment gets from the mock: the simulated facilitator's outcome.
#pragma once

#include <optional>
#include <string_view>

namespace x402 {

enum class SimulationMode { kSuccess, kFailure, kTimeout };

std::string_view ToString(SimulationMode mode);
std::optional<SimulationMode> ParseSimulationMode(std::string_view text);

}  // namespace x402
