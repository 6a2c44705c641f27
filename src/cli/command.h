// What every CLI command receives, and the table of commands. One file per command
// (ninja's Tool* functions): version_command.cc, config_command.cc, init_command.cc,
// mock_command.cc.
#pragma once

#include <string>
#include <vector>

#include "base/console.h"
#include "base/status.h"
#include "config/config_loader.h"

namespace x402 {
class ServiceManagerFactory;
}

namespace x402 {

struct CommandContext {
  const Console& console;
  std::vector<std::string> args;  // the arguments after the command word
  std::string home;  // absolute: $HOME (%USERPROFILE%), or the account's when unset or empty
  std::string working_directory;
  EnvLookup env;
  /// The service managers, built by main.cc (the composition root); null in tests that run
  /// no lifecycle command.
  ServiceManagerFactory* managers = nullptr;
};

using CommandFunction = Status (*)(CommandContext& context);

struct CommandSpec {
  const char* name;
  const char* summary;
  CommandFunction run;
};

Status RunVersionCommand(CommandContext& context);
Status RunConfigCommand(CommandContext& context);
Status RunInitCommand(CommandContext& context);
Status RunMockCommand(CommandContext& context);
/// `mock start|stop|status|list|restart|reload|logs|install|uninstall` with their own |args|.
Status RunServiceCommand(const std::string& subcommand, CommandContext& context,
                         const std::vector<std::string>& args);
/// `mock health`: one GET of /__x402/health (health_command.cc).
Status RunHealthCommand(CommandContext& context, const std::vector<std::string>& args);
/// `mock requests`: the running server's request history (requests_command.cc).
Status RunRequestsCommand(CommandContext& context, const std::vector<std::string>& args);

}  // namespace x402
