#include "config/config_template.h"

#include "config/settings.h"
#include "x402/networks.h"

namespace x402 {
namespace {

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

std::string RenderConfigTemplate(const Config& config) {
  const MockServerConfig& m = config.mock_server;
  const NetworkInfo* network = FindNetwork(m.network);
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
  out += "  # x402 network: base-sepolia (v2 name eip155:84532) or base (eip155:8453).\n";
  out += "  network: " + m.network + "\n";
  out += "  # Where payments are made out to. A fake address: the mock never settles on a chain.\n";
  out += "  pay_to: " + Quote(m.pay_to) + "\n";
  out += "  # Token address. Leave it out to offer the network's USDC, which the official clients expect.\n";
  if (m.asset.empty()) {
    out += "  # asset: " + Quote(network ? std::string(network->usdc) : std::string()) + "\n";
  } else {
    out += "  asset: " + Quote(m.asset) + "\n";
  }
  out += "  # How long (seconds) a signed payment stays valid.\n";
  out += "  max_timeout_seconds: " + std::to_string(m.max_timeout_seconds) + "\n";
  out += "  pricing:\n";
  out += "    # USD per request for any path without a rule below. Client spending limits:\n";
  out += "    # x402-fetch (v1) refuses more than 0.10 USD by default, @x402/fetch (v2) more than 1 USD.\n";
  out += "    default: " + FormatUsd(m.pricing.default_price) + "\n";
  out += "    # Exact paths, or prefixes ending in /* ; the exact rule wins, then the longest prefix.\n";
  if (m.pricing.per_resource.empty()) {
    out += "    per_resource: {}\n";
  } else {
    out += "    per_resource:\n";
    for (const PriceRule& rule : m.pricing.per_resource) {
      out += "      " + rule.pattern + ": " + FormatUsd(rule.price) + "\n";
    }
  }
  out += "  # What a valid payment gets: success (200) | failure (402) | timeout (408 after the delay).\n";
  out += "  # A request can choose for itself with the header X-Simulation-Mode.\n";
  out += "  simulation_mode: " + std::string(ToString(m.simulation_mode)) + "\n";
  out += "  timeout_delay_ms: " + std::to_string(m.timeout_delay_ms) + "\n";
  out += "  # One line per request in the server log (method, path, status, payer, verdict): on | off\n";
  out += "  access_log: " + FindSetting("mock_server.access_log")->show(config) + "\n";
  out += "  # How many requests GET /__x402/requests and `x402-dev mock requests` keep (0-10000).\n";
  out += "  history_size: " + std::to_string(m.history_size) + "\n";
  return out;
}

}  // namespace x402
