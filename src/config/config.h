// The effective configuration of x402-dev as plain structs: what every other module reads.
// Loading, layering and validation live in config_loader.h; the table of keys in settings.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/logging.h"
#include "x402/money.h"

namespace x402 {

enum class Backend { kAuto, kSystemd, kLaunchd, kWindows, kDirect };
enum class SimulationMode { kSuccess, kFailure, kTimeout };

std::string_view ToString(Backend backend);
std::string_view ToString(SimulationMode mode);
std::optional<Backend> ParseBackend(std::string_view text);
std::optional<SimulationMode> ParseSimulationMode(std::string_view text);

/// One pricing rule: |pattern| is an exact path ("/api/data") or a prefix ending in "/*"
/// ("/api/premium/*", which matches "/api/premium" and everything below it).
struct PriceRule {
  std::string pattern;
  AtomicAmount price;
  friend bool operator==(const PriceRule&, const PriceRule&) = default;
};

struct PricingConfig {
  AtomicAmount default_price{10'000};  // 0.01 USD
  std::vector<PriceRule> per_resource = {
      {"/api/data", AtomicAmount{50'000}},
      {"/api/premium/*", AtomicAmount{100'000}},
  };
};

struct MockServerConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 3402;
  Backend backend = Backend::kAuto;
  std::string network = "base-sepolia";
  // The address of the well-known test private key 0x…02: clearly fake, checksummed.
  std::string pay_to = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF";
  // Empty means "the USDC of |network|"; config show prints the effective address.
  std::string asset;
  uint32_t max_timeout_seconds = 300;
  PricingConfig pricing;
  SimulationMode simulation_mode = SimulationMode::kSuccess;
  uint32_t timeout_delay_ms = 5000;
};

struct Config {
  LogLevel log_level = LogLevel::kInfo;
  uint64_t log_max_bytes = 10 * 1024 * 1024;  // the server log rotates at this size…
  uint32_t log_max_files = 5;                  // …keeping this many archives
  MockServerConfig mock_server;
};

}  // namespace x402
