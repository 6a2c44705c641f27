// systemd and launchd start the server as a plain process (`x402-dev mock --launch-spec …`);
// there is no service protocol to enter.
#include "host/service_entry.h"

namespace x402 {

std::optional<int> RunAsNativeService(int, char**, const std::function<int(std::vector<std::string>)>&) {
  return std::nullopt;
}

}  // namespace x402
