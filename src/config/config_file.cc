#include "config/config_file.h"

#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/text.h"

namespace x402 {
namespace {

// Mapping sections and the keys allowed directly inside each.
const std::vector<std::string>& ChildKeys(const std::string& section) {
  static const std::vector<std::string> kTop = {"log_level", "log_max_size", "log_max_files",
                                                "log_format", "mock_server"};
  static const std::vector<std::string> kMockServer = {
      "host",        "port",    "backend",  "network",         "pay_to",          "asset",
      "max_timeout_seconds",    "pricing",  "simulation_mode", "timeout_delay_ms",
      "verification",           "ledger",
      "smart_wallet_signatures", "access_log",  "history_size", "allowed_hosts", "replay_set_size",
      "accepts",    "payment_identifier"};
  static const std::vector<std::string> kPricing = {"default", "per_resource"};
  static const std::vector<std::string> kLedger = {"starting_balance", "balances", "permit2_allowance_missing"};
  static const std::vector<std::string> kNone;
  if (section.empty()) return kTop;
  if (section == "mock_server") return kMockServer;
  if (section == "mock_server.pricing") return kPricing;
  if (section == "mock_server.ledger") return kLedger;
  return kNone;
}

// A YAML value as JSON (every scalar a string: the option parser reads numbers from text, as
// the settings table does), so a payment option travels as one RawSetting text. A payment
// option is a mapping two levels deep with a handful of keys: |budget| nodes and 4 levels at
// most, so YAML aliases (which yaml-cpp shares, and a walk expands: "a billion laughs") cannot
// make a small file take minutes and gigabytes. False when the value exceeds them.
//
// |typed| (a route's settings, whose examples and schemas are JSON): a plain scalar that reads as
// a number, true, false or null is that JSON value; a quoted one stays text. |max_depth| bounds
// the nesting.
bool ToJson(const YAML::Node& node, int depth, std::size_t* budget, boost::json::value* out, bool typed = false,
            int max_depth = 4) {
  if (depth > max_depth || *budget == 0) return false;
  --*budget;
  if (node.IsMap()) {
    boost::json::object object;
    for (auto it = node.begin(); it != node.end(); ++it) {
      boost::json::value item;
      if (!ToJson(it->second, depth + 1, budget, &item, typed, max_depth)) return false;
      object[it->first.IsScalar() ? it->first.Scalar() : std::string("?")] = std::move(item);
    }
    *out = std::move(object);
  } else if (node.IsSequence()) {
    boost::json::array array;
    for (const YAML::Node& element : node) {
      boost::json::value item;
      if (!ToJson(element, depth + 1, budget, &item, typed, max_depth)) return false;
      array.push_back(std::move(item));
    }
    *out = std::move(array);
  } else if (node.IsScalar()) {
    *out = boost::json::string(node.Scalar());
    if (typed && node.Tag() == "?") {  // plain, not quoted
      const std::string& text = node.Scalar();
      boost::system::error_code ec;
      boost::json::value parsed = boost::json::parse(text, ec);
      if (!ec && (parsed.is_number() || parsed.is_bool() || parsed.is_null())) *out = std::move(parsed);
      if (text == "~") *out = nullptr;
    }
  } else {
    *out = nullptr;
  }
  return true;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return out;
}

bool IsSection(const std::string& key) {
  return key == "mock_server" || key == "mock_server.pricing" || key == "mock_server.ledger";
}

class FileParser {
 public:
  FileParser(const std::string& path, ConfigSource source, std::vector<RawSetting>* out)
      : path_(path), source_(source), out_(out) {}

  Status ParseDocument(const YAML::Node& root) {
    if (!root || root.IsNull()) return Status::Ok();  // an empty file sets nothing
    if (!root.IsMap()) {
      return Error(root.Mark(), "", "the file must be a mapping of keys, e.g. 'mock_server:'",
                   "see `x402-dev init` for a commented example");
    }
    return ParseSection(root, "");
  }

 private:
  Status ParseSection(const YAML::Node& map, const std::string& section) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      // Copies: yaml-cpp iterators hand out temporaries, so references would dangle.
      const YAML::Node key_node = it->first;
      const YAML::Node value = it->second;
      if (!key_node.IsScalar()) {
        return Error(key_node.Mark(), section, "a key must be a plain name", "");
      }
      const std::string name = key_node.Scalar();
      const std::string key = section.empty() ? name : section + "." + name;

