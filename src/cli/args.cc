#include "cli/args.h"

#include <filesystem>
#include <sstream>

#include "base/text.h"
#include "config/server_flags.h"

namespace x402 {
namespace {

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

namespace {

// The table's flags, optionally without --threads (a server option, not a config one).
po::options_description FlagOptions(const char* caption, bool with_threads) {
  po::options_description options(caption);
  for (const ServerFlag& flag : ServerFlags()) {
    if (flag.flag == kThreadsFlag && !with_threads) continue;
    const std::string name(flag.flag);
    const std::string spelled = flag.flag == kConfigFileFlag ? name + ",c" : name;
    options.add_options()(spelled.c_str(),
                          po::value<std::string>()->value_name(std::string(flag.value_name)),
                          std::string(flag.help).c_str());
  }
  return options;
}

}  // namespace

po::options_description ConfigOverrideOptions() {
  return FlagOptions("Configuration (flags beat X402_DEV_* env, files and defaults)", false);
}

po::options_description ServerOptions() {
  return FlagOptions("Server (flags beat X402_DEV_* env, files and defaults)", true);
}

ServerArgs ServerArgsFrom(const po::variables_map& vm, const std::string& working_directory) {
  ServerArgs args;
  for (const ServerFlag& flag : ServerFlags()) {
    const std::string name(flag.flag);
    if (!vm.count(name)) continue;
    std::string value = vm[name].as<std::string>();
    if (flag.flag == kConfigFileFlag) {
      // Resolved now: a restart from another directory must find the same file.
      value = std::filesystem::absolute(std::filesystem::path(working_directory) / value).string();
    }
    args.insert(args.end(), {"--" + name, std::move(value)});
  }
  return args;
}

LoadOptions MakeLoadOptions(const po::variables_map& vm, const std::string& home,
                            const std::string& working_directory, EnvLookup env) {
  ServerArgs args;
  for (const ServerFlag& flag : ServerFlags()) {
    const std::string name(flag.flag);
    if (flag.flag != kThreadsFlag && vm.count(name)) {
      args.insert(args.end(), {"--" + name, vm[name].as<std::string>()});
    }
  }
  LoadOptions options;
  // Every argument comes from the table, so this cannot fail.
  (void)LoadOptionsFromServerArgs(args, home, working_directory, std::move(env), &options);
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
