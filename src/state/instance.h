// An instance of the server is a value (docs/architecture.md §5): its name gives every path, unit
// name, launchd label and Windows service name, so nothing else builds them from scratch.
// The default instance (no name) keeps the contract's exact paths (docs/cli.md#files) and
// the unit x402-mock.service; a named one lives under ~/.x402dev/instances/NAME/ and runs as
// the template unit x402-mock@NAME.service (pm2 names, systemd templates, pg_ctl data dirs).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "state/state_paths.h"

namespace x402 {

class Instance {
 public:
  /// The default instance.
  Instance() = default;

  /// "" is the default instance; anything else must match [a-z0-9][a-z0-9-]{0,31}
  /// (kUsage naming the rule otherwise).
  static Status Parse(std::string_view name, Instance* out);

  const std::string& name() const { return name_; }
  bool is_default() const { return name_.empty(); }
  /// For people: "default" or the name.
  std::string Label() const { return is_default() ? "default" : name_; }

  StatePaths Paths(const std::string& home) const;

  std::string SystemdUnit() const;         // x402-mock.service | x402-mock@NAME.service
  std::string LaunchdLabel() const;        // dev.x402.mock | dev.x402.mock.NAME
  std::string WindowsServiceName() const;  // x402-mock | x402-mock-NAME
  /// The flags a server command line needs to run as this instance ({} or {"--name", NAME}).
  std::vector<std::string> ServerArgs() const;

  /// The home directory whose instance this is, from its launch spec's path (a service that
  /// runs as another account learns the user's home this way).
  std::string HomeFromLaunchSpec(const std::string& launch_spec_path) const;

  friend bool operator==(const Instance&, const Instance&) = default;

 private:
  explicit Instance(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

/// The instances that have a state directory under |home|: the default one first (always),
/// then the named ones in name order. Directories with invalid names are skipped.
std::vector<Instance> KnownInstances(const std::string& home);

}  // namespace x402
