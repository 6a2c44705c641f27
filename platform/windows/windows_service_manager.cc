// The Windows backend: the server as the service "x402-mock", registered with
// Poco::Util::WinService (display name, description, start type, recovery actions) and
// started, stopped and queried through the Service Control Manager. The service runs as
// LocalSystem, whose home is not the user's: the launch spec's path names the user's home.
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <Poco/Exception.h>
#include <Poco/Util/WinService.h>

#include <filesystem>
#include <thread>

#include "base/process.h"
#include "base/win32_util.h"
#include "scm_status.h"
#include "service/backend_failures.h"
#include "state/launch_spec.h"
#include "state/server_state.h"
#include "service/service_manager.h"
#include "service/windows_service_state.h"

namespace x402 {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr const char* kServiceDescription =
    "Local mock x402 (HTTP 402 Payment Required) server for development";

class WindowsServiceManager final : public ServiceManager {
 public:
  explicit WindowsServiceManager(const Instance& instance)
      : instance_(instance), service_name_(instance.WindowsServiceName()) {}

  std::string_view name() const override { return "windows"; }

  bool Available() override {
    // Registered, and this user may start and stop it (else `auto` uses the direct backend).
    ScHandle service = Open(SERVICE_QUERY_STATUS | SERVICE_START | SERVICE_STOP);
    return static_cast<bool>(service);
  }

