#include "service/state_paths.h"

#include <filesystem>

namespace x402 {

StatePaths StatePaths::ForHome(const std::string& home) {
  const std::filesystem::path dir = std::filesystem::path(home) / ".x402dev";
  StatePaths p;
  p.dir = dir.string();
  p.pid_file = (dir / "mock-server.pid").string();
  p.state_file = (dir / "mock-server.json").string();
  p.log_dir = (dir / "logs").string();
  p.log_file = (dir / "logs" / "mock-server.log").string();
  p.launch_spec = (dir / "launch-spec.json").string();
  return p;
}

}  // namespace x402
