// Telling the service manager that runs us how start-up, reloads and shutdown go. Under
// systemd (Type=notify) this is sd_notify(3); elsewhere it does nothing. Defined per OS under
// platform/.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace x402 {

/// After bind+listen: READY=1 with a STATUS= line such as "listening on http://…".
void NotifyReady(const std::string& status);
/// At the start of a reload (RELOADING=1), and READY=1 again when it finished.
void NotifyReloading();
/// At the start of a graceful stop.
void NotifyStopping();

/// Stops watching when destroyed.
class PlatformRequestWatch {
 public:
  virtual ~PlatformRequestWatch() = default;
};

/// Where stop and reload requests arrive by other means than POSIX signals (which the server
/// handles itself): on Windows, the named events that `mock stop` / `mock reload` set. Calls
/// |stop| or |reload| from a watcher thread while the returned watch lives. Elsewhere: nullptr.
std::unique_ptr<PlatformRequestWatch> WatchPlatformRequests(
    std::function<void(std::string_view reason)> stop, std::function<void()> reload);

}  // namespace x402
