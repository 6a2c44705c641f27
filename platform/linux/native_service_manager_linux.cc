// Linux: the systemd backend (src/service/systemd_service_manager.cc) over the real user
// manager's bus (sd_bus_connection.h), and the account's home from its passwd entry.
#include <pwd.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <utility>

#include "sd_bus_connection.h"
#include "service/systemd_service_manager.h"

namespace x402 {

std::unique_ptr<ServiceManager> CreateNativeServiceManager(const Instance& instance) {
  SystemdEnvironment env;
  env.instance = instance;
  env.bus = std::make_unique<UserManagerBus>();  // connects on the manager's first call
  env.account_home = [] {
    const struct passwd* account = ::getpwuid(::getuid());
    return std::string(account != nullptr && account->pw_dir != nullptr ? account->pw_dir : "");
  };
  return CreateSystemdServiceManager(std::move(env));
}

}  // namespace x402
