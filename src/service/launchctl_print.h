// Reading `launchctl print gui/<uid>/dev.x402.mock`. Its output is documented as "not API",
// so only the few top-level fields x402-dev needs are read, and anything unexpected leaves
// them unknown rather than guessed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace x402 {

struct LaunchdJob {
  std::string state;                  // "running", "not running", "spawn scheduled", …
  int64_t pid = 0;                    // 0 when not running
  std::optional<int> last_exit_code;  // absent: "(never exited)"
  int64_t runs = 0;
};

/// Parses the top level of the job's dictionary (nested dictionaries have fields of the same
/// names, e.g. "state" inside event triggers). nullopt when |text| is not a job dump.
std::optional<LaunchdJob> ParseLaunchctlPrint(std::string_view text);

}  // namespace x402
