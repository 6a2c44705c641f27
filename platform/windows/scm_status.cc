#include "scm_status.h"

#include <thread>

namespace x402 {

bool QueryServiceProcess(SC_HANDLE service, SERVICE_STATUS_PROCESS* status) {
  DWORD needed = 0;
  return ::QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO,
                                reinterpret_cast<LPBYTE>(status), sizeof *status, &needed) != 0;
}

bool WaitForServiceState(SC_HANDLE service, ScmState wanted, std::chrono::milliseconds timeout,
                         SERVICE_STATUS_PROCESS* last) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (!QueryServiceProcess(service, last)) return false;
    const ScmState state = MapScmState(last->dwCurrentState);
    if (state == wanted) return true;
    if (wanted == ScmState::kRunning && state == ScmState::kStopped) return false;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace x402
