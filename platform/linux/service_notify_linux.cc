// sd_notify(3): a no-op returning 0 when $NOTIFY_SOCKET is unset (not run by systemd).
#include <systemd/sd-daemon.h>

#include <ctime>
#include <string>

#include "service/service_notify.h"

namespace x402 {

void NotifyReady(const std::string& status) {
  const std::string message = "READY=1\nSTATUS=" + status;
  sd_notify(0, message.c_str());
}

void NotifyReloading() {
  // MONOTONIC_USEC lets Type=notify-reload managers (systemd ≥ 253) tie the reload together.
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const long long usec = static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
  const std::string message = "RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec);
  sd_notify(0, message.c_str());
}

void NotifyStopping() { sd_notify(0, "STOPPING=1\nSTATUS=stopping"); }

// POSIX: SIGTERM, SIGINT and SIGHUP reach the server's own signal handling.
std::unique_ptr<PlatformRequestWatch> WatchPlatformRequests(std::function<void(std::string_view)>,
                                                            std::function<void()>) {
  return nullptr;
}

}  // namespace x402
