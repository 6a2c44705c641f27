// macOS: the launchd backend (src/service/launchd_service_manager.cc) with the real
// launchctl runner and this user's id.
#include <unistd.h>

#include <cstdlib>

#include "base/process_runner.h"
#include "service/launchd_service_manager.h"

namespace x402 {

std::unique_ptr<ServiceManager> CreateNativeServiceManager(const Instance& instance) {
  // One runner for the life of the process; the manager only borrows it.
  static std::unique_ptr<ProcessRunner> runner = CreateProcessRunner();
  LaunchdEnvironment env;
  env.uid = static_cast<unsigned>(::getuid());
  const char* home = std::getenv("HOME");
  env.home = home != nullptr ? home : "";
  env.runner = runner.get();
  env.instance = instance;
  return CreateLaunchdServiceManager(std::move(env));
}

}  // namespace x402
