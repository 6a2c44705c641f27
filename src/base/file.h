// Whole-file reads and atomic writes, for the small state, spec and service-definition files
// x402-dev keeps (PID file excepted: it is locked, see service/pid_file.h).
#pragma once

#include <optional>
#include <string>

#include "base/status.h"

namespace x402 {

/// Writes |content| to |path| through a temporary file in the same directory and a rename, so a
/// reader sees the old or the new file, never half of one.
Status WriteFileAtomically(const std::string& path, const std::string& content);

/// The whole file, or nullopt when it cannot be read.
std::optional<std::string> ReadWholeFile(const std::string& path);

}  // namespace x402
