// x402-dev init: writes a commented .x402dev.yaml. Values come from flags; on a terminal it
// asks for the ones no flag gave; it never overwrites a file without --force.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/args.h"
#include "cli/command.h"
#include "config/config_template.h"

namespace x402 {
namespace {

constexpr const char* kDescription =
    "Writes a commented project config file (default ./.x402dev.yaml) with the values given\n"
    "by flags, the global config and the defaults. On a terminal it asks for the port and the\n"
    "default price unless a flag or --yes gave them. An existing file is kept unless --force.";
constexpr const char* kExamples =
    "  x402-dev init\n"
    "  x402-dev init --yes --port 4020 --pricing 0.02 --simulation-mode failure\n"
    "  x402-dev init --output ci/x402dev.yaml --force\n";

// Asks |question| on the terminal; returns the answer, or "" for the default.
std::string Ask(const Console& console, const std::string& question, const std::string& current) {
  std::cout << question << " [" << current << "]: " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return {};
  (void)console;
  return answer;
}

}  // namespace

Status RunInitCommand(CommandContext& context) {
  po::options_description options("Options");
  options.add_options()("output,o", po::value<std::string>()->value_name("FILE"),
                        "file to write (default ./.x402dev.yaml)")(
      "force,f", "overwrite an existing file")("yes,y", "do not ask; use flags and defaults");
  options.add(ConfigOverrideOptions());
  po::variables_map vm;
  Status s = ParseArgs(context.args, options, {}, "init", &vm);
  if (!s.ok()) return s;
  if (vm.count("help")) {
    context.console.Out(FormatHelp("x402-dev init [--output FILE] [--force] [--yes] [OPTIONS]",
                                   kDescription, options, kExamples));
    return Status::Ok();
  }
  const std::string path = vm.count("output")
                               ? vm["output"].as<std::string>()
                               : (std::filesystem::path(context.working_directory) / ".x402dev.yaml").string();
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !vm.count("force")) {
    return Status::Usage("'" + path + "' already exists; nothing was written")
        .WithHint("use --force to overwrite it, or --output FILE to write elsewhere");
  }

  // Start from everything but the project file (it is what we are writing).
  LoadOptions load = MakeLoadOptions(vm, context.home, "", context.env);
  load.config_file.reset();
  load.env = [env = context.env](const std::string& name) -> std::optional<std::string> {
    if (name == "X402_DEV_CONFIG") return std::nullopt;
    return env(name);
  };
  LoadedConfig loaded;
  s = LoadConfig(load, &loaded);
  if (!s.ok()) return s;

  if (!vm.count("yes") && IsTerminal(stdin) && IsTerminal(stdout)) {
    // Ask for what no flag settled; an empty answer keeps the shown value.
    const std::vector<std::pair<std::string, std::string>> questions = {
        {"port", "mock_server.port"}, {"pricing", "mock_server.pricing.default"},
        {"simulation-mode", "mock_server.simulation_mode"}};
    for (const auto& [flag, key] : questions) {
      if (vm.count(flag)) continue;
      const SettingDef* def = FindSetting(key);
      for (;;) {
        const std::string answer = Ask(context.console, std::string(def->description), def->show(loaded.config));
        if (answer.empty()) break;
        RawSetting raw{key, "", answer, Origin{ConfigSource::kFlag, "", 0, "--" + flag}};
        Status applied = ApplySettings({raw}, &loaded);
        if (applied.ok()) break;
        context.console.Error(applied.message());
        if (!applied.hint().empty()) context.console.Hint(applied.hint());
      }
    }
  }

  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << RenderConfigTemplate(loaded.config);
    if (!out) return Status::Io("cannot write " + temporary);
  }
  // Rename so a reader never sees half a file.
  std::filesystem::rename(temporary, path, ec);
  if (ec) return Status::Io("cannot write " + path + ": " + ec.message());
  context.console.Out("wrote " + path);
  context.console.Out("next: `x402-dev config show` to see the effective values, `x402-dev mock` to serve");
  return Status::Ok();
}

}  // namespace x402
