// Boost.Program_options glue shared by the commands: parsing with friendly errors, the
// global flags, and the flags that override configuration keys.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/config_loader.h"
#include "config/server_flags.h"

namespace x402 {

namespace po = boost::program_options;

/// --verbose, --debug, --no-color, --help: accepted before or after any command.
po::options_description GlobalOptions();

/// Parses |args| against |options| (plus the global ones). Unknown options and bad values
/// become kUsage naming the option, with "did you mean" when one is close.
Status ParseArgs(const std::vector<std::string>& args, const po::options_description& options,
                 const po::positional_options_description& positional, std::string_view command,
                 po::variables_map* vm);

/// --config, --port, --host, --backend, --pricing, --simulation-mode, --log-level: the
/// configuration flags of config/server_flags.h.
po::options_description ConfigOverrideOptions();

/// ConfigOverrideOptions() and --threads: what a server runs with (`mock`, `start`, …).
po::options_description ServerOptions();

/// The server flags given in |vm|, as a server command line takes them; --config made
/// absolute against |working_directory|.
ServerArgs ServerArgsFrom(const po::variables_map& vm, const std::string& working_directory);

/// The LoadOptions for the parsed flags: --config becomes the project file, the others
/// become flag-layer settings.
LoadOptions MakeLoadOptions(const po::variables_map& vm, const std::string& home,
                            const std::string& working_directory, EnvLookup env);

/// "Usage: …" + description + options + examples, for `<command> --help`.
std::string FormatHelp(std::string_view usage, std::string_view description,
                       const po::options_description& options, std::string_view examples);

}  // namespace x402
