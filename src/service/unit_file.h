// The systemd user unit x402-mock.service, as text. Pure, so it is unit-tested on every OS;
// the packaged unit (packaging/) and the one the systemd backend writes come from here.
#pragma once

#include <string>

namespace x402 {

inline constexpr const char* kSystemdUnitName = "x402-mock.service";

/// The unit running |binary| (an absolute path) as the foreground server with the launch
/// spec in the user's ~/.x402dev.
std::string RenderSystemdUnit(const std::string& binary);

}  // namespace x402
