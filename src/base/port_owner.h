// Which process listens on a TCP port, for "port 3402 is in use by PID 4711 (python3)".
// Defined per OS under platform/; an OS that cannot tell returns nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace x402 {

struct PortOwner {
  int64_t pid = 0;
  std::string name;  // the command name, e.g. "python3"
};

/// The process holding a listening TCP socket on |port|, when it can be found (a process of
/// another user may be invisible). Only called on the error path: it scans process tables.
std::optional<PortOwner> FindPortOwner(uint16_t port);

}  // namespace x402
