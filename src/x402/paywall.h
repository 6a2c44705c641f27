// Paywall is an immutable snapshot of everything the mock needs to price and check a
// request, derived once from the config (network table lookups, asset, EIP-712 domain), so
// the request path does no lookups. A reload builds a new snapshot and swaps it in.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "x402/keccak.h"
#include "x402/networks.h"
#include "x402/paywall_config.h"
#include "x402/requirements.h"

namespace x402 {

class Paywall {
 public:
  /// REQUIRES: |config| was validated (its network is a known one).
  explicit Paywall(const PaywallConfig& config);

  const PaywallConfig& config() const { return config_; }
  /// Distinct for every Paywall ever made: a cache of answers derived from one snapshot
  /// can tell that a reload replaced it (an address could be reused, a generation is not).
  uint64_t generation() const { return generation_; }
  const NetworkInfo& network() const { return *network_; }

  /// The requirements offered for |path| (no query string) at |resource_url|.
  PaymentRequirements RequirementsFor(std::string_view path, std::string_view resource_url) const;

 private:
  PaywallConfig config_;
  uint64_t generation_;
  const NetworkInfo* network_;
  std::string asset_;
  std::string extra_name_;
  std::string extra_version_;
  std::optional<Hash32> domain_separator_;  // EIP-712, of the token above
};

}  // namespace x402
