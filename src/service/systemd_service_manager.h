// The systemd backend: the server as the user unit x402-mock.service (Type=notify; a named
// instance as x402-mock@NAME.service), driven through the user manager's D-Bus API. systemd
// starts, restarts on crash, stops and reloads it; the server itself still owns the PID file,
// the state file and the log, so the contract holds unchanged.
//
// Everything here is portable C++: the manager is reached only through a SystemdBus, which
// tests replace, so this file is compiled on every OS and unit-tested without systemd or root
// (tests/unit/systemd_policy_test.cc). platform/linux/ only wires in the real bus (over
// libsystemd) and the account's home directory.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "service/service_manager.h"
#include "service/systemd_bus.h"

namespace x402 {

struct SystemdEnvironment {
  Instance instance;  // its unit (x402-mock[@NAME].service) and files
  /// Owned: each manager has its own connection, opened on the first call that needs it.
  std::unique_ptr<SystemdBus> bus;
  /// The account's home as systemd resolves %h when the manager's environment has no HOME
  /// (the passwd entry); asked only then.
  std::function<std::string()> account_home;
  /// Where distribution packages install the units (packaging/): a unit there is used instead
  /// of writing our own.
  std::string packaged_unit_directory = "/usr/lib/systemd/user";
};

std::unique_ptr<ServiceManager> CreateSystemdServiceManager(SystemdEnvironment environment);

}  // namespace x402
