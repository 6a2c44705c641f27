// Builds the effective configuration from its layers, weakest first:
//   built-in defaults < global file (~/.x402dev/config.yaml) < project file (./.x402dev.yaml,
//   $X402_DEV_CONFIG or --config FILE) < X402_DEV_* environment < command-line flags.
// Every value is validated by the settings table, and its origin is kept for `config show`
// and for error messages.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"
#include "config/settings.h"

namespace x402 {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment (std::getenv).
EnvLookup ProcessEnvironment();

struct LoadOptions {
  std::string home;               // "~"; the global file is home/.x402dev/config.yaml
  std::string working_directory;  // the project file is working_directory/.x402dev.yaml
  std::optional<std::string> config_file;  // --config FILE: must exist
  EnvLookup env;                  // defaults to ProcessEnvironment() when empty
  std::vector<RawSetting> flags;  // from the command line, origin kFlag
};

struct LoadedConfig {
  Config config;
  /// Origin of every key that some layer set; keys absent here are defaults. Pricing
  /// rules are keyed "mock_server.pricing.per_resource[PATTERN]".
  std::map<std::string, Origin> origins;
  std::optional<std::string> global_file;   // the files that were read
  std::optional<std::string> project_file;
};

/// Loads every layer. Fails (kConfig) on the first invalid value, naming where it came from.
Status LoadConfig(const LoadOptions& options, LoadedConfig* out);

/// Applies |settings| (one layer's raw values, in order) on top of |loaded|.
Status ApplySettings(const std::vector<RawSetting>& settings, LoadedConfig* loaded);

/// The key used in LoadedConfig::origins for the pricing rule |pattern|.
std::string RuleOriginKey(const std::string& pattern);

}  // namespace x402