      if (IsSection(key)) {
        if (value.IsNull()) continue;
        if (!value.IsMap()) {
          return Error(value.Mark(), key, "must be a mapping of keys, not a single value",
                       "indent the keys of '" + name + "' below it");
        }
        Status s = ParseSection(value, key);
        if (!s.ok()) return s;
      } else if (key == kPerResourceKey) {
        Status s = ParseRules(value, key);
        if (!s.ok()) return s;
      } else if (key == kAcceptsKey) {
        Status s = ParseOptions(value, key, "", /*of_rule=*/false);
        if (!s.ok()) return s;
      } else if (key == kLedgerBalancesKey) {
        Status s = ParseBalances(value, key);
        if (!s.ok()) return s;
      } else if ((key == "mock_server.allowed_hosts" || key == "mock_server.ledger.permit2_allowance_missing") &&
                 value.IsSequence()) {
        // A YAML list is the natural way to write these; the setting itself takes the
        // comma-separated text the environment variable and the flag give.
        std::string joined;
        for (const YAML::Node& item : value) {
          if (!item.IsScalar()) return Error(item.Mark(), key, "each entry must be a single value", "");
          joined += (joined.empty() ? "" : ",") + item.Scalar();
        }
        out_->push_back(RawSetting{key, "", joined, MakeOrigin(value.Mark())});
      } else if (FindSetting(key) != nullptr) {
        if (!value.IsScalar()) {
          return Error(value.Mark(), key, "must be a single value, not a list or mapping", "");
        }
        out_->push_back(RawSetting{key, "", value.Scalar(), MakeOrigin(value.Mark())});
      } else {
        const auto& siblings = ChildKeys(section);
        std::string hint;
        if (auto match = ClosestMatch(name, siblings)) {
          hint = "did you mean '" + *match + "'?";
        } else if (!siblings.empty()) {
          std::string list;
          for (const auto& s : siblings) list += (list.empty() ? "" : ", ") + s;
          hint = "known keys " + (section.empty() ? std::string("at the top level")
                                                  : "under '" + section + "'") + ": " + list;
        }
        return Error(key_node.Mark(), key, "unknown key", hint);
      }
    }
    return Status::Ok();
  }

  Status ParseRules(const YAML::Node& value, const std::string& key) {
    if (value.IsNull()) {
      // "per_resource:" with nothing below clears the built-in example rules.
      out_->push_back(RawSetting{key, "", "", MakeOrigin(value.Mark())});
      return Status::Ok();
    }
    if (!value.IsMap()) {
      return Error(value.Mark(), key, "must map paths to prices",
                   "e.g.\n  per_resource:\n    /api/data: 0.05\n    /api/premium/*: 0.10");
    }
    if (value.size() == 0) {
      out_->push_back(RawSetting{key, "", "", MakeOrigin(value.Mark())});
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      // Copies, as above.
      const YAML::Node path = it->first;
      const YAML::Node rule = it->second;
      if (!path.IsScalar() || !(rule.IsScalar() || rule.IsMap())) {
        return Error(path.Mark(), key, "each rule must be 'PATH: PRICE' or 'PATH: {price, accepts}'",
                     "e.g. /api/data: 0.05");
      }
      if (path.Scalar().empty()) {
        // An empty path would read as "the rules start over" (what an empty mapping says).
        return Error(path.Mark(), key, "a pricing rule must be a path starting with '/'", "e.g. /api/data: 0.05");
      }
      if (rule.IsScalar()) {
        out_->push_back(RawSetting{key, path.Scalar(), rule.Scalar(), MakeOrigin(rule.Mark())});
        continue;
      }
      // PATH: {price: USD, accepts: [options]}: the route's own payment options.
      const std::string rule_key = key + "." + path.Scalar();
      std::vector<std::string> known = {"price", "accepts"};
      for (std::string_view field : kRuleFields) known.emplace_back(field);
      for (auto field = rule.begin(); field != rule.end(); ++field) {
        const std::string name = field->first.IsScalar() ? field->first.Scalar() : "";
        if (std::find(known.begin(), known.end(), name) == known.end()) {
          std::string hint = "a rule's mapping takes " + JoinNames(known);
          if (auto match = ClosestMatch(name, known)) hint = "did you mean '" + *match + "'?";
          return Error(field->first.Mark(), rule_key, "unknown key '" + name + "'", hint);
        }
      }
      const YAML::Node price = rule["price"];
      if (!price || !price.IsScalar()) {
        return Error(rule.Mark(), rule_key, "needs a price", "e.g. " + path.Scalar() + ": {price: 0.05, accepts: [...]}");
      }
      out_->push_back(RawSetting{key, path.Scalar(), price.Scalar(), MakeOrigin(price.Mark())});
      if (const YAML::Node accepts = rule["accepts"]) {
        Status s = ParseOptions(accepts, rule_key + ".accepts", path.Scalar(), /*of_rule=*/true);
        if (!s.ok()) return s;
      }
      // The route's own settings (simulation mode, extensions): each as {"name": value} in
      // JSON, parsed by the loader.
      for (std::string_view field : kRuleFields) {
        const YAML::Node setting = rule[std::string(field)];
        if (!setting) continue;
        boost::json::value json;
        // A route's discovery declaration carries JSON Schemas: deeper than a payment option.
        std::size_t budget = 1024;
        if (!ToJson(setting, 0, &budget, &json, /*typed=*/true, /*max_depth=*/16)) {
          return Error(setting.Mark(), rule_key + "." + std::string(field), "is too large or too deeply nested", "");
        }
        const std::string text = boost::json::serialize(boost::json::object{{field, std::move(json)}});
        if (ValidUtf8(text) != text) return Error(setting.Mark(), rule_key + "." + std::string(field), "is not valid UTF-8 text", "");
        out_->push_back(RawSetting{std::string(kRuleFieldKey), path.Scalar(), text, MakeOrigin(setting.Mark())});
      }
    }
    return Status::Ok();
  }

