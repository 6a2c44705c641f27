#include "config/config_template.h"

#include <boost/json.hpp>

#include "base/text.h"
#include "config/settings.h"
#include "x402/networks.h"

namespace x402 {
namespace {

// A YAML double-quoted scalar: JSON's escapes are YAML's too, so a name with a quote or a
// backslash reads back as written.
std::string Quote(const std::string& s) { return "\"" + JsonEscape(s) + "\""; }

// An `accepts` list in YAML, each option at |indent|.
std::string RenderOptions(const std::vector<OptionSpec>& options, const std::string& indent) {
  std::string out;
  for (const OptionSpec& o : options) {
    out += indent + "- network: " + Quote(o.network) + "\n";
    if (o.scheme != "exact") out += indent + "  scheme: " + o.scheme + "\n";
    if (o.declared_asset) {
      const AssetInfo& a = *o.declared_asset;
      out += indent + "  asset: {address: " + Quote(a.address) + ", decimals: " + std::to_string(a.decimals) +
             ", name: " + Quote(a.domain_name) + ", version: " + Quote(a.domain_version) +
             ", symbol: " + Quote(a.symbol) + "}\n";
    } else if (!o.asset.empty()) {
      out += indent + "  asset: " + Quote(o.asset) + "\n";
    }
    if (!o.pay_to.empty()) out += indent + "  pay_to: " + Quote(o.pay_to) + "\n";
  }
  return out;
}

}  // namespace

std::string RenderConfigTemplate(const Config& config) {
  const MockServerConfig& m = config.mock_server;
  const NetworkTable table;
  const NetworkInfo* network = table.Find(m.network);
  std::string out;
  out += "# x402-dev project configuration. Reference: docs/config.md\n";
  out += "# Precedence: flags > X402_DEV_* environment > this file > ~/.x402dev/config.yaml > defaults.\n";
  out += "# Check it with `x402-dev config validate`; see the effective values with `x402-dev config show`.\n\n";
  out += "# Server log level: error | warn | info | debug\n";
  out += "log_level: " + std::string(ToString(config.log_level)) + "\n";
  out += "# The server log (~/.x402dev/logs/mock-server.log) rotates at this size (K or M suffix),\n";
  out += "# keeping this many archives.\n";
  out += "log_max_size: " + FindSetting("log_max_size")->show(config) + "\n";
  out += "log_max_files: " + std::to_string(config.log_max_files) + "\n";
  out += "# Log lines as text, or json (one object per line) for log shippers.\n";
  out += "log_format: " + FindSetting("log_format")->show(config) + "\n\n";
  out += "mock_server:\n";
  out += "  # Address and port the mock listens on. Keep 127.0.0.1 unless other machines must reach it.\n";
  out += "  host: " + m.host + "\n";
  out += "  port: " + std::to_string(m.port) + "\n";
  out += "  # How `x402-dev mock start` runs the server: auto | systemd | launchd | windows | direct\n";
  out += "  backend: " + std::string(ToString(m.backend)) + "\n";
  out += "  # Where payments are made out to (each option's, unless it names its own). A fake\n";
  out += "  # address: the mock never settles on a chain.\n";
  out += "  pay_to: " + Quote(m.pay_to) + "\n";
  if (m.accepts.empty()) {
    out += "  # The payment option every 402 offers: a network (a v1 name such as base-sepolia, polygon,\n";
    out += "  # or a CAIP-2 id such as eip155:42161; docs/server.md lists them) and its default token.\n";
    out += "  network: " + m.network + "\n";
    out += "  # Another token of the network's table; leave it out for the network's USDC.\n";
    if (m.asset.empty()) {
      out += "  # asset: " + Quote(network && !network->assets.empty() ? network->default_asset().address : std::string()) + "\n";
    } else {
      out += "  asset: " + Quote(m.asset) + "\n";
    }
    out += "  # Several options instead, the client choosing one (replaces network and asset):\n";
    out += "  # accepts:\n";
    out += "  #   - network: base-sepolia\n";
    out += "  #   - network: \"eip155:137\"                # Polygon USDC\n";
    out += "  #     pay_to: \"0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF\"\n";
    out += "  #   - network: \"eip155:31337\"              # a local chain: declare its token\n";
    out += "  #     asset: {address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\", decimals: 18, name: \"Mock USD\", version: \"1\"}\n";
  } else {
    out += "  # The payment options every 402 offers, in order; the client chooses one.\n";
    out += "  accepts:\n" + RenderOptions(m.accepts, "    ");
  }
  out += "  # How long (seconds) a signed payment stays valid.\n";
  out += "  max_timeout_seconds: " + std::to_string(m.max_timeout_seconds) + "\n";
  out += "  pricing:\n";
  out += "    # USD per request for any path without a rule below. Client spending limits:\n";
  out += "    # x402-fetch (v1) refuses more than 0.10 USD by default, @x402/fetch (v2) more than 1 USD.\n";
  out += "    default: " + FormatUsd(m.pricing.default_price) + "\n";
  out += "    # Exact paths, or prefixes ending in /* ; the exact rule wins, then the longest prefix.\n";
  out += "    # A rule may offer its own options: /api/polygon: {price: 0.05, accepts: [{network: polygon}]}\n";
  if (m.pricing.per_resource.empty()) {
    out += "    per_resource: {}\n";
  } else {
    out += "    per_resource:\n";
    for (const PriceRule& rule : m.pricing.per_resource) {
      if (rule.accepts.empty() && !rule.simulation_mode && !rule.payment_identifier && !rule.discovery &&
          !rule.sign_in_with_x) {
        out += "      " + rule.pattern + ": " + FormatUsd(rule.price) + "\n";
        continue;
      }
      out += "      " + rule.pattern + ":\n        price: " + FormatUsd(rule.price) + "\n";
      if (rule.simulation_mode) out += "        simulation_mode: " + std::string(ToString(*rule.simulation_mode)) + "\n";
      if (rule.payment_identifier) {
        out += "        payment_identifier: " + std::string(ToString(*rule.payment_identifier)) + "\n";
      }
      if (rule.discovery) {
        // JSON is YAML's flow style: the declaration reads back as written (strings quoted).
        out += "        discovery: " + boost::json::serialize(DiscoverySpecJson(*rule.discovery)) + "\n";
      }
      if (rule.sign_in_with_x) {
        out += "        sign_in_with_x: " + boost::json::serialize(SiwxSpecJson(*rule.sign_in_with_x)) + "\n";
      }
      if (!rule.accepts.empty()) out += "        accepts:\n" + RenderOptions(rule.accepts, "          ");
    }
  }
  out += "  # What a valid payment gets: success (200) | failure (402) | timeout (408 after the delay)\n";
  out += "  # | pending (settled, answered settlement_pending; the same payment again is reconciled)\n";
  out += "  # | lost-response (settled, then 502) | rpc-outage (verify fails as without an RPC)\n";
  out += "  # | slow (settled, answered after the delay). A rule may have its own: {price, simulation_mode};\n";
  out += "  # a request can choose for itself with the header X-Simulation-Mode.\n";
  out += "  simulation_mode: " + std::string(ToString(m.simulation_mode)) + "\n";
  out += "  timeout_delay_ms: " + std::to_string(m.timeout_delay_ms) + "\n";
  out += "  # The payment-identifier extension (idempotent retries): off | optional | required;\n";
  out += "  # a rule may have its own: {price, payment_identifier: required}.\n";
  out += "  payment_identifier: " + std::string(ToString(m.payment_identifier)) + "\n";
  out += "  # strict: check payments as the real facilitators do (x402 1.2.0, @x402/evm 2.27) and refuse\n";
  out += "  # replays | shape: shape checks only, for hand-made payments in curl demos.\n";
  out += "  verification: " + std::string(ToString(m.verification)) + "\n";
  out += "  # A simulated ledger: the USD every payer starts with (off: none), and payers of their own.\n";
  out += "  ledger:\n";
  out += "    starting_balance: " + FindSetting("mock_server.ledger.starting_balance")->show(config) + "\n";
  if (m.ledger.balances.empty()) {
    out += "    # balances:\n";
    out += "    #   \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\": 1.50\n";
  } else {
    out += "    balances:\n";
    for (const auto& [payer, balance] : m.ledger.balances) {
      out += "      " + Quote(payer) + ": " + FormatUsd(balance) + "\n";
    }
  }
  out += "  # Smart-wallet (ERC-1271 / ERC-6492) signatures are verified on chain by a real facilitator;\n";
  out += "  # the mock has no chain: accept them unverified (the log says so) | refuse them |\n";
  out += "  # auto: accept, but refuse while the ledger is on (anyone could spend a payer's balance).\n";
  out += "  smart_wallet_signatures: " + std::string(ToString(m.smart_wallet_signatures)) + "\n";
  out += "  # One line per request in the server log (method, path, status, payer, verdict): on | off\n";
  out += "  access_log: " + FindSetting("mock_server.access_log")->show(config) + "\n";
  out += "  # How many requests GET /__x402/requests and `x402-dev mock requests` keep (0-10000).\n";
  out += "  history_size: " + std::to_string(m.history_size) + "\n";
  out += "  # Host names answered besides localhost and IP addresses (others get 403, a guard\n";
  out += "  # against DNS rebinding), e.g. [x402-mock, .example.test], or all.\n";
  out += "  # allowed_hosts: []\n";
  out += "  # Used payment authorizations remembered, each until it expires; when full, new\n";
  out += "  # payments are refused (never an old one forgotten).\n";
  out += "  replay_set_size: " + std::to_string(m.replay_set_size) + "\n";
  return out;
}

}  // namespace x402
