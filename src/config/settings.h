// The table of configuration keys: the one place that knows each key's name, environment
// variable, how its text is parsed and validated, and how its value is shown. Every layer
// (files, environment, flags) goes through this table, so a key cannot be validated one way
// in YAML and another way on the command line.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "config/config.h"

namespace x402 {

/// Where a value came from; ordered from weakest to strongest.
enum class ConfigSource { kDefault, kGlobalFile, kProjectFile, kEnvironment, kFlag };

std::string_view ToString(ConfigSource source);  // "default", "global file", …

struct Origin {
  ConfigSource source = ConfigSource::kDefault;
  std::string file;   // file layers: the path
  int line = 0;       // file layers: 1-based line of the value
  std::string name;   // environment variable or flag, e.g. "X402_DEV_PORT" or "--port"

  /// "default", "global file /h/.x402dev/config.yaml:3", "env X402_DEV_PORT", "flag --port".
  std::string Describe() const;
  /// Where to point a user at a bad value: "FILE:LINE", "environment variable X", "flag --x".
  std::string Location() const;
};

/// A value as one layer gave it, before parsing.
struct RawSetting {
  std::string key;         // "mock_server.port", or kPerResourceKey for a pricing rule
  std::string rule_path;   // for kPerResourceKey: the rule's path pattern; for
                           // kLedgerBalancesKey: the payer's address
  std::string text;
  Origin origin;
};

inline constexpr std::string_view kPerResourceKey = "mock_server.pricing.per_resource";
/// The payment options every priced route offers (a list). A layer gives first a RawSetting
/// with empty text (the list starts over; alone, it means "back to the shorthand"), then one per
/// option, its text the option as JSON ({"network": …, "asset": …, "pay_to": …, "scheme": …}).
inline constexpr std::string_view kAcceptsKey = "mock_server.accepts";
/// A pricing rule's own options, the same way; RawSetting.rule_path is the rule's path.
inline constexpr std::string_view kRuleAcceptsKey = "mock_server.pricing.per_resource.accepts";
/// A pricing rule's own setting besides its price and options: RawSetting.rule_path is the
/// rule's path, the text {"<field>": value} in JSON, one of kRuleFields.
inline constexpr std::string_view kRuleFieldKey = "mock_server.pricing.per_resource.field";
inline constexpr std::string_view kRuleFields[] = {"simulation_mode", "payment_identifier", "discovery", "sign_in_with_x"};
/// The simulated ledger's per-payer opening balances: RawSetting.rule_path is the payer.
inline constexpr std::string_view kLedgerBalancesKey = "mock_server.ledger.balances";

struct SettingDef {
  std::string_view key;
  std::string_view env;  // "" when the key has no environment variable
  std::string_view description;
  /// Parses |text| into |config|. On failure sets |problem| (what is wrong with the value)
  /// and |hint| (how to fix it) and returns false; |config| is then unchanged.
  bool (*apply)(std::string_view text, Config* config, std::string* problem, std::string* hint);
  /// The effective value as text.
  std::string (*show)(const Config& config);
};

/// Every scalar key, in the order `config show` prints them.
std::span<const SettingDef> Settings();
const SettingDef* FindSetting(std::string_view key);

/// Reads one per-payer ledger balance ("0xPAYER: USD"): |key| is the address in lowercase.
/// On failure sets |problem| and returns false.
bool ParseLedgerBalance(std::string_view payer, std::string_view text, std::string* key,
                        AtomicAmount* balance, std::string* problem);

/// Checks a pricing-rule path pattern: it must start with '/', and '*' may only appear as a
/// final "/*". On failure sets |problem| and returns false.
bool IsValidRulePattern(std::string_view pattern, std::string* problem);

}  // namespace x402
