// The failures every backend reports the same way, in one place: a server that exited with
// the contract's "port in use" status during start-up, and one that was not ready in time.
#pragma once

#include <chrono>
#include <string>

#include "base/status.h"
#include "service/service_manager.h"

namespace x402 {

/// The server of |request| exited with status 2 while starting: kPortInUse, naming the
/// port's holder when it can be found (the server's own words for it are in the log).
Status ServerFoundPortInUse(const StartRequest& request);

/// The server of |request| did not report ready within its timeout (kTimeout); |where_to_look|
/// names the log (and the manager's journal, if any).
Status ServerNotReady(const StartRequest& request, const std::string& where_to_look);

}  // namespace x402
