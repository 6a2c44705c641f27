// The launch spec: what `mock start` asked for, handed to a server that a service manager
// starts (docs/architecture.md §6). The unit file never changes between starts; the options of each
// start travel here instead: the flags, the working directory (for ./.x402dev.yaml) and the
// X402_DEV_* environment, which a service manager would not pass on.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/config_loader.h"
#include "state/state_paths.h"

namespace x402 {

struct LaunchSpec {
  std::string working_directory;
  std::vector<std::string> args;             // `mock` flags, e.g. {"--port", "4020"}
  std::map<std::string, std::string> env;    // X402_DEV_* at the time of the start
};

std::string SerializeLaunchSpec(const LaunchSpec& spec);
std::optional<LaunchSpec> ParseLaunchSpec(const std::string& json);

/// Writes |spec| to |paths|' launch-spec.json (creating the state directories), for a manager
/// that starts the server itself.
Status WriteLaunchSpec(const StatePaths& paths, const LaunchSpec& spec);

/// The X402_DEV_* variables of |env| that configure the server (see config.md).
std::map<std::string, std::string> ConfigEnvironment(const EnvLookup& env);

}  // namespace x402
