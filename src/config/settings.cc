#include "config/settings.h"

#include <array>
#include <charconv>
#include <filesystem>
#include <set>
#include <string>

#include "base/text.h"
#include "net/allowed_hosts.h"
#include "x402/networks.h"
#include "x402/scheme.h"

namespace x402 {
namespace {

bool IsHexAddress(std::string_view s) {
  if (s.size() != 42 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  for (std::size_t i = 2; i < s.size(); ++i) {
    const char c = s[i];
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

bool ParseUnsigned(std::string_view text, uint64_t max, uint64_t* out) {
  if (text.empty() || text.size() > 20) return false;
  uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value > max) return false;
  *out = value;
  return true;
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string Choices(std::initializer_list<std::string_view> names) {
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

// Suggests the closest of |names| to |text| as a hint, or lists them all.
std::string ChoiceHint(std::string_view text, std::initializer_list<std::string_view> names) {
  std::vector<std::string> candidates(names.begin(), names.end());
  if (auto match = ClosestMatch(text, candidates)) return "did you mean '" + *match + "'?";
  return "use one of: " + Choices(names);
}

bool ApplyLogLevel(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  const auto level = ParseLogLevel(text);
  if (!level) {
    *problem = Quoted(text) + " is not a log level (error, warn, info, debug)";
    *hint = ChoiceHint(text, {"error", "warn", "info", "debug"});
    return false;
  }
  c->log_level = *level;
  return true;
}

bool ApplyLogMaxSize(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  std::string_view digits = text;
  uint64_t unit = 1;
  if (!digits.empty() && (digits.back() == 'K' || digits.back() == 'k')) unit = 1024;
  if (!digits.empty() && (digits.back() == 'M' || digits.back() == 'm')) unit = 1024 * 1024;
  if (unit != 1) digits.remove_suffix(1);
  uint64_t value = 0;
  if (!ParseUnsigned(digits, 1'000'000'000, &value) || value * unit < 1024 ||
      value * unit > 1024ull * 1024 * 1024) {
    *problem = Quoted(text) + " is not a log size between 1K and 1024M";
    *hint = "e.g. 10M (the default) or 512K";
    return false;
  }
  c->log_max_bytes = value * unit;
  return true;
}

bool ApplyLogMaxFiles(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  uint64_t files = 0;
  if (!ParseUnsigned(text, 100, &files) || files == 0) {
    *problem = Quoted(text) + " is not a number of archived log files between 1 and 100";
    *hint = "e.g. 5 (the default)";
    return false;
  }
  c->log_max_files = static_cast<uint32_t>(files);
  return true;
}

std::string ShowLogSize(const Config& c) {
  if (c.log_max_bytes % (1024 * 1024) == 0) return std::to_string(c.log_max_bytes / (1024 * 1024)) + "M";
  if (c.log_max_bytes % 1024 == 0) return std::to_string(c.log_max_bytes / 1024) + "K";
  return std::to_string(c.log_max_bytes);
}

bool ApplyHost(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  if (text.empty() || text.find_first_of(" \t/") != std::string_view::npos) {
    *problem = Quoted(text) + " is not a host address";
    *hint = "use an IP address such as 127.0.0.1 (the default), ::1 or 0.0.0.0";
    return false;
  }
  c->mock_server.host = std::string(text);
  return true;
}

bool ApplyPort(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  uint64_t port = 0;
  if (!ParseUnsigned(text, 65535, &port) || port == 0) {
    *problem = Quoted(text) + " is not a valid port (1-65535)";
    *hint = "use a free port between 1024 and 65535, e.g. 3402 (the default)";
    return false;
  }
  c->mock_server.port = static_cast<uint16_t>(port);
  return true;
}

bool ApplyBackend(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  const auto backend = ParseBackend(text);
  if (!backend) {
    *problem = Quoted(text) + " is not a backend (auto, systemd, launchd, windows, direct)";
    *hint = ChoiceHint(text, {"auto", "systemd", "launchd", "windows", "direct"});
    return false;
  }
  c->mock_server.backend = *backend;
  return true;
}

bool ApplyMaxConnections(std::string_view text, Config* c, std::string* problem,
                         std::string* hint) {
  uint64_t count = 0;
  if (text == "auto") {
    count = 0;
  } else if (!ParseUnsigned(text, 1'000'000, &count) || count == 0) {
    *problem = Quoted(text) + " is not auto or a number of connections between 1 and 1000000";
    *hint = "auto (the default: 1024, or fewer when the open-file limit is lower) or e.g. 4096";
    return false;
  }
  c->mock_server.max_connections = static_cast<uint32_t>(count);
  return true;
}

std::string ShowMaxConnections(const Config& c) {
  return c.mock_server.max_connections == 0 ? "auto" : std::to_string(c.mock_server.max_connections);
}

// The one-option shorthand names a network of the built-in table (a network the table lacks is
// declared with its asset in mock_server.accepts).
bool ApplyNetwork(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  const NetworkTable table;
  const NetworkInfo* network = table.Find(text);
  if (network == nullptr) {
    *problem = Quoted(text) + " is not a network the mock knows";
    if (auto match = ClosestMatch(text, table.Names())) {
      *hint = "did you mean '" + *match + "'?";
    } else {
      *hint = "a v1 name such as base-sepolia or a CAIP-2 id such as eip155:137 (docs/server.md lists "
              "them); declare any other chain in mock_server.accepts";
    }
    return false;
  }
  // Stored as the v1 name where there is one (what config show printed before CAIP-2 ids).
  c->mock_server.network = network->v1_name.empty() ? network->caip2 : network->v1_name;
  return true;
}

bool ApplyPayTo(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  if (!IsHexAddress(text)) {
    *problem = Quoted(text) + " is not an EVM address (0x followed by 40 hex digits)";
    *hint = "use a checksummed address, e.g. 0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF";
    return false;
  }
  c->mock_server.pay_to = std::string(text);
  return true;
}

bool ApplyPayToSolana(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  if (!SchemeRegistry::BuiltIn().Find("exact", "solana")->IsAccount(text)) {
    *problem = Quoted(text) + " is not a Solana address (32 bytes in base58, letter case counts)";
    *hint = "e.g. 8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH";
    return false;
  }
  c->mock_server.pay_to_solana = std::string(text);
  return true;
}

bool ApplySolanaFeePayer(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  // Absolute: a service manager starts the server elsewhere than the shell that wrote it.
  if (!text.empty() && !std::filesystem::path(std::string(text)).is_absolute()) {
    *problem = Quoted(text) + " is not an absolute path";
    *hint = "name the keypair file (solana-keygen's JSON) by its full path, or leave it unset for the instance's own key";
    return false;
  }
  c->mock_server.solana_fee_payer = std::string(text);
  return true;
}

bool ApplyAsset(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  // An EVM token or a Solana mint; whether it is one of the network's is checked with the offer.
  if (!IsHexAddress(text) && !SchemeRegistry::BuiltIn().Find("exact", "solana")->IsAccount(text)) {
    *problem = Quoted(text) + " is not a token address (EVM: 0x followed by 40 hex digits; Solana: a mint in base58)";
    *hint = "leave it unset to use the network's default asset (USDC), or declare a token in mock_server.accepts";
    return false;
  }
  c->mock_server.asset = std::string(text);
  return true;
}

bool ApplyMaxTimeout(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  uint64_t seconds = 0;
  if (!ParseUnsigned(text, 86'400, &seconds) || seconds == 0) {
    *problem = Quoted(text) + " is not a whole number of seconds between 1 and 86400";
    *hint = "x402 clients sign payments valid for this long; 300 is the usual value";
    return false;
  }
  c->mock_server.max_timeout_seconds = static_cast<uint32_t>(seconds);
  return true;
}

bool ApplyDefaultPrice(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  UsdParseError error = UsdParseError::kNone;
  const auto price = ParseUsd(text, &error);
  if (!price) {
    *problem = Quoted(text) + ": " + std::string(DescribeUsdParseError(error));
    *hint = "write the price in USD, e.g. 0.01";
    return false;
  }
  c->mock_server.pricing.default_price = *price;
  return true;
}

bool ApplySimulationMode(std::string_view text, Config* c, std::string* problem,
                         std::string* hint) {
  const auto mode = ParseSimulationMode(text);
  if (!mode) {
    *problem = Quoted(text) + " is not a simulation mode (" + std::string(SimulationModeNames()) + ")";
    std::vector<std::string> names;
    for (SimulationMode m : kAllSimulationModes) names.emplace_back(ToString(m));
    auto match = ClosestMatch(text, names);
    *hint = match ? "did you mean '" + *match + "'?" : "use one of: " + std::string(SimulationModeNames());
    return false;
  }
  c->mock_server.simulation_mode = *mode;
  return true;
}

bool ApplyPaymentIdentifier(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  const auto policy = ParsePaymentIdentifierPolicy(text);
  if (!policy) {
    *problem = Quoted(text) + " is not off, optional or required";
    *hint = ChoiceHint(text, {"off", "optional", "required"});
    return false;
  }
  c->mock_server.payment_identifier = *policy;
  return true;
}

bool ApplyTimeoutDelay(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  uint64_t ms = 0;
  if (!ParseUnsigned(text, 600'000, &ms)) {
    *problem = Quoted(text) + " is not a whole number of milliseconds between 0 and 600000";
    *hint = "e.g. 5000 for five seconds";
    return false;
  }
  c->mock_server.timeout_delay_ms = static_cast<uint32_t>(ms);
  return true;
}

bool ApplySolanaBlockhashSeconds(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  uint64_t seconds = 0;
  if (!ParseUnsigned(text, 86'400, &seconds) || seconds < 3) {
    *problem = Quoted(text) + " is not a whole number of seconds between 3 and 86400";
    *hint = "60 is a cluster's (150 blocks); raise it to step through a client in a debugger";
    return false;
  }
  c->mock_server.solana_blockhash_seconds = static_cast<uint32_t>(seconds);
  return true;
}

bool ApplyVerification(std::string_view text, Config* c, std::string* problem,
                       std::string* hint) {
  const auto verification = ParseVerification(text);
  if (!verification) {
    *problem = Quoted(text) + " is not a verification mode (strict, shape)";
    *hint = ChoiceHint(text, {"strict", "shape"});
    return false;
  }
  c->mock_server.verification = *verification;
  return true;
}

bool ApplyV1Rules(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  const auto rules = ParseV1Rules(text);
  if (!rules) {
    *problem = Quoted(text) + " is not a v1 rule set (x402-1.2, x402-2)";
    *hint = ChoiceHint(text, {"x402-1.2", "x402-2"});
    return false;
  }
  c->mock_server.v1_rules = *rules;
  return true;
}

// "" (or "off") turns the simulated ledger off for payers without their own balance.
bool ApplyStartingBalance(std::string_view text, Config* c, std::string* problem,
                          std::string* hint) {
  if (text.empty() || text == "off") {
    c->mock_server.ledger.starting_balance.reset();
    return true;
  }
  UsdParseError error = UsdParseError::kNone;
  const auto balance = ParseUsd(text, &error);
  if (!balance) {
    *problem = Quoted(text) + ": " + std::string(DescribeUsdParseError(error));
    *hint = "write the balance in USD, e.g. 0.05, or off";
    return false;
  }
  c->mock_server.ledger.starting_balance = *balance;
  return true;
}

std::string ShowStartingBalance(const Config& c) {
  const auto& balance = c.mock_server.ledger.starting_balance;
  return balance ? FormatUsd(*balance) : std::string("off");
}

// Payers whose ERC-20 allowance to Permit2 is missing: "all", "" / "none", or addresses
// separated by commas (a YAML list arrives joined so).
bool ApplyPermit2AllowanceMissing(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  LedgerConfig& ledger = c->mock_server.ledger;
  std::set<std::string> payers;
  const bool all = text == "all";
  if (!all && !text.empty() && text != "none") {
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t comma = std::min(text.find(',', start), text.size());
      std::string_view payer = text.substr(start, comma - start);
      while (!payer.empty() && payer.front() == ' ') payer.remove_prefix(1);
      while (!payer.empty() && payer.back() == ' ') payer.remove_suffix(1);
      if (!IsHexAddress(payer)) {
        *problem = Quoted(payer) + " is not a payer address (0x followed by 40 hex digits)";
        *hint = "all, none, or addresses separated by commas: \"0x7E5F…5Bdf, 0x2B5A…D6cF\"";
        return false;
      }
      payers.insert(ToLowerAscii(payer));
      start = comma + 1;
    }
  }
  ledger.permit2_allowance_missing = std::move(payers);
  ledger.permit2_allowance_missing_for_all = all;
  return true;
}

std::string ShowPermit2AllowanceMissing(const Config& c) {
  const LedgerConfig& ledger = c.mock_server.ledger;
  if (ledger.permit2_allowance_missing_for_all) return "all";
  std::string out;
  for (const std::string& payer : ledger.permit2_allowance_missing) out += (out.empty() ? "" : ", ") + payer;
  return out.empty() ? "none" : out;
}

bool ApplySmartWalletSignatures(std::string_view text, Config* c, std::string* problem,
                                std::string* hint) {
  const auto policy = ParseSmartWalletPolicy(text);
  if (!policy) {
    *problem = Quoted(text) + " is not a smart-wallet signature policy (auto, accept, refuse)";
    *hint = ChoiceHint(text, {"auto", "accept", "refuse"});
    return false;
  }
  c->mock_server.smart_wallet_signatures = *policy;
  return true;
}

bool ApplyLogFormat(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  if (text == "text" || text == "json") {
    c->log_format = text == "json" ? LogFormat::kJson : LogFormat::kText;
    return true;
  }
  *problem = Quoted(text) + " is not a log format (text, json)";
  *hint = ChoiceHint(text, {"text", "json"});
  return false;
}

bool ApplyAccessLog(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  if (text == "on" || text == "true") {
    c->mock_server.access_log = true;
  } else if (text == "off" || text == "false") {
    c->mock_server.access_log = false;
  } else {
    *problem = Quoted(text) + " is not on or off";
    *hint = "use on (the default: one line per request) or off";
    return false;
  }
  return true;
}

bool ApplyHistorySize(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  uint64_t size = 0;
  if (!ParseUnsigned(text, 10'000, &size)) {
    *problem = Quoted(text) + " is not a number of requests between 0 and 10000";
    *hint = "e.g. 1000 (the default); 0 keeps no history";
    return false;
  }
  c->mock_server.history_size = static_cast<uint32_t>(size);
  return true;
}

bool ApplyReplaySetSize(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  uint64_t size = 0;
  if (!ParseUnsigned(text, 16'777'216, &size) || size < 1024) {
    *problem = Quoted(text) + " is not a number of authorizations between 1024 and 16777216";
    *hint = "e.g. 262144 (the default, ~21 MiB); each entry is kept until its validBefore";
    return false;
  }
  c->mock_server.replay_set_size = static_cast<std::size_t>(size);
  return true;
}

bool ApplyAllowedHosts(std::string_view text, Config* c, std::string* problem, std::string* hint) {
  std::vector<std::string> hosts;
  if (!ParseAllowedHosts(text, &hosts, problem)) {
    *hint = "list the names clients use to reach the mock (e.g. x402-mock, .example.test), or all";
    return false;
  }
  c->mock_server.allowed_hosts = std::move(hosts);
  return true;
}

std::string ShowAsset(const Config& c) {
  if (!c.mock_server.asset.empty()) return c.mock_server.asset;
  const NetworkTable table;
  const NetworkInfo* network = table.Find(c.mock_server.network);
  return network != nullptr && !network->assets.empty() ? network->default_asset().address : std::string();
}

constexpr std::array<SettingDef, 28> kSettings = {{
    {"log_level", "X402_DEV_LOG_LEVEL", "server log level: error | warn | info | debug",
     ApplyLogLevel, [](const Config& c) { return std::string(ToString(c.log_level)); }},
    {"log_max_size", "", "the server log rotates at this size (K or M suffix)", ApplyLogMaxSize,
     ShowLogSize},
    {"log_max_files", "", "how many rotated server logs are kept", ApplyLogMaxFiles,
     [](const Config& c) { return std::to_string(c.log_max_files); }},
    {"log_format", "X402_DEV_LOG_FORMAT", "server log lines: text | json (one object per line)",
     ApplyLogFormat,
     [](const Config& c) { return std::string(c.log_format == LogFormat::kJson ? "json" : "text"); }},
    {"mock_server.host", "X402_DEV_HOST", "address the mock server binds to", ApplyHost,
     [](const Config& c) { return c.mock_server.host; }},
    {"mock_server.port", "X402_DEV_PORT", "TCP port of the mock server", ApplyPort,
     [](const Config& c) { return std::to_string(c.mock_server.port); }},
    {"mock_server.backend", "X402_DEV_BACKEND",
     "service backend: auto | systemd | launchd | windows | direct", ApplyBackend,
     [](const Config& c) { return std::string(ToString(c.mock_server.backend)); }},
    {"mock_server.allowed_hosts", "X402_DEV_ALLOWED_HOSTS",
     "Host names answered besides localhost and IP addresses (others get 403), or all",
     ApplyAllowedHosts,
     [](const Config& c) { return FormatAllowedHosts(c.mock_server.allowed_hosts); }},
    {"mock_server.max_connections", "X402_DEV_MAX_CONNECTIONS",
     "open connections at most, or auto (1024, fewer if the open-file limit is low); more get 503",
     ApplyMaxConnections, ShowMaxConnections},
    {"mock_server.network", "X402_DEV_NETWORK",
     "the one payment option's network (v1 name or CAIP-2 id), unless mock_server.accepts lists them",
     ApplyNetwork,
     [](const Config& c) { return c.mock_server.network; }},
    {"mock_server.pay_to", "", "address payments are made out to (fake)", ApplyPayTo,
     [](const Config& c) { return c.mock_server.pay_to; }},
    {"mock_server.pay_to_solana", "", "address Solana payments are made out to (fake), unless an option names one",
     ApplyPayToSolana, [](const Config& c) { return c.mock_server.pay_to_solana; }},
    {"mock_server.solana_fee_payer", "X402_DEV_SOLANA_FEE_PAYER",
     "keypair file (solana-keygen JSON) the server co-signs Solana payments with; unset: the instance's own",
     ApplySolanaFeePayer, [](const Config& c) { return c.mock_server.solana_fee_payer; }},
    {"mock_server.solana_blockhash_seconds", "", "how long a Solana blockhash the mock issues stays valid (read at start)",
     ApplySolanaBlockhashSeconds, [](const Config& c) { return std::to_string(c.mock_server.solana_blockhash_seconds); }},
    {"mock_server.v1_rules", "X402_DEV_V1_RULES",
     "whose facilitator a v1 EVM payment meets: x402-1.2 (x402 1.2.0) or x402-2 (@x402/evm 2.27's v1)", ApplyV1Rules,
     [](const Config& c) { return std::string(ToString(c.mock_server.v1_rules)); }},
    {"mock_server.asset", "", "the one option's token address (default: the network's USDC)", ApplyAsset,
     ShowAsset},
    {"mock_server.max_timeout_seconds", "", "how long a signed payment stays valid",
     ApplyMaxTimeout,
     [](const Config& c) { return std::to_string(c.mock_server.max_timeout_seconds); }},
    {"mock_server.pricing.default", "X402_DEV_PRICING", "price in USD of any other path",
     ApplyDefaultPrice,
     [](const Config& c) { return FormatUsd(c.mock_server.pricing.default_price); }},
    {"mock_server.simulation_mode", "X402_DEV_SIMULATION_MODE",
     "what a valid payment gets: success | failure | timeout | pending | lost-response | rpc-outage | slow", ApplySimulationMode,
     [](const Config& c) { return std::string(ToString(c.mock_server.simulation_mode)); }},
    {"mock_server.payment_identifier", "X402_DEV_PAYMENT_IDENTIFIER",
     "the payment-identifier extension on priced routes: off | optional | required", ApplyPaymentIdentifier,
     [](const Config& c) { return std::string(ToString(c.mock_server.payment_identifier)); }},
    {"mock_server.timeout_delay_ms", "", "delay before the 408 in timeout mode, and before the answer in slow mode",
     ApplyTimeoutDelay,
     [](const Config& c) { return std::to_string(c.mock_server.timeout_delay_ms); }},
    {"mock_server.verification", "X402_DEV_VERIFICATION",
     "how payments are checked: strict (as a real facilitator) | shape (hand-made payments)",
     ApplyVerification,
     [](const Config& c) { return std::string(ToString(c.mock_server.verification)); }},
    {"mock_server.ledger.starting_balance", "X402_DEV_LEDGER_STARTING_BALANCE",
     "simulated balance in USD of every payer (off: no ledger)", ApplyStartingBalance,
     ShowStartingBalance},
    {"mock_server.replay_set_size", "X402_DEV_REPLAY_SET_SIZE",
     "used authorizations remembered (each until it expires); when full, payments are refused",
     ApplyReplaySetSize,
     [](const Config& c) { return std::to_string(c.mock_server.replay_set_size); }},
    {"mock_server.ledger.permit2_allowance_missing", "X402_DEV_PERMIT2_ALLOWANCE_MISSING",
     "payers that have not approved the Permit2 contract for any token (permit2_allowance_required): "
     "none | all | 0xPAYER, 0xPAYER…",
     ApplyPermit2AllowanceMissing, ShowPermit2AllowanceMissing},
    {"mock_server.smart_wallet_signatures", "X402_DEV_SMART_WALLET_SIGNATURES",
     "ERC-1271/6492 signatures, which need a chain to verify: auto (accept unverified, refuse "
     "while the ledger is on) | accept | refuse",
     ApplySmartWalletSignatures,
     [](const Config& c) { return std::string(ToString(c.mock_server.smart_wallet_signatures)); }},
    {"mock_server.access_log", "X402_DEV_ACCESS_LOG",
     "one info line per request in the server log: on | off", ApplyAccessLog,
     [](const Config& c) { return std::string(c.mock_server.access_log ? "on" : "off"); }},
    {"mock_server.history_size", "X402_DEV_HISTORY_SIZE",
     "requests kept for GET /__x402/requests (0-10000)", ApplyHistorySize,
     [](const Config& c) { return std::to_string(c.mock_server.history_size); }},
}};

}  // namespace

std::string_view ToString(ConfigSource source) {
  switch (source) {
    case ConfigSource::kDefault: return "default";
    case ConfigSource::kGlobalFile: return "global file";
    case ConfigSource::kProjectFile: return "project file";
    case ConfigSource::kEnvironment: return "env";
    case ConfigSource::kFlag: return "flag";
  }
  return "default";
}

std::string Origin::Describe() const {
  switch (source) {
    case ConfigSource::kDefault: return "default";
    case ConfigSource::kGlobalFile:
    case ConfigSource::kProjectFile:
      return std::string(ToString(source)) + " " + file + ":" + std::to_string(line);
    case ConfigSource::kEnvironment:
    case ConfigSource::kFlag: return std::string(ToString(source)) + " " + name;
  }
  return "default";
}

std::string Origin::Location() const {
  switch (source) {
    case ConfigSource::kDefault: return "built-in default";
    case ConfigSource::kGlobalFile:
    case ConfigSource::kProjectFile: return file + ":" + std::to_string(line);
    case ConfigSource::kEnvironment: return "environment variable " + name;
    case ConfigSource::kFlag: return "flag " + name;
  }
  return "";
}

std::span<const SettingDef> Settings() { return kSettings; }

const SettingDef* FindSetting(std::string_view key) {
  for (const SettingDef& def : kSettings) {
    if (def.key == key) return &def;
  }
  return nullptr;
}

bool ParseLedgerBalance(std::string_view payer, std::string_view text, std::string* key,
                        AtomicAmount* balance, std::string* problem) {
  // An EVM address (compared in any letter case: kept lowercase) or a Solana one (base58,
  // compared exactly: kept as written).
  const Scheme* solana = SchemeRegistry::BuiltIn().Find("exact", "solana");
  const bool evm = IsHexAddress(payer);
  if (!evm && !solana->IsAccount(payer)) {
    *problem = "'" + std::string(payer) +
               "' is not a payer address (EVM: 0x followed by 40 hex digits; Solana: 32 bytes in base58)";
    return false;
  }
  UsdParseError error = UsdParseError::kNone;
  const auto amount = ParseUsd(text, &error);
  if (!amount) {
    *problem = "'" + std::string(text) + "': " + std::string(DescribeUsdParseError(error));
    return false;
  }
  *key = evm ? ToLowerAscii(payer) : std::string(payer);
  *balance = *amount;
  return true;
}

bool IsValidRulePattern(std::string_view pattern, std::string* problem) {
  if (pattern.empty() || pattern.front() != '/') {
    *problem = "a pricing rule must be a path starting with '/', e.g. /api/data or /api/premium/*";
    return false;
  }
  const std::size_t star = pattern.find('*');
  if (star != std::string_view::npos && (star + 1 != pattern.size() || star < 1 ||
                                         pattern[star - 1] != '/')) {
    *problem = "'*' is only allowed as a final '/*' (a prefix rule such as /api/premium/*)";
    return false;
  }
  return true;
}

}  // namespace x402
