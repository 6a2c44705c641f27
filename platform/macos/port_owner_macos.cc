// macOS: no /proc. libproc could answer (proc_pidinfo PROC_PIDFDSOCKETINFO); until then the
// "port in use" message names the port without its holder.
#include "base/port_owner.h"

namespace x402 {

std::optional<PortOwner> FindPortOwner(uint16_t) { return std::nullopt; }

}  // namespace x402