  bool CanInstall() override {
    // The SCM answers; whether this user may create services is Install()'s error to report.
    ScHandle manager(::OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    return static_cast<bool>(manager);
  }

  Status Start(const StartRequest& request, int64_t* pid) override {
    Status s = WriteLaunchSpecFor(request);
    if (!s.ok()) return s;
    ScHandle service = Open(SERVICE_QUERY_STATUS | SERVICE_START);
    if (!service) return NotAvailable();
    if (!::StartServiceW(service.get(), 0, nullptr) &&
        ::GetLastError() != ERROR_SERVICE_ALREADY_RUNNING) {
      return Status::ServiceManager("the SCM refused to start " + service_name_ +
                                    " (error " + std::to_string(::GetLastError()) + ")");
    }
    // The SCM reports RUNNING as soon as Poco's dispatcher runs; readiness is the server's
    // state file naming the service's process.
    const auto deadline = std::chrono::steady_clock::now() + request.timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      SERVICE_STATUS_PROCESS status{};
      if (!QueryServiceProcess(service.get(), &status)) break;
      const ScmState state = MapScmState(status.dwCurrentState);
      if (state == ScmState::kRunning) {
        const auto server = ReadServerState(request.paths.state_file);
        if (server && server->pid == static_cast<int64_t>(status.dwProcessId)) {
          *pid = server->pid;
          return Status::Ok();
        }
      } else if (state == ScmState::kStopped) {
        return ExitFailure(request, status);
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
    bool killed = false;
    (void)Stop(0, request.paths, std::chrono::seconds(10), &killed);
    return ServerNotReady(request, request.paths.log_file);
  }

  Status Stop(int64_t pid, const StatePaths&, milliseconds timeout, bool* killed) override {
    *killed = false;
    ScHandle service = Open(SERVICE_QUERY_STATUS | SERVICE_STOP);
    if (!service) return NotAvailable();
    SERVICE_STATUS plain{};
    if (!::ControlService(service.get(), SERVICE_CONTROL_STOP, &plain) &&
        ::GetLastError() != ERROR_SERVICE_NOT_ACTIVE) {
      return Status::ServiceManager("the SCM refused to stop the service (error " +
                                    std::to_string(::GetLastError()) + ")");
    }
    if (Stopped(service, timeout)) return Status::Ok();
    if (pid > 0) {
      Status s = SendSignal(pid, ProcessSignal::kKill);
      if (!s.ok()) return s;
      *killed = true;
    }
    if (!Stopped(service, std::chrono::seconds(10))) {
      return Status::Timeout("the service is still running after it was killed");
    }
    return Status::Ok();
  }

  Status Reload(int64_t pid) override { return SendSignal(pid, ProcessSignal::kReload); }

  Status Install(const StartRequest& request, bool enable) override {
    Status s = WriteLaunchSpecFor(request);
    if (!s.ok()) return s;
    s = Register(ServiceCommandLine(request));
    if (!s.ok()) return s;
    try {
      Poco::Util::WinService service(service_name_);
      service.setStartup(enable ? Poco::Util::WinService::SVC_AUTO_START
                                : Poco::Util::WinService::SVC_MANUAL_START);
      // Restarted after a crash: at once, then after 5 s; then left stopped.
      Poco::Util::WinService::FailureActionVector actions = {
          {Poco::Util::WinService::SVC_RESTART, 1000},
          {Poco::Util::WinService::SVC_RESTART, 5000},
          {Poco::Util::WinService::SVC_NONE, 0}};
      service.setFailureActions(actions);
    } catch (const Poco::Exception& e) {
      return Status::ServiceManager("cannot configure the service: " + e.displayText())
          .WithHint("run from an administrator prompt");
    }
    // Through the SCM, not by writing the registry value as Poco's setDescription does: the
    // SCM owns its service keys (Wine's rewrites them on every configuration change).
    ScHandle service = Open(SERVICE_CHANGE_CONFIG);
    std::wstring description = Wide(kServiceDescription);
    SERVICE_DESCRIPTIONW info{description.data()};
    if (!service || !::ChangeServiceConfig2W(service.get(), SERVICE_CONFIG_DESCRIPTION, &info)) {
      return Status::ServiceManager("cannot set the service's description (error " +
                                    std::to_string(::GetLastError()) + ")");
    }
    return Status::Ok();
  }

  // Registers the service, or changes the command line of the registered one in place. Not
  // delete-and-create: deleting a running service only marks it for deletion, so creating it
  // again fails, and the SCM removes it for good when it next stops. Changed in place, a
  // running service goes on running, as a rewritten systemd unit does, and starts with the
  // new command line next time.
  Status Register(const std::string& command_line) {
    ScHandle existing = Open(SERVICE_CHANGE_CONFIG);
    if (existing) {
      const std::wstring wide_command_line = Wide(command_line);
      const std::wstring display_name = Wide(DisplayName());
      if (!::ChangeServiceConfigW(existing.get(), SERVICE_NO_CHANGE, SERVICE_NO_CHANGE,
                                  SERVICE_NO_CHANGE, wide_command_line.c_str(), nullptr,
                                  nullptr, nullptr, nullptr, nullptr, display_name.c_str())) {
        return Status::ServiceManager("cannot change the registered service (error " +
                                      std::to_string(::GetLastError()) + ")")
            .WithHint("run from an administrator prompt");
      }
      return Status::Ok();
    }
    if (::GetLastError() != ERROR_SERVICE_DOES_NOT_EXIST) {  // e.g. access denied: say so
      return Status::ServiceManager("cannot open the registered service (error " +
                                    std::to_string(::GetLastError()) + ")")
          .WithHint("run from an administrator prompt");
    }
    try {
      Poco::Util::WinService service(service_name_);
      service.registerService(command_line, DisplayName());
    } catch (const Poco::Exception& e) {
      return Status::ServiceManager("cannot register the service: " + e.displayText())
          .WithHint("run from an administrator prompt; `--backend direct` needs no installation");
    }
    return Status::Ok();
  }

  Status Uninstall() override {
    try {
      Poco::Util::WinService service(service_name_);
      if (!service.isRegistered()) return Status::Ok();
      if (service.isRunning()) {
        bool killed = false;
        Status s = Stop(0, StatePaths{}, std::chrono::seconds(15), &killed);
        if (!s.ok()) return s;
      }
      service.unregisterService();
    } catch (const Poco::Exception& e) {
      return Status::ServiceManager("cannot remove the service: " + e.displayText())
          .WithHint("run from an administrator prompt");
    }
    return Status::Ok();
  }

  Status Describe(int64_t pid, std::vector<std::string>* lines) override {
    ScHandle service = Open(SERVICE_QUERY_STATUS);
    if (!service) return NotAvailable();
    SERVICE_STATUS_PROCESS status{};
    if (!QueryServiceProcess(service.get(), &status)) {
      return Status::ServiceManager("cannot query the service");
    }
    lines->push_back("service:  " + service_name_ + " " +
                     std::string(ToString(MapScmState(status.dwCurrentState))) + ", PID " +
                     std::to_string(status.dwProcessId));
    if (pid != 0 && static_cast<int64_t>(status.dwProcessId) != pid) {
      lines->push_back("warning:  the SCM's PID " + std::to_string(status.dwProcessId) +
                       " and the PID file's " + std::to_string(pid) + " disagree");
    }
    return Status::Ok();
  }

 private:
  // An empty handle when the service cannot be opened, with GetLastError() saying why.
  ScHandle Open(DWORD access) const {
    ScHandle service;
    DWORD error = 0;
    {
      // SC_MANAGER_CONNECT only: a non-administrator may still control a service it is
      // allowed to.
      ScHandle manager(::OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
      if (manager) service = ScHandle(::OpenServiceW(manager.get(), Wide(service_name_).c_str(), access));
      error = ::GetLastError();
    }
    ::SetLastError(error);  // closing the manager must not hide why the service did not open
    return service;
  }

  static bool Stopped(const ScHandle& service, milliseconds timeout) {
    SERVICE_STATUS_PROCESS status{};
    return WaitForServiceState(service.get(), ScmState::kStopped, timeout, &status);
  }

  Status NotAvailable() const {
    return Status::ServiceManager("the " + service_name_ +
                                  " service is not registered, or not yours to control")
        .WithHint("`x402-dev mock install` (as administrator), or use --backend direct");
  }

  Status ExitFailure(const StartRequest& request, const SERVICE_STATUS_PROCESS& status) {
    const int code = ServiceExitCode(status.dwWin32ExitCode, status.dwServiceSpecificExitCode);
    if (code == 2) return ServerFoundPortInUse(request);
    return Status::ServiceManager("the service stopped during start-up with exit code " +
                                  std::to_string(code))
        .WithHint("see " + request.paths.log_file);
  }

  // What the Services console lists. The SCM refuses a display name another service has, so
  // each named instance has its own.
  std::string DisplayName() const {
    const std::string base = "x402-dev mock x402 server";
    return instance_.is_default() ? base : base + " (" + instance_.name() + ")";
  }

  // The registered command line: the binary, the foreground server with the user's launch
  // spec (which names the user's home), and the marker that enters the service dispatcher.
  std::string ServiceCommandLine(const StartRequest& request) const {
    std::string name_args;
    for (const std::string& arg : instance_.ServerArgs()) name_args += arg + " ";
    return "\"" + request.server_argv.front() + "\" mock " + name_args + "--launch-spec \"" +
           request.paths.launch_spec + "\" --windows-service";
  }

  Instance instance_;
  std::string service_name_;  // x402-mock or x402-mock-NAME
};

}  // namespace

std::unique_ptr<ServiceManager> CreateNativeServiceManager(const Instance& instance) {
  return std::make_unique<WindowsServiceManager>(instance);
}

}  // namespace x402
