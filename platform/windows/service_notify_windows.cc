// Windows: the SCM learns about RUNNING/STOPPED from Poco's ServerApplication, so there is
// nothing to notify. Stop and reload requests from `mock stop` / `mock reload` arrive as named
// events: Poco's termination event (what Poco::Process::requestTermination sets) and our
// reload event, watched on a thread.
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <Poco/NumberFormatter.h>
#include <Poco/Process.h>

#include <thread>

#include "base/win32_util.h"
#include "host/service_notify.h"

namespace x402 {
namespace {

class EventWatch final : public PlatformRequestWatch {
 public:
  EventWatch(std::function<void(std::string_view)> stop, std::function<void()> reload)
      : stop_(std::move(stop)), reload_(std::move(reload)) {
    // Same name and kind (auto-reset) as Poco's NamedEvent for Process::requestTermination.
    std::string terminate_name = "POCOTRM";
    Poco::NumberFormatter::appendHex(terminate_name, Poco::Process::id(), 8);
    events_[0] = ::CreateEventW(nullptr, FALSE, FALSE, Wide(terminate_name).c_str());
    // Global\ so that `mock reload` from a user session reaches a service in session 0;
    // Local\ when this process may not create global objects (a plain user's server).
    const std::wstring reload_suffix = L"x402-dev-reload-" + std::to_wstring(Poco::Process::id());
    events_[1] = ::CreateEventW(nullptr, FALSE, FALSE, (L"Global\\" + reload_suffix).c_str());
    if (events_[1] == nullptr) {
      events_[1] = ::CreateEventW(nullptr, FALSE, FALSE, (L"Local\\" + reload_suffix).c_str());
    }
    events_[2] = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);  // quit, for the destructor
    thread_ = std::thread([this] { Watch(); });
  }

  ~EventWatch() override {
    ::SetEvent(events_[2]);
    thread_.join();
    for (HANDLE e : events_) {
      if (e != nullptr) ::CloseHandle(e);
    }
  }

 private:
  void Watch() {
    for (;;) {
      const DWORD which = ::WaitForMultipleObjects(3, events_, FALSE, INFINITE);
      if (which == WAIT_OBJECT_0) stop_("stop request");
      else if (which == WAIT_OBJECT_0 + 1) reload_();
      else return;
    }
  }

  std::function<void(std::string_view)> stop_;
  std::function<void()> reload_;
  HANDLE events_[3] = {nullptr, nullptr, nullptr};
  std::thread thread_;
};

}  // namespace

void NotifyReady(const std::string&) {}
void NotifyReloading() {}
void NotifyStopping() {}

std::unique_ptr<PlatformRequestWatch> WatchPlatformRequests(
    std::function<void(std::string_view)> stop, std::function<void()> reload) {
  return std::make_unique<EventWatch>(std::move(stop), std::move(reload));
}

}  // namespace x402
