#include "service/process_wait.h"

#include <thread>

#include "base/process.h"
#include "state/pid_file.h"

namespace x402 {

bool WaitForLockRelease(const std::string& pid_file, int64_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const PidFileState state = InspectPidFile(pid_file);
    if ((state.kind != PidFileState::Kind::kLive || state.pid != pid) && ProcessExited(pid)) {
      return true;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    // The kernel releases the lock when the process exits, so wait for the exit itself; the
    // lock is then free at the next look. If the process is gone but the lock is not yet
    // (another process holding it briefly: a concurrent start), look again shortly.
    if (ProcessExited(pid)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    } else {
      WaitForExit(pid, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
    }
  }
}

}  // namespace x402
