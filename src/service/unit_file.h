// The systemd user unit x402-mock.service, as text. Pure, so it is unit-tested on every OS;
// the packaged unit (packaging/) and the one the systemd backend writes come from here.
#pragma once

#include <string>

#include "state/instance.h"

namespace x402 {

/// The file name of the unit that runs |instance|: x402-mock.service for the default one,
/// the template x402-mock@.service for every named one.
std::string SystemdUnitFileName(const Instance& instance);

/// Why |binary| cannot be the program of a unit ("" when it can): a path with a line break
/// would end the ExecStart= line and start another (systemd.syntax(7)).
std::string SystemdExecPathProblem(const std::string& binary);

/// |binary| as the first word of ExecStart=: unchanged when it holds only characters systemd
/// reads literally, else double-quoted with C escapes (systemd.syntax(7)); `%` is always
/// doubled, because specifiers are expanded inside quotes too (systemd.unit(5)).
std::string SystemdExecPath(const std::string& binary);

/// The unit (for a named |instance|: the template unit) running |binary| (an absolute path)
/// as the foreground server with the instance's launch spec. Check |binary| with
/// SystemdExecPathProblem first: a line break is escaped here too, but systemd would then run
/// a path that is not |binary|'s spelling.
std::string RenderSystemdUnit(const std::string& binary, const Instance& instance = Instance());

}  // namespace x402
