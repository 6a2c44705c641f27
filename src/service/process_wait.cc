#include "service/process_wait.h"

#include <thread>

#include "base/process.h"
#include "service/pid_file.h"

namespace x402 {

bool WaitForLockRelease(const std::string& pid_file, int64_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const PidFileState state = InspectPidFile(pid_file);
    if ((state.kind != PidFileState::Kind::kLive || state.pid != pid) && ProcessExited(pid)) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    // The lock is released by the kernel when the process exits; there is no portable way to
    // be told, so look again shortly. This is a stop, not readiness: no start waits on it.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace x402
