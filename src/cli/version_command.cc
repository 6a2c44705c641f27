// x402-dev version: what a bug report needs to know about this binary.
#include "base/build_info.h"
#include "cli/args.h"
#include "cli/command.h"

namespace x402 {

Status RunVersionCommand(CommandContext& context) {
  po::options_description options("Options");
  po::variables_map vm;
  Status s = ParseArgs(context.args, options, {}, "version", &vm);
  if (!s.ok()) return s;
  if (vm.count("help")) {
    context.console.Out(FormatHelp("x402-dev version", "Prints the version, compiler, platform and build type.",
                                   options, "  x402-dev version\n  x402-dev --version\n"));
    return Status::Ok();
  }
  context.console.Out("x402-dev " + std::string(Version()));
  context.console.Out("compiler:   " + std::string(Compiler()));
  context.console.Out("platform:   " + std::string(Platform()));
  context.console.Out("build type: " + std::string(BuildType()));
  return Status::Ok();
}

}  // namespace x402
