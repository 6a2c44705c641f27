// Reading a service's state from the Service Control Manager, and waiting for one: shared by
// the Windows backend (windows_service_manager.cc) and the installer's helper
// (installer_helper.cc).
#pragma once

#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <chrono>

#include "service/windows_service_state.h"

namespace x402 {

/// QueryServiceStatusEx: the state, PID and exit codes of |service|; false on error.
bool QueryServiceProcess(SC_HANDLE service, SERVICE_STATUS_PROCESS* status);

/// Polls |service| every 20 ms until it is in |wanted| or |timeout| has passed; |last| gets the
/// last status read. False on timeout or error, and at once when a service waited on to run
/// stops (a stop during start is a failed start).
bool WaitForServiceState(SC_HANDLE service, ScmState wanted, std::chrono::milliseconds timeout,
                         SERVICE_STATUS_PROCESS* last);

}  // namespace x402
