// Test-only fault points. The environment variable X402_DEV_TEST_FAULTS, a comma-separated
// list of names, makes the named places in the server throw, so that tests can check what
// happens to an exception nothing else can provoke from outside (a throw in the accept loop).
// Unset (always, outside tests), every check is one load of a flag read once at start.
//
//   accept   the accept loop throws once, after accepting a connection
//   route    a request carrying the header `X402-Dev-Test-Fault` throws in its handler
#pragma once

#include <string_view>

namespace x402 {

/// Whether |name| is listed in X402_DEV_TEST_FAULTS (read once per process).
bool FaultPointArmed(std::string_view name);

/// The request header that trips the "route" fault point.
inline constexpr std::string_view kTestFaultHeader = "X402-Dev-Test-Fault";

}  // namespace x402
