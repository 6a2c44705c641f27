// Pre-checks of a port by the commands that start a server: binding exactly the way the server
// binds (net/listening_socket.h), and connecting once to a server that reported ready.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace x402 {

/// Binds and releases |host|:|port|. Ok when a server could bind it now.
Status ProbePort(const std::string& host, uint16_t port);

/// Connects once to |host|:|port| and closes. Ok when the connection was accepted.
Status ProbeConnect(const std::string& host, uint16_t port);

}  // namespace x402
