#include "service/server_inspection.h"

#include <filesystem>

#include "state/pid_file.h"

namespace x402 {

ServerInspection InspectServer(const StatePaths& paths, bool clean_up) {
  ServerInspection result;
  // A linked or foreign ~/.x402dev is not ours to read or clean: refuse it (exit 3).
  result.problem = CheckStateDirectories(paths);
  if (!result.problem.ok()) return result;
  const PidFileState pid_file = InspectPidFile(paths.pid_file);
  switch (pid_file.kind) {
    case PidFileState::Kind::kUnknown:
      // Not stale: nothing is removed, and the caller says it cannot tell.
      result.problem = Status::Io("cannot tell whether a mock server is running: " +
                                  paths.pid_file + " " + pid_file.problem)
                           .WithHint("run x402-dev as the user who started the server");
      return result;
    case PidFileState::Kind::kLive: {
      result.running = true;
      result.pid = pid_file.pid;
      auto state = ReadServerState(paths.state_file);
      // A state file of another PID is a crashed server's leftover: not this one's facts.
      if (state && state->pid == pid_file.pid) result.state = std::move(state);
      return result;
    }
    case PidFileState::Kind::kAbsent:
      break;
    case PidFileState::Kind::kStale:
      if (clean_up && RemoveUnlockedPidFile(paths.pid_file)) {
        result.cleanup_note = "removed a stale PID file (PID " + std::to_string(pid_file.pid) +
                              " is not a running x402-dev server)";
      }
      break;
    case PidFileState::Kind::kCorrupt:
      if (clean_up && RemoveUnlockedPidFile(paths.pid_file)) {
        result.cleanup_note = "removed a corrupt PID file (" + paths.pid_file + " " +
                              pid_file.problem + "); no process was signalled";
      }
      break;
  }
  // A server may have started since we looked: leave its fresh state file alone.
  if (clean_up && InspectPidFile(paths.pid_file).kind != PidFileState::Kind::kLive) {
    std::error_code ignored;
    std::filesystem::remove(paths.state_file, ignored);
  }
  return result;
}

}  // namespace x402
