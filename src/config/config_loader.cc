#include "config/config_loader.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <boost/json.hpp>

#include "config/config_file.h"
#include "config/payment_options.h"

namespace x402 {
namespace {

Status InvalidValue(const RawSetting& raw, const std::string& problem, const std::string& hint) {
  std::string where = raw.origin.Location();
  std::string msg;
  if (raw.origin.source == ConfigSource::kGlobalFile ||
      raw.origin.source == ConfigSource::kProjectFile) {
    msg = where + ": " + raw.key + ": " + problem;
  } else {
    msg = "invalid " + raw.key + " from " + where + ": " + problem;
  }
  Status s = Status::Config(std::move(msg));
  return hint.empty() ? s : std::move(s).WithHint(hint);
}

Status ApplyRule(const RawSetting& raw, bool* rules_replaced, LoadedConfig* loaded) {
  auto& rules = loaded->config.mock_server.pricing.per_resource;
  // The built-in example rules apply only until some layer defines its own.
  if (!*rules_replaced) {
    rules.clear();
    *rules_replaced = true;
  }
  if (raw.rule_path.empty()) return Status::Ok();  // "per_resource: {}" clears
  std::string problem;
  if (!IsValidRulePattern(raw.rule_path, &problem)) {
    return InvalidValue(raw, "'" + raw.rule_path + "': " + problem, "");
  }
  UsdParseError error = UsdParseError::kNone;
  const auto price = ParseUsd(raw.text, &error);
  if (!price) {
    return InvalidValue(raw, "'" + raw.rule_path + "': '" + raw.text + "': " +
                                 std::string(DescribeUsdParseError(error)),
                        "write the price in USD, e.g. " + raw.rule_path + ": 0.05");
  }
  auto it = std::find_if(rules.begin(), rules.end(),
                         [&](const PriceRule& r) { return r.pattern == raw.rule_path; });
  if (it != rules.end()) {
    // A rule a layer writes replaces the rule below it whole, its options included.
    it->price = *price;
    it->accepts.clear();
    it->simulation_mode.reset();
    it->payment_identifier.reset();
    it->discovery.reset();
    it->sign_in_with_x.reset();
  } else {
    rules.push_back(PriceRule::Priced(raw.rule_path, *price));
  }
  loaded->origins[RuleOriginKey(raw.rule_path)] = raw.origin;
  return Status::Ok();
}

// A rule's own setting besides price and options (kRuleFieldKey): {"<field>": value}.
Status ApplyRuleField(const RawSetting& raw, LoadedConfig* loaded) {
  auto& rules = loaded->config.mock_server.pricing.per_resource;
  auto rule = std::find_if(rules.begin(), rules.end(), [&](const PriceRule& r) { return r.pattern == raw.rule_path; });
  if (rule == rules.end()) return Status::Internal("a setting for an unknown rule " + raw.rule_path);
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(raw.text, ec);
  if (ec || !parsed.is_object() || parsed.get_object().size() != 1) return Status::Internal("a malformed rule setting");
  const auto& [field, value] = *parsed.get_object().begin();
  RawSetting named = raw;
  named.key = std::string(kPerResourceKey) + "." + raw.rule_path + "." + std::string(field);
  const std::string text = value.is_string() ? std::string(value.get_string()) : std::string();
  if (field == "simulation_mode") {
    const auto mode = ParseSimulationMode(text);
    if (!mode) {
      return InvalidValue(named, "'" + text + "' is not a simulation mode (" + std::string(SimulationModeNames()) + ")",
                          "e.g. " + raw.rule_path + ": {price: 0.01, simulation_mode: pending}");
    }
    rule->simulation_mode = *mode;
  } else if (field == "payment_identifier") {
    const auto policy = ParsePaymentIdentifierPolicy(text);
    if (!policy) {
      return InvalidValue(named, "'" + text + "' is not off, optional or required",
                          "e.g. " + raw.rule_path + ": {price: 0.01, payment_identifier: required}");
    }
    rule->payment_identifier = *policy;
  } else if (field == "discovery") {
    DiscoverySpec spec;
    std::string problem;
    if (!ParseDiscoverySpec(value, &spec, &problem)) {
      return InvalidValue(named, problem,
                          "e.g. " + raw.rule_path + ": {price: 0.01, discovery: {method: GET, description: \"…\", "
                          "query: {city: London}, output: {temperature: 12}, tags: [weather]}}");
    }
    rule->discovery = std::move(spec);
  } else if (field == "sign_in_with_x") {
    SiwxSpec spec;
    std::string problem;
    if (!ParseSiwxSpec(value, &spec, &problem)) {
      return InvalidValue(named, problem,
                          "e.g. " + raw.rule_path + ": {price: 0.01, sign_in_with_x: true} or "
                          "{price: 0.01, sign_in_with_x: {statement: Sign in to read, expiration_seconds: 300}}");
    }
    rule->sign_in_with_x = std::move(spec);
  } else {
    return Status::Internal("an unknown rule setting " + std::string(field));
  }
  loaded->origins[named.key] = raw.origin;
  return Status::Ok();
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  return (std::filesystem::path(dir) / name).string();
}

bool FileExists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

bool SameLayer(const Origin& a, const Origin& b) { return a.source == b.source && a.file == b.file; }

// One option of an `accepts` list (mock_server.accepts, or a rule's), or the marker that
// starts the list over (empty text).
Status ApplyOption(const RawSetting& raw, LoadedConfig* loaded) {
  MockServerConfig& m = loaded->config.mock_server;
  const bool of_rule = raw.key == kRuleAcceptsKey;
  std::vector<OptionSpec>* list = &m.accepts;
  std::string key(kAcceptsKey);
  if (of_rule) {
    auto rule = std::find_if(m.pricing.per_resource.begin(), m.pricing.per_resource.end(),
                             [&](const PriceRule& r) { return r.pattern == raw.rule_path; });
    if (rule == m.pricing.per_resource.end()) return Status::Internal("options for an unknown rule " + raw.rule_path);
    list = &rule->accepts;
    key = std::string(kPerResourceKey) + "." + raw.rule_path + ".accepts";
  }
  if (raw.text.empty()) {
    if (!of_rule) {
      // The shorthand and the list in one layer: which one is meant is not clear.
      for (const char* shorthand : {"mock_server.network", "mock_server.asset"}) {
        auto it = loaded->origins.find(shorthand);
        if (it != loaded->origins.end() && SameLayer(it->second, raw.origin)) {
          return InvalidValue(raw, std::string("set together with ") + shorthand + " (" + it->second.Location() +
                                       "), which is the one-option shorthand",
                              "name the network of each option in the list and remove " +
                                  std::string(shorthand));
        }
      }
      for (auto it = loaded->origins.begin(); it != loaded->origins.end();) {
        it = it->first.rfind(key + "[", 0) == 0 ? loaded->origins.erase(it) : std::next(it);
      }
      loaded->origins[key] = raw.origin;
    }
    list->clear();
    return Status::Ok();
  }
  OptionSpec spec;
  std::string problem, hint;
  const std::string item_key = key + "[" + std::to_string(list->size()) + "]";
  if (!ParseOptionSpec(raw.text, &spec, &problem, &hint)) {
    RawSetting named = raw;
    named.key = item_key;
    return InvalidValue(named, problem, hint);
  }
  spec.origin = PaymentOptionOrigin(raw.origin, item_key);
  list->push_back(std::move(spec));
  loaded->origins[item_key] = raw.origin;
  return Status::Ok();
}

// mock_server.network and mock_server.asset name the one-option shorthand: from a layer
// stronger than the one that set mock_server.accepts (X402_DEV_NETWORK over a project file's
// list), they replace the list; from the same layer, which one is meant is not clear.
Status ApplyShorthand(const RawSetting& raw, LoadedConfig* loaded) {
  auto list = loaded->origins.find(std::string(kAcceptsKey));
  if (list == loaded->origins.end() || loaded->config.mock_server.accepts.empty()) return Status::Ok();
  if (SameLayer(list->second, raw.origin)) {
    return InvalidValue(raw, "set together with mock_server.accepts (" + list->second.Location() +
                                 "); it is the one-option shorthand",
                        "name the network of each option in mock_server.accepts and remove " + raw.key);
  }
  loaded->config.mock_server.accepts.clear();
  const std::string prefix = std::string(kAcceptsKey);
  for (auto it = loaded->origins.begin(); it != loaded->origins.end();) {
    it = it->first.rfind(prefix, 0) == 0 ? loaded->origins.erase(it) : std::next(it);
  }
  return Status::Ok();
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::string RuleOriginKey(const std::string& pattern) {
  return std::string(kPerResourceKey) + "[" + pattern + "]";
}

Status ApplySettings(const std::vector<RawSetting>& settings, LoadedConfig* loaded) {
  // Rules from one layer merge with the rules of the layers below it, except for the
  // built-in examples, which the first layer that defines rules replaces.
  bool rules_replaced = std::any_of(loaded->origins.begin(), loaded->origins.end(), [](auto& kv) {
    return kv.first.rfind(std::string(kPerResourceKey), 0) == 0;
  });
  for (const RawSetting& raw : settings) {
    if (raw.key == kPerResourceKey) {
      const bool had_rules = rules_replaced;
      Status s = ApplyRule(raw, &rules_replaced, loaded);
      if (!s.ok()) return s;
      if (!had_rules) loaded->origins[std::string(kPerResourceKey)] = raw.origin;
      continue;
    }
    if (raw.key == kLedgerBalancesKey) {
      std::string payer, problem;
      AtomicAmount balance;
      if (!ParseLedgerBalance(raw.rule_path, raw.text, &payer, &balance, &problem)) {
        return InvalidValue(raw, problem, "e.g. \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\": 0.02");
      }
      loaded->config.mock_server.ledger.balances[payer] = balance;
      loaded->origins[std::string(kLedgerBalancesKey) + "[" + payer + "]"] = raw.origin;
      continue;
    }
    if (raw.key == kRuleFieldKey) {
      Status s = ApplyRuleField(raw, loaded);
      if (!s.ok()) return s;
      continue;
    }
    if (raw.key == kAcceptsKey || raw.key == kRuleAcceptsKey) {
      Status s = ApplyOption(raw, loaded);
      if (!s.ok()) return s;
      continue;
    }
    if (raw.key == "mock_server.network" || raw.key == "mock_server.asset") {
      Status s = ApplyShorthand(raw, loaded);
      if (!s.ok()) return s;
    }
    const SettingDef* def = FindSetting(raw.key);
    if (def == nullptr) return Status::Internal("unknown config key " + raw.key);
    std::string problem, hint;
    if (!def->apply(raw.text, &loaded->config, &problem, &hint)) {
      return InvalidValue(raw, problem, hint);
    }
    loaded->origins[raw.key] = raw.origin;
  }
  return Status::Ok();
}

Status LoadConfig(const LoadOptions& options, LoadedConfig* out) {
  const EnvLookup env = options.env ? options.env : ProcessEnvironment();
  LoadedConfig loaded;

  // Global file: optional.
  if (!options.home.empty()) {
    const std::string global = JoinPath(JoinPath(options.home, ".x402dev"), "config.yaml");
    if (FileExists(global)) {
      std::vector<RawSetting> settings;
      Status s = ReadConfigFile(global, ConfigSource::kGlobalFile, &settings);
      if (!s.ok()) return s;
      s = ApplySettings(settings, &loaded);
      if (!s.ok()) return s;
      loaded.global_file = global;
    }
  }

  // Project file: --config or $X402_DEV_CONFIG must exist; ./.x402dev.yaml is optional.
  std::optional<std::string> project = options.config_file;
  std::string project_named_by = "--config";
  if (!project) {
    if (auto from_env = env("X402_DEV_CONFIG"); from_env && !from_env->empty()) {
      project = *from_env;
      project_named_by = "X402_DEV_CONFIG";
    }
  }
  if (project) {
    std::vector<RawSetting> settings;
    Status s = ReadConfigFile(*project, ConfigSource::kProjectFile, &settings);
    if (s.code() == StatusCode::kNotFound) {
      return Status::Config("config file " + *project + " (from " + project_named_by +
                            ") does not exist")
          .WithHint("create it with `x402-dev init`, or fix the path");
    }
    if (!s.ok()) return s;
    s = ApplySettings(settings, &loaded);
    if (!s.ok()) return s;
    loaded.project_file = *project;
  } else if (!options.working_directory.empty()) {
    const std::string local = JoinPath(options.working_directory, ".x402dev.yaml");
    if (FileExists(local)) {
      std::vector<RawSetting> settings;
      Status s = ReadConfigFile(local, ConfigSource::kProjectFile, &settings);
      if (!s.ok()) return s;
      s = ApplySettings(settings, &loaded);
      if (!s.ok()) return s;
      loaded.project_file = local;
    }
  }

  // Environment.
  std::vector<RawSetting> from_env;
  for (const SettingDef& def : Settings()) {
    if (def.env.empty()) continue;
    if (auto value = env(std::string(def.env))) {
      Origin origin;
      origin.source = ConfigSource::kEnvironment;
      origin.name = std::string(def.env);
      from_env.push_back(RawSetting{std::string(def.key), "", *value, origin});
    }
  }
  Status s = ApplySettings(from_env, &loaded);
  if (!s.ok()) return s;

  // Flags.
  s = ApplySettings(options.flags, &loaded);
  if (!s.ok()) return s;

  s = FinishPaymentOptions(&loaded);
  if (!s.ok()) return s;

  *out = std::move(loaded);
  return Status::Ok();
}

}  // namespace x402
