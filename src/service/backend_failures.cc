#include "service/backend_failures.h"

#include "net/port_probe.h"

namespace x402 {

Status ServerFoundPortInUse(const StartRequest& request) {
  Status port = ProbePort(request.host, request.port);
  if (port.code() == StatusCode::kPortInUse) return port;
  return Status::PortInUse("port " + std::to_string(request.port) + " is in use")
      .WithHint("choose another with --port, or stop the program that holds it");
}

Status ServerNotReady(const StartRequest& request, const std::string& where_to_look) {
  return Status::Timeout("the server did not become ready within " +
                         std::to_string(request.timeout.count() / 1000) + " s")
      .WithHint("see " + where_to_look);
}

}  // namespace x402
