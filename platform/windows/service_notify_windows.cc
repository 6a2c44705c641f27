// The Windows service reports RUNNING through Poco's ServerApplication; nothing to add here.
#include "service/service_notify.h"

namespace x402 {

void NotifyReady(const std::string&) {}
void NotifyReloading() {}
void NotifyStopping() {}

}  // namespace x402
