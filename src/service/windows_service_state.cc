#include "service/windows_service_state.h"

namespace x402 {

ScmState MapScmState(uint32_t current_state) {
  switch (current_state) {
    case 1: return ScmState::kStopped;
    case 2: return ScmState::kStartPending;
    case 3: return ScmState::kStopPending;
    case 4: return ScmState::kRunning;
    case 5: return ScmState::kContinuePending;
    case 6: return ScmState::kPausePending;
    case 7: return ScmState::kPaused;
    default: return ScmState::kUnknown;
  }
}

std::string_view ToString(ScmState state) {
  switch (state) {
    case ScmState::kStopped: return "STOPPED";
    case ScmState::kStartPending: return "START_PENDING";
    case ScmState::kStopPending: return "STOP_PENDING";
    case ScmState::kRunning: return "RUNNING";
    case ScmState::kContinuePending: return "CONTINUE_PENDING";
    case ScmState::kPausePending: return "PAUSE_PENDING";
    case ScmState::kPaused: return "PAUSED";
    case ScmState::kUnknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

bool CountsAsRunning(ScmState state) {
  return state == ScmState::kRunning || state == ScmState::kContinuePending ||
         state == ScmState::kPausePending || state == ScmState::kPaused;
}

int ServiceExitCode(uint32_t win32_exit_code, uint32_t service_specific_exit_code) {
  constexpr uint32_t kErrorServiceSpecificError = 1066;
  if (win32_exit_code == kErrorServiceSpecificError) {
    return static_cast<int>(service_specific_exit_code);
  }
  return win32_exit_code == 0 ? 0 : 3;
}

}  // namespace x402
