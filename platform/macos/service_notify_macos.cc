// launchd has no readiness protocol: the server's state file says it is listening.
#include "host/service_notify.h"

namespace x402 {

void NotifyReady(const std::string&) {}
void NotifyReloading() {}
void NotifyStopping() {}

// POSIX: SIGTERM, SIGINT and SIGHUP reach the server's own signal handling.
std::unique_ptr<PlatformRequestWatch> WatchPlatformRequests(std::function<void(std::string_view)>,
                                                            std::function<void()>) {
  return nullptr;
}

}  // namespace x402
