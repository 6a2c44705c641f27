// When the OS's service manager starts x402-dev through its own protocol (the Windows SCM's
// service dispatcher), the process must hand control to that protocol instead of running the
// CLI directly. Defined per OS under platform/.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace x402 {

/// |run_cli| runs the CLI with the given arguments and returns the exit code. Returns the
/// process exit code when this invocation was a native service start, nullopt otherwise.
std::optional<int> RunAsNativeService(int argc, char** argv,
                                      const std::function<int(std::vector<std::string>)>& run_cli);

}  // namespace x402
