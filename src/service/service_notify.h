// Telling the service manager that runs us how start-up, reloads and shutdown go. Under
// systemd (Type=notify) this is sd_notify(3); elsewhere it does nothing. Defined per OS under
// platform/.
#pragma once

#include <string>

namespace x402 {

/// After bind+listen: READY=1 with a STATUS= line such as "listening on http://…".
void NotifyReady(const std::string& status);
/// At the start of a reload (RELOADING=1), and READY=1 again when it finished.
void NotifyReloading();
/// At the start of a graceful stop.
void NotifyStopping();

}  // namespace x402
