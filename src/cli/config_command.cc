// x402-dev config show | validate.
#include <algorithm>
#include <boost/json.hpp>

#include "base/text.h"
#include "cli/args.h"
#include "cli/command.h"
#include "config/config_file.h"
#include "config/payment_options.h"
#include "base/file.h"
#include "base/private_directory.h"
#include "state/state_paths.h"
#include "x402/networks.h"
#include "x402/svm/solana_chain.h"

namespace x402 {
namespace {

constexpr const char* kUsage = "x402-dev config show [--json] [OPTIONS] | x402-dev config validate [FILE]";
constexpr const char* kDescription =
    "show: prints every effective setting and where it came from (default, global file,\n"
    "project file, env or flag), after applying the layers in order of precedence:\n"
    "flags > X402_DEV_* environment > project file > ~/.x402dev/config.yaml > defaults.\n"
    "validate: checks a config file (default: the project file) and exits 0, or prints the\n"
    "first error with its file, line and key and exits 3.";
constexpr const char* kExamples =
    "  x402-dev config show\n"
    "  X402_DEV_PORT=4000 x402-dev config show --json\n"
    "  x402-dev config show --config ci.yaml --pricing 0.05\n"
    "  x402-dev config validate .x402dev.yaml\n";

struct Row {
  Row(std::string k, std::string v, Origin o, std::string n = {})
      : key(std::move(k)), value(std::move(v)), origin(std::move(o)), note(std::move(n)) {}
  std::string key;
  std::string value;
  Origin origin;
  std::string note;  // shown beside the value: "(unused: mock_server.accepts lists the options)"
};

std::vector<Row> Rows(const LoadedConfig& loaded) {
  std::vector<Row> rows;
  for (const SettingDef& def : Settings()) {
    auto it = loaded.origins.find(std::string(def.key));
    std::string note;
    if (!loaded.config.mock_server.accepts.empty() &&
        (def.key == "mock_server.network" || def.key == "mock_server.asset")) {
      note = "unused: mock_server.accepts lists the options";
    }
    rows.push_back({std::string(def.key), def.show(loaded.config),
                    it == loaded.origins.end() ? Origin{} : it->second, std::move(note)});
  }
  // The payment options, one row per field: mock_server.accepts[1].network …
  const NetworkTable networks(loaded.config.mock_server.declared_networks);
  auto option_rows = [&](const std::vector<OptionSpec>& options, const std::string& key) {
    for (std::size_t i = 0; i < options.size(); ++i) {
      const std::string item = key + "[" + std::to_string(i) + "]";
      auto it = loaded.origins.find(item);
      const Origin origin = it != loaded.origins.end() ? it->second : Origin{};
      const OptionSpec& o = options[i];
      rows.push_back({item + ".scheme", o.scheme, origin});
      rows.push_back({item + ".network", o.network, origin});
      if (o.declared_asset) {
        const AssetInfo& a = *o.declared_asset;
        rows.push_back({item + ".asset", a.address + " (declared: " + a.symbol + ", " +
                                             std::to_string(a.decimals) + " decimals, EIP-712 '" +
                                             a.domain_name + "' version '" + a.domain_version + "')",
                        origin});
      } else {
        // The address the option offers: the one written, or the network's default asset.
        const NetworkInfo* network = networks.Find(o.network);
        const AssetInfo* asset = network == nullptr ? nullptr
                                 : o.asset.empty()  ? (network->assets.empty() ? nullptr : &network->default_asset())
                                                    : network->FindAsset(o.asset);
        rows.push_back({item + ".asset",
                        asset == nullptr ? o.asset
                                         : asset->address + " (" + asset->symbol + ", " +
                                               std::to_string(asset->decimals) + " decimals" +
                                               (o.asset.empty() ? ", the network's default)" : ")"),
                        origin});
      }
      // How the token moves (EVM): written, or the asset's default (Permit2 for tokens without
      // EIP-3009; always Permit2 for upto).
      if (const NetworkInfo* network = networks.Find(o.network); network != nullptr && network->family == "eip155") {
        std::string method = o.asset_transfer_method;
        if (method.empty() && o.scheme == "upto") method = "permit2 (upto's)";
        if (method.empty()) {
          const AssetInfo* asset = o.declared_asset ? &*o.declared_asset
                                   : o.asset.empty() ? (network->assets.empty() ? nullptr : &network->default_asset())
                                                     : network->FindAsset(o.asset);
          method = (asset != nullptr ? asset->transfer_method : std::string("eip3009")) + " (the asset's default)";
        }
        rows.push_back({item + ".asset_transfer_method", method, origin});
      }
      if (o.scheme == "upto") {
        rows.push_back({item + ".charge", o.charge.empty() ? "the maximum (unless the request's Settlement-Overrides says)"
                                                           : o.charge,
                        origin});
      }
      // An option without its own pay_to takes mock_server.pay_to, from wherever that came.
      auto pay_to_origin = loaded.origins.find("mock_server.pay_to");
      rows.push_back({item + ".pay_to", o.pay_to.empty() ? loaded.config.mock_server.pay_to : o.pay_to,
                      !o.pay_to.empty()                         ? origin
                      : pay_to_origin != loaded.origins.end() ? pay_to_origin->second
                                                               : Origin{}});
    }
  };
  option_rows(loaded.config.mock_server.accepts, std::string(kAcceptsKey));
  const auto& rules = loaded.config.mock_server.pricing.per_resource;
  const auto base = loaded.origins.find(std::string(kPerResourceKey));
  for (const PriceRule& rule : rules) {
    auto it = loaded.origins.find(RuleOriginKey(rule.pattern));
    Origin origin = it != loaded.origins.end() ? it->second
                    : base != loaded.origins.end() ? base->second
                                                   : Origin{};
    rows.push_back({std::string(kPerResourceKey) + "." + rule.pattern, FormatUsd(rule.price), origin});
    auto field_row = [&](std::string_view field, std::string value) {
      const std::string key = std::string(kPerResourceKey) + "." + rule.pattern + "." + std::string(field);
      auto at = loaded.origins.find(key);
      rows.push_back({key, std::move(value), at != loaded.origins.end() ? at->second : origin});
    };
    if (rule.simulation_mode) field_row("simulation_mode", std::string(ToString(*rule.simulation_mode)));
    if (rule.payment_identifier) field_row("payment_identifier", std::string(ToString(*rule.payment_identifier)));
    if (rule.discovery) field_row("discovery", boost::json::serialize(DiscoverySpecJson(*rule.discovery)));
    if (rule.sign_in_with_x) field_row("sign_in_with_x", boost::json::serialize(SiwxSpecJson(*rule.sign_in_with_x)));
    option_rows(rule.accepts, std::string(kPerResourceKey) + "." + rule.pattern + ".accepts");
  }
  for (const auto& [payer, balance] : loaded.config.mock_server.ledger.balances) {
    const std::string key = std::string(kLedgerBalancesKey) + "[" + payer + "]";
    auto it = loaded.origins.find(key);
    rows.push_back({std::string(kLedgerBalancesKey) + "." + payer, FormatUsd(balance),
                    it != loaded.origins.end() ? it->second : Origin{}});
  }
  return rows;
}

// The Solana fee payer this instance's server signs with: the keypair file the config names,
// else the key in its state directory (generated by the server's first start). nullopt with
// |*note| when there is none to read.
std::optional<std::string> SolanaFeePayer(const std::string& home, const std::string& configured, std::string* note) {
  const std::string path = configured.empty() ? StatePaths::ForHome(home).solana_fee_payer : configured;
  if (!CheckPlainFileOrMissing(path).ok()) {
    *note = path + " is not a plain file (the server refuses to start with it)";
    return std::nullopt;
  }
  const auto text = ReadWholeFile(path);
  if (!text) {
    *note = configured.empty() ? "none yet: the server generates one on its first start (" + path + ")"
                               : "cannot read " + path + " (mock_server.solana_fee_payer)";
    return std::nullopt;
  }
  std::string problem;
  const auto keypair = svm::Keypair::Parse(*text, &problem);
  if (!keypair) {
    *note = path + ": " + problem;
    return std::nullopt;
  }
  *note = path;
  return keypair->address();
}

Status Show(CommandContext& context, const po::variables_map& vm) {
  LoadedConfig loaded;
  Status s = LoadConfig(MakeLoadOptions(vm, context.home, context.working_directory, context.env),
                        &loaded);
  if (!s.ok()) return s;
  const std::vector<Row> rows = Rows(loaded);

  if (vm.count("json")) {
    boost::json::object settings;
    for (const Row& row : rows) {
      boost::json::object entry;
      entry["value"] = row.value;
      if (!row.note.empty()) entry["unused"] = true;
      entry["source"] = std::string(ToString(row.origin.source));
      if (row.origin.source != ConfigSource::kDefault) entry["origin"] = row.origin.Describe();
      settings[row.key] = std::move(entry);
    }
    boost::json::object out;
    out["settings"] = std::move(settings);
    out["global_file"] = loaded.global_file ? boost::json::value(*loaded.global_file) : nullptr;
    out["project_file"] = loaded.project_file ? boost::json::value(*loaded.project_file) : nullptr;
    std::string note;
    const auto fee_payer = SolanaFeePayer(context.home, loaded.config.mock_server.solana_fee_payer, &note);
    out["solana_fee_payer"] = fee_payer ? boost::json::value(*fee_payer) : nullptr;
    context.console.Out(boost::json::serialize(out));
    return Status::Ok();
  }

  std::size_t key_width = 3, value_width = 5;
  for (const Row& row : rows) {
    key_width = std::max(key_width, row.key.size());
    value_width = std::max(value_width, row.value.size() + (row.note.empty() ? 0 : row.note.size() + 3));
  }
  auto pad = [](std::string text, std::size_t width) {
    text.resize(std::max(width, text.size()), ' ');
    return text;
  };
  const Console& console = context.console;
  console.Out(console.Bold(pad("KEY", key_width) + "  " + pad("VALUE", value_width) + "  SOURCE"));
  for (const Row& row : rows) {
    std::string source = row.origin.Describe();
    if (row.origin.source != ConfigSource::kDefault) source = console.Green(source);
    const std::string value = row.note.empty() ? row.value : row.value + " (" + row.note + ")";
    console.Out(pad(row.key, key_width) + "  " + pad(value, value_width) + "  " + source);
  }
  console.Out("");
  console.Out("global file:  " + (loaded.global_file ? *loaded.global_file
                                                     : context.home + "/.x402dev/config.yaml (not present)"));
  console.Out("project file: " + (loaded.project_file ? *loaded.project_file : std::string("(none)")));
  std::string note;
  const auto fee_payer = SolanaFeePayer(context.home, loaded.config.mock_server.solana_fee_payer, &note);
  console.Out("solana fee payer: " + (fee_payer ? *fee_payer + " (" + TerminalSafe(note) + ")" : TerminalSafe(note)));
  return Status::Ok();
}

Status Validate(CommandContext& context, const po::variables_map& vm) {
  std::string path;
  if (vm.count("file")) {
    path = vm["file"].as<std::string>();
  } else if (vm.count("config")) {
    path = vm["config"].as<std::string>();
  } else if (auto env = context.env("X402_DEV_CONFIG"); env && !env->empty()) {
    path = *env;
  } else {
    path = context.working_directory + "/.x402dev.yaml";
  }
  std::vector<RawSetting> settings;
  Status s = ReadConfigFile(path, ConfigSource::kProjectFile, &settings);
  if (s.code() == StatusCode::kNotFound) {
    return Status::Config(s.message()).WithHint("create one with `x402-dev init`, or name a file");
  }
  if (!s.ok()) return s;
  LoadedConfig loaded;
  s = ApplySettings(settings, &loaded);
  if (s.ok()) s = FinishPaymentOptions(&loaded);
  if (!s.ok()) return s;
  context.console.Out(path + ": valid (" + std::to_string(settings.size()) + " settings)");
  return Status::Ok();
}

}  // namespace

Status RunConfigCommand(CommandContext& context) {
  po::options_description options("Options");
  options.add_options()("json", "show: print one JSON object");
  options.add(ConfigOverrideOptions());
  // The action and the file are words (`config validate FILE`), not options: parsed, never
  // shown in the help.
  po::options_description positional_words;
  positional_words.add_options()("action", po::value<std::string>(), "show | validate")(
      "file", po::value<std::string>(), "file to validate");
  po::options_description all;
  all.add(options).add(positional_words);
  po::positional_options_description positional;
  positional.add("action", 1).add("file", 1);
  po::variables_map vm;
  Status s = ParseArgs(context.args, all, positional, "config", &vm);
  if (!s.ok()) return s;
  if (vm.count("help")) {
    context.console.Out(FormatHelp(kUsage, kDescription, options, kExamples));
    return Status::Ok();
  }
  const std::string action = vm.count("action") ? vm["action"].as<std::string>() : "show";
  if (action == "show") {
    if (vm.count("file")) return Status::Usage("config show takes no file; use --config FILE");
    return Show(context, vm);
  }
  if (action == "validate") return Validate(context, vm);
  Status unknown = Status::Usage("unknown config action '" + action + "'");
  if (auto match = ClosestMatch(action, {"show", "validate"})) {
    return std::move(unknown).WithHint("did you mean '" + *match + "'?");
  }
  return std::move(unknown).WithHint("use `x402-dev config show` or `x402-dev config validate`");
}

}  // namespace x402
