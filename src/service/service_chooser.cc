#include "service/service_manager.h"

#include <filesystem>

#include "net/port_probe.h"
#include "service/launch_spec.h"
#include "service/server_state.h"

namespace x402 {

Status WriteLaunchSpec(const StartRequest& request) {
  std::error_code ec;
  std::filesystem::create_directories(request.paths.log_dir, ec);
  std::filesystem::permissions(request.paths.dir, std::filesystem::perms::owner_all, ec);
  LaunchSpec spec;
  spec.working_directory = request.working_directory;
  if (request.server_argv.size() > 2) {  // after the binary and "mock"
    spec.args.assign(request.server_argv.begin() + 2, request.server_argv.end());
  }
  spec.env = request.env;
  return WriteFileAtomically(request.paths.launch_spec, SerializeLaunchSpec(spec));
}

Status ServiceManager::Restart(const StartRequest& request, int64_t running_pid,
                               std::chrono::milliseconds stop_timeout, int64_t* pid) {
  bool killed = false;
  Status s = Stop(running_pid, request.paths, stop_timeout, &killed);
  if (!s.ok()) return s;
  s = ProbePort(request.host, request.port);
  if (!s.ok()) return s;
  return Start(request, pid);
}

Status ChooseServiceManager(Backend backend, std::unique_ptr<ServiceManager>* out,
                            ManagerPurpose purpose) {
  if (backend == Backend::kDirect) {
    *out = CreateDirectServiceManager();
    return Status::Ok();
  }
  std::unique_ptr<ServiceManager> native = CreateNativeServiceManager();
  const auto usable = [purpose](ServiceManager& manager) {
    return purpose == ManagerPurpose::kInstall ? manager.CanInstall() : manager.Available();
  };
  if (backend == Backend::kAuto) {
    // Containers, CI, sudo and cron often have no reachable user manager: fall back quietly;
    // `mock status` says which backend runs the server.
    *out = native && usable(*native) ? std::move(native) : CreateDirectServiceManager();
    return Status::Ok();
  }
  const std::string wanted(ToString(backend));
  if (!native || native->name() != wanted) {
    return Status::ServiceManager("the " + wanted + " backend is not available on this system")
        .WithHint("use --backend auto or --backend direct");
  }
  if (!usable(*native)) {
    return Status::ServiceManager("the " + wanted + " service manager cannot be reached")
        .WithHint("use --backend direct, or check that the user's service manager runs");
  }
  *out = std::move(native);
  return Status::Ok();
}

std::unique_ptr<ServiceManager> ManagerForRunningServer(const std::string& recorded_backend) {
  if (recorded_backend != "direct" && recorded_backend != "foreground" && !recorded_backend.empty()) {
    std::unique_ptr<ServiceManager> native = CreateNativeServiceManager();
    if (native && native->name() == recorded_backend && native->Available()) return native;
  }
  return CreateDirectServiceManager();
}

}  // namespace x402
