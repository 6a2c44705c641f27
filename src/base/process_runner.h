// ProcessRunner runs a command (an argument vector, never a shell line) and returns its exit
// code and output. It is the seam between service managers that are driven by command-line
// tools (launchctl, sc.exe) and the OS: tests hand those managers a fake that records argv
// and answers with fixtures (ninja's DiskInterface idea).
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace x402 {

struct ProcessResult {
  int exit_code = -1;  // -1: could not be run at all
  std::string output;  // stdout and stderr, interleaved
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  virtual ProcessResult Run(const std::vector<std::string>& argv) = 0;
};

/// The real one (posix_spawn / CreateProcess). Defined in base/process_*.cc.
std::unique_ptr<ProcessRunner> CreateProcessRunner();

}  // namespace x402
