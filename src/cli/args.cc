#include "cli/args.h"

#include <sstream>

#include "base/text.h"

namespace x402 {
namespace {

// Each config flag and the key it sets.
struct ConfigFlag {
  const char* flag;
  const char* key;
  const char* value_name;
  const char* help;
};

constexpr ConfigFlag kConfigFlags[] = {
    {"port", "mock_server.port", "N", "TCP port to listen on (default 3402)"},
    {"host", "mock_server.host", "ADDR", "address to bind (default 127.0.0.1)"},
    {"backend", "mock_server.backend", "NAME", "auto | systemd | launchd | windows | direct"},
    {"pricing", "mock_server.pricing.default", "USD", "default price per request, e.g. 0.01"},
    {"simulation-mode", "mock_server.simulation_mode", "MODE", "success | failure | timeout"},
    {"log-level", "log_level", "LEVEL", "server log level: error | warn | info | debug"},
};

std::vector<std::string> OptionNames(const po::options_description& options) {
  std::vector<std::string> names;
  for (const auto& option : options.options()) names.push_back("--" + option->long_name());
  return names;
}

}  // namespace

po::options_description GlobalOptions() {
  po::options_description global("Global options");
  global.add_options()
      ("help,h", "show help for the command")
      ("verbose,v", "more detail, e.g. where each setting came from")
      ("debug", "internal detail for bug reports")
      ("no-color", "no colours (also: NO_COLOR=1)");
  return global;
}

Status ParseArgs(const std::vector<std::string>& args, const po::options_description& options,
                 const po::positional_options_description& positional, std::string_view command,
                 po::variables_map* vm) {
  po::options_description all;
  all.add(options).add(GlobalOptions());
  const std::string where = command.empty() ? std::string("x402-dev") : "x402-dev " + std::string(command);
  try {
    po::store(po::command_line_parser(args)
                  .options(all)
                  .positional(positional)
                  .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
                  .run(),
              *vm);
    po::notify(*vm);
  } catch (const po::unknown_option& e) {
    const std::string name = e.get_option_name();
    Status s = Status::Usage("unknown option '" + name + "' for " + where);
    if (auto match = ClosestMatch(name, OptionNames(all))) {
      return std::move(s).WithHint("did you mean '" + *match + "'?");
    }
    return std::move(s).WithHint("see `" + where + " --help`");
  } catch (const po::too_many_positional_options_error&) {
    return Status::Usage("too many arguments for " + where).WithHint("see `" + where + " --help`");
  } catch (const po::error& e) {
    return Status::Usage(std::string(e.what()) + " (" + where + ")")
        .WithHint("see `" + where + " --help`");
  }
  return Status::Ok();
}

po::options_description ConfigOverrideOptions() {
  po::options_description options("Configuration (flags beat X402_DEV_* env, files and defaults)");
  options.add_options()("config,c", po::value<std::string>()->value_name("FILE"),
                        "project config file (default ./.x402dev.yaml)");
  for (const ConfigFlag& flag : kConfigFlags) {
    options.add_options()(flag.flag, po::value<std::string>()->value_name(flag.value_name),
                          flag.help);
  }
  return options;
}

LoadOptions MakeLoadOptions(const po::variables_map& vm, const std::string& home,
                            const std::string& working_directory, EnvLookup env) {
  LoadOptions options;
  options.home = home;
  options.working_directory = working_directory;
  options.env = std::move(env);
  if (vm.count("config")) options.config_file = vm["config"].as<std::string>();
  for (const ConfigFlag& flag : kConfigFlags) {
    if (!vm.count(flag.flag)) continue;
    RawSetting setting;
    setting.key = flag.key;
    setting.text = vm[flag.flag].as<std::string>();
    setting.origin.source = ConfigSource::kFlag;
    setting.origin.name = std::string("--") + flag.flag;
    options.flags.push_back(std::move(setting));
  }
  return options;
}

std::string FormatHelp(std::string_view usage, std::string_view description,
                       const po::options_description& options, std::string_view examples) {
  std::ostringstream out;
  out << "Usage: " << usage << "\n\n" << description << "\n\n";
  out << options << "\n" << GlobalOptions();
  if (!examples.empty()) out << "\nExamples:\n" << examples;
  return out.str();
}

}  // namespace x402
