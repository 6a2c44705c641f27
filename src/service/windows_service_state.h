// What the Windows Service Control Manager reports, in the contract's terms. Plain C++ with
// the SCM's documented numeric values (winsvc.h), so it is unit-tested on every OS.
#pragma once

#include <cstdint>
#include <string_view>

namespace x402 {

inline constexpr const char* kWindowsServiceName = "x402-mock";

enum class ScmState { kStopped, kStartPending, kStopPending, kRunning, kContinuePending,
                      kPausePending, kPaused, kUnknown };

/// SERVICE_STATUS_PROCESS::dwCurrentState (SERVICE_STOPPED = 1 … SERVICE_PAUSED = 7).
ScmState MapScmState(uint32_t current_state);
std::string_view ToString(ScmState state);

/// True for the states in which `mock status` says "running" (the process exists and owns
/// the server: running, or on its way to or from a pause).
bool CountsAsRunning(ScmState state);

/// The server's exit code from a stopped service's status: the service-specific code when
/// dwWin32ExitCode is ERROR_SERVICE_SPECIFIC_ERROR (1066), 0 for a clean stop, 3 otherwise.
int ServiceExitCode(uint32_t win32_exit_code, uint32_t service_specific_exit_code);

}  // namespace x402
