// The systemd user unit x402-mock.service, as text. Pure, so it is unit-tested on every OS;
// the packaged unit (packaging/) and the one the systemd backend writes come from here.
#pragma once

#include <string>

#include "service/instance.h"

namespace x402 {

/// The file name of the unit that runs |instance|: x402-mock.service for the default one,
/// the template x402-mock@.service for every named one.
std::string SystemdUnitFileName(const Instance& instance);

/// The unit (for a named |instance|: the template unit) running |binary| (an absolute path)
/// as the foreground server with the instance's launch spec.
std::string RenderSystemdUnit(const std::string& binary, const Instance& instance = Instance());

}  // namespace x402
