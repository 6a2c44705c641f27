#include "service/service_manager.h"

namespace x402 {

Status ServiceManager::Restart(const StartRequest& request, int64_t running_pid,
                               std::chrono::milliseconds stop_timeout, int64_t* pid) {
  bool killed = false;
  Status s = Stop(running_pid, request.paths, stop_timeout, &killed);
  if (!s.ok()) return s;
  return Start(request, pid);
}

}  // namespace x402
