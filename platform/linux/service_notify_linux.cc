// sd_notify(3) when systemd runs the server ($NOTIFY_SOCKET set); nothing otherwise.
#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "host/service_notify.h"

namespace x402 {
namespace {

// sd_notify is itself a no-op without $NOTIFY_SOCKET, but calling it loads libsystemd
// (libsystemd_loader.h): ~3 ms between a direct-backend server's bind and its readiness.
void Notify(const char* message) {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  if (socket == nullptr || socket[0] == '\0') return;
  sd_notify(0, message);
}

}  // namespace

void NotifyReady(const std::string& status) {
  const std::string message = "READY=1\nSTATUS=" + status;
  Notify(message.c_str());
}

void NotifyReloading() {
  // MONOTONIC_USEC lets Type=notify-reload managers (systemd ≥ 253) tie the reload together.
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const long long usec = static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
  const std::string message = "RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec);
  Notify(message.c_str());
}

void NotifyStopping() { Notify("STOPPING=1\nSTATUS=stopping"); }

// POSIX: SIGTERM, SIGINT and SIGHUP reach the server's own signal handling.
std::unique_ptr<PlatformRequestWatch> WatchPlatformRequests(std::function<void(std::string_view)>,
                                                            std::function<void()>) {
  return nullptr;
}

}  // namespace x402
