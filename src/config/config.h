// The effective configuration of x402-dev as plain structs: what every other module reads.
// Loading, layering and validation live in config_loader.h; the table of keys in settings.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/logging.h"
#include "x402/paywall_config.h"

namespace x402 {

enum class Backend { kAuto, kSystemd, kLaunchd, kWindows, kDirect };

std::string_view ToString(Backend backend);
std::optional<Backend> ParseBackend(std::string_view text);

/// The mock server's section: what the paywall prices and checks (an x402 value, so the
/// protocol layer never sees this module) plus where the server listens and how it is run.
struct MockServerConfig : PaywallConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 3402;
  Backend backend = Backend::kAuto;
  uint32_t max_connections = 0;  // 0 ("auto"): 1024, or fewer to fit the open-file limit
  bool access_log = true;       // one info line per request in the server log
  uint32_t history_size = 1000; // requests kept for /__x402/requests (0: none)
  /// A solana-keygen keypair file (absolute path) the server co-signs Solana payments with;
  /// "": the instance's own key in its state directory.
  std::string solana_fee_payer;
  /// How long a blockhash the mock's Solana chain issues stays valid, in seconds (a cluster's:
  /// about 60); read at start.
  uint32_t solana_blockhash_seconds = 60;
};

struct Config {
  LogLevel log_level = LogLevel::kInfo;
  uint64_t log_max_bytes = 10 * 1024 * 1024;  // the server log rotates at this size…
  uint32_t log_max_files = 5;                  // …keeping this many archives
  LogFormat log_format = LogFormat::kText;     // text lines, or JSON lines for log shippers
  MockServerConfig mock_server;
};

}  // namespace x402
