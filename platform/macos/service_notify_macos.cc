// launchd has no readiness protocol: the server's state file says it is listening.
#include "service/service_notify.h"

namespace x402 {

void NotifyReady(const std::string&) {}
void NotifyReloading() {}
void NotifyStopping() {}

}  // namespace x402