  // An `accepts` list: a marker that starts the list (rule_path: "" for mock_server.accepts,
  // the rule's path for a rule's), then one RawSetting per option, its text the option as
  // JSON and its origin the option's line.
  Status ParseOptions(const YAML::Node& value, const std::string& key, const std::string& rule_path,
                      bool of_rule) {
    const std::string setting_key(of_rule ? kRuleAcceptsKey : kAcceptsKey);
    const char* example =
        "e.g.\n  accepts:\n    - network: base-sepolia\n    - network: \"eip155:137\"\n"
        "      pay_to: \"0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF\"";
    if (value.IsNull() && !of_rule) {
      // "accepts:" with nothing below: back to the one-option shorthand (mock_server.network).
      out_->push_back(RawSetting{setting_key, rule_path, "", MakeOrigin(value.Mark())});
      return Status::Ok();
    }
    if (!value.IsSequence() || value.size() == 0) {
      return Error(value.Mark(), key, "must be a list of payment options, each a mapping", example);
    }
    out_->push_back(RawSetting{setting_key, rule_path, "", MakeOrigin(value.Mark())});
    std::size_t index = 0;
    for (const YAML::Node& item : value) {
      const std::string item_key = key + "[" + std::to_string(index++) + "]";
      if (!item.IsMap()) {
        return Error(item.Mark(), item_key, "each payment option must be a mapping (network: …)", example);
      }
      boost::json::value option;
      std::size_t budget = 64;
      if (!ToJson(item, 0, &budget, &option)) {
        return Error(item.Mark(), item_key, "is too large or too deeply nested for a payment option", example);
      }
      // Every text in the file must be UTF-8 (JSON, the wire and the EIP-712 name need it).
      const std::string text = boost::json::serialize(option);
      if (ValidUtf8(text) != text) return Error(item.Mark(), item_key, "is not valid UTF-8 text", "");
      out_->push_back(RawSetting{setting_key, rule_path, text, MakeOrigin(item.Mark())});
    }
    return Status::Ok();
  }

  // mock_server.ledger.balances: a mapping of payer address to USD balance.
  Status ParseBalances(const YAML::Node& value, const std::string& key) {
    if (value.IsNull()) return Status::Ok();
    if (!value.IsMap()) {
      return Error(value.Mark(), key, "must map payer addresses to balances",
                   "e.g.\n  balances:\n    \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\": 0.02");
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!it->first.IsScalar() || !it->second.IsScalar()) {
        return Error(it->first.Mark(), key, "each balance must be 'ADDRESS: USD'",
                     "e.g. \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\": 0.02");
      }
      out_->push_back(RawSetting{key, it->first.Scalar(), it->second.Scalar(),
                                 MakeOrigin(it->second.Mark())});
    }
    return Status::Ok();
  }

  Origin MakeOrigin(const YAML::Mark& mark) const {
    Origin o;
    o.source = source_;
    o.file = path_;
    o.line = mark.line >= 0 ? mark.line + 1 : 0;
    return o;
  }

  Status Error(const YAML::Mark& mark, const std::string& key, const std::string& problem,
               const std::string& hint) const {
    std::string msg = path_ + ":" + std::to_string(mark.line >= 0 ? mark.line + 1 : 0) + ": ";
    if (!key.empty()) msg += key + ": ";
    msg += problem;
    Status s = Status::Config(std::move(msg));
    return hint.empty() ? s : std::move(s).WithHint(hint);
  }

  const std::string& path_;
  ConfigSource source_;
  std::vector<RawSetting>* out_;
};

}  // namespace

Status ParseConfigText(const std::string& text, const std::string& path, ConfigSource source,
                       std::vector<RawSetting>* out) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    // e.msg is yaml-cpp's description without its own "line x, column y" prefix.
    return Status::Config(path + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg)
        .WithHint("check the indentation and the ':' after each key near line " +
                  std::to_string(e.mark.line + 1));
  }
  std::vector<RawSetting> settings;
  FileParser parser(path, source, &settings);
  try {
    Status s = parser.ParseDocument(root);
    if (!s.ok()) return s;
  } catch (const YAML::Exception& e) {
    return Status::Config(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  out->insert(out->end(), settings.begin(), settings.end());
  return Status::Ok();
}

Status ReadConfigFile(const std::string& path, ConfigSource source, std::vector<RawSetting>* out) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::Config("config file " + path + " is a directory").WithHint("name a YAML file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound("config file " + path + " does not exist");
    return FromErrno("cannot read config file " + path, err);
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::Io("cannot read config file " + path);
  return ParseConfigText(text.str(), path, source, out);
}

}  // namespace x402
