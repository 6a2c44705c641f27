#include "cli/cli.h"

#include <algorithm>
#include <filesystem>
#include <iterator>

#include "base/home_directory.h"
#include "base/text.h"
#include "cli/command.h"

namespace x402 {
namespace {

constexpr CommandSpec kCommands[] = {
    {"mock", "run the mock x402 server (foreground), or manage it: start | stop | status | "
             "list | restart | reload | logs | install | uninstall | health | requests",
     RunMockCommand},
    {"config", "show the effective configuration and where each value came from; validate a file",
     RunConfigCommand},
    {"init", "write a commented .x402dev.yaml for this project", RunInitCommand},
    {"version", "print version, compiler, platform and build type", RunVersionCommand},
};

bool HasFlag(const std::vector<std::string>& args, std::string_view a, std::string_view b = {}) {
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg == a || (!b.empty() && arg == b)) return true;
  }
  return false;
}

Verbosity VerbosityFrom(const std::vector<std::string>& args) {
  if (HasFlag(args, "--debug")) return Verbosity::kDebug;
  if (HasFlag(args, "--verbose", "-v")) return Verbosity::kVerbose;
  return Verbosity::kNormal;
}

bool IsGlobalFlag(std::string_view arg) {
  return arg == "--verbose" || arg == "-v" || arg == "--debug" || arg == "--no-color";
}

}  // namespace

std::string TopLevelHelp() {
  std::string out =
      "x402-dev: a local mock x402 (HTTP 402 Payment Required) server that real x402 clients\n"
      "can pay, managed as an OS service.\n\n"
      "Usage: x402-dev [--verbose] [--debug] [--no-color] <command> [options]\n\n"
      "Commands:\n";
  for (const CommandSpec& c : kCommands) {
    std::string name = c.name;
    name.resize(10, ' ');
    out += "  " + name + c.summary + "\n";
  }
  out +=
      "\nGlobal options:\n"
      "  -h, --help    help for x402-dev or for a command (x402-dev <command> --help)\n"
      "  --version     same as `x402-dev version`\n"
      "  -v, --verbose more detail\n"
      "  --debug       internal detail for bug reports\n"
      "  --no-color    no colours (also: NO_COLOR=1)\n"
      "\nExamples:\n"
      "  x402-dev mock                         run the mock server in the foreground on :3402\n"
      "  x402-dev mock --port 4020 --pricing 0.05\n"
      "  x402-dev config show                  every setting and where it came from\n"
      "  x402-dev init                         write a commented .x402dev.yaml\n"
      "\nExit codes: 0 success, 1 not found / not running, 2 port in use, 3 any other error.\n";
  return out;
}

Cli::Cli(std::vector<std::string> args, ServiceManagerFactory* managers)
    : args_(std::move(args)), managers_(managers), console_(HasFlag(args_, "--no-color"), VerbosityFrom(args_)) {}

Status Cli::Run() {
  // The command is the first argument that is not a global flag.
  auto command_it = std::find_if(args_.begin(), args_.end(),
                                 [](const std::string& a) { return !IsGlobalFlag(a); });
  if (command_it == args_.end() || *command_it == "--help" || *command_it == "-h" ||
      *command_it == "help") {
    if (command_it != args_.end() && *command_it == "help" && std::next(command_it) != args_.end()) {
      // `x402-dev help mock` is `x402-dev mock --help`.
      std::vector<std::string> rest = {*std::next(command_it), "--help"};
      return Cli(std::move(rest), managers_).Run();
    }
    console_.Out(TopLevelHelp());
    return Status::Ok();
  }
  std::string name = *command_it;
  if (name == "--version") name = "version";

  const CommandSpec* command = nullptr;
  for (const CommandSpec& c : kCommands) {
    if (name == c.name) command = &c;
  }
  if (command == nullptr) {
    if (!name.empty() && name[0] == '-') {
      return Status::Usage("unknown option '" + name + "'")
          .WithHint("options go after the command; see `x402-dev --help`");
    }
    std::vector<std::string> names;
    for (const CommandSpec& c : kCommands) names.emplace_back(c.name);
    Status s = Status::Usage("unknown command '" + name + "'");
    if (auto match = ClosestMatch(name, names)) {
      return std::move(s).WithHint("did you mean '" + *match + "'?");
    }
    return std::move(s).WithHint("see `x402-dev --help` for the commands");
  }

  EnvLookup env = ProcessEnvironment();
  // The home as the platform defines it (HOME unset or empty: the account's own), so that
  // every command, from any folder, finds the same ~/.x402dev. `version` and help need none.
  std::string home;
  if (name != "version" && !HasFlag(args_, "--help", "-h")) {
    Status s = ChooseHomeDirectory(env(HomeVariableName()), AccountHomeDirectory, &home);
    if (!s.ok()) return s;
  }
  std::error_code ec;
  const std::filesystem::path cwd = std::filesystem::current_path(ec);
  CommandContext context{console_, {}, home, ec ? std::string() : cwd.string(), env, managers_};
  for (auto it = args_.begin(); it != args_.end(); ++it) {
    if (it != command_it) context.args.push_back(*it);
  }
  return command->run(context);
}

void Cli::Report(const Status& status) const {
  if (status.ok()) return;
  console_.Error(status.message());
  if (!status.hint().empty()) console_.Hint(status.hint());
  if (!status.detail().empty()) console_.Verbose(status.detail());
}

}  // namespace x402
