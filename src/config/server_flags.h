// The flags that configure a server: the one list behind the CLI's options (`mock`, `start`,
// `restart`, `install`), the command line a backend runs the server with, and what a server
// records about its own start so `mock restart` can repeat it. A flag added here exists
// everywhere at once; none can drift.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/config_loader.h"

namespace x402 {

struct ServerFlag {
  std::string_view flag;        // without "--"
  std::string_view key;         // the config key it sets; "" for --config and --threads
  std::string_view value_name;
  std::string_view help;
};

inline constexpr std::string_view kConfigFileFlag = "config";
inline constexpr std::string_view kThreadsFlag = "threads";

/// --config, --port, --host, --backend, --pricing, --simulation-mode, --log-level, --threads.
std::span<const ServerFlag> ServerFlags();

/// Server arguments are "--flag value" pairs of ServerFlags(), in a flat vector.
using ServerArgs = std::vector<std::string>;

/// |base| with every flag of |overrides| replaced by (or added as) the overriding value.
ServerArgs MergeServerArgs(const ServerArgs& base, const ServerArgs& overrides);

/// The value of --|flag| in |args|, or "" when absent.
std::string ServerArgValue(const ServerArgs& args, std::string_view flag);

/// The configuration layers of a server started with |args| in |working_directory| under
/// |env|: --config becomes the project file, the other config flags the flag layer. kUsage
/// for an argument that is not a server flag, or a flag without its value.
Status LoadOptionsFromServerArgs(const ServerArgs& args, const std::string& home,
                                 const std::string& working_directory, EnvLookup env,
                                 LoadOptions* out);

/// --threads of |args| (0 when absent: one per core); kUsage outside 1..256.
Status ThreadsFromServerArgs(const ServerArgs& args, int* threads);

}  // namespace x402
