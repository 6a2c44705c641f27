#include "service/service_manager.h"

#include "state/launch_spec.h"

namespace x402 {

Status ServiceManager::Restart(const StartRequest& request, int64_t running_pid,
                               std::chrono::milliseconds stop_timeout, int64_t* pid) {
  bool killed = false;
  Status s = Stop(running_pid, request.paths, stop_timeout, &killed);
  if (!s.ok()) return s;
  return Start(request, pid);
}

Status WriteLaunchSpecFor(const StartRequest& request) {
  LaunchSpec spec;
  spec.working_directory = request.working_directory;
  spec.args = request.args;
  spec.env = request.env;
  return WriteLaunchSpec(request.paths, spec);
}

}  // namespace x402
