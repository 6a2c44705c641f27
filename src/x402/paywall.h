// Paywall is an immutable snapshot of everything the mock needs to price and check a
// request, derived once from the config: the network table (the built-in ones and the
// config's), the options of every offer resolved against it and prepared by their schemes
// (an EVM option's EIP-712 domain separator), so the request path does no lookups. A reload
// builds a new snapshot and swaps it in.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "x402/networks.h"
#include "x402/paywall_config.h"
#include "x402/requirements.h"
#include "x402/scheme.h"

namespace x402 {

/// At most this many options in one offer (ResolveOffers refuses more).
inline constexpr std::size_t kMaxOptionsPerOffer = 32;

/// The options of every offer of |config|, resolved and prepared, without price or resource:
/// the paywall's, and each pricing rule's own (empty for a rule that has none).
struct ResolvedOffers {
  std::vector<PaymentRequirements> default_options;
  std::vector<std::vector<PaymentRequirements>> rule_options;  // parallel to pricing.per_resource
};

/// Resolves the options |config| names against |networks| and |schemes|: an unknown network
/// (naming the closest known ones), a scheme the mock does not speak on it, an asset it does
/// not know (unless declared), an address of another family, a duplicate option, or a price
/// the asset cannot represent is a kConfig error naming the option's origin.
Status ResolveOffers(const PaywallConfig& config, const NetworkTable& networks,
                     const SchemeRegistry& schemes, ResolvedOffers* out);

class Paywall {
 public:
  /// REQUIRES: |config| was validated (ResolveOffers succeeds for it); otherwise the offer
  /// falls back to base-sepolia USDC. |schemes| must outlive the Paywall.
  explicit Paywall(const PaywallConfig& config, const SchemeRegistry& schemes = SchemeRegistry::BuiltIn());

  const PaywallConfig& config() const { return config_; }
  /// Distinct for every Paywall ever made: a cache of answers derived from one snapshot
  /// can tell that a reload replaced it (an address could be reused, a generation is not).
  uint64_t generation() const { return generation_; }
  const NetworkTable& networks() const { return networks_; }
  const SchemeRegistry& schemes() const { return *schemes_; }
  /// The options every route offers unless it names its own (no price, no resource).
  std::span<const PaymentRequirements> default_options() const { return offers_.default_options; }
  /// The options pricing rule |index| names itself; empty when it offers the default ones.
  std::span<const PaymentRequirements> rule_options(std::size_t index) const {
    return index < offers_.rule_options.size() ? std::span<const PaymentRequirements>(offers_.rule_options[index])
                                               : std::span<const PaymentRequirements>();
  }

  /// The options offered for |path| (no query string) at |resource_url|, in order: each with
  /// the path's price in its asset's units, the resource and its description, frozen. With
  /// |now| (Unix seconds), each option's extra also has the fields its scheme regenerates per
  /// 402 (Solana's recentBlockhash), as of then.
  std::vector<PaymentRequirements> RequirementsFor(std::string_view path, std::string_view resource_url,
                                                   int64_t now = 0) const;
  /// What |path|'s route adds to its offer: its own simulation mode and the extensions it
  /// declares, or the server's.
  struct RouteSettings {
    SimulationMode simulation_mode = SimulationMode::kSuccess;
    PaymentIdentifierPolicy payment_identifier = PaymentIdentifierPolicy::kOff;
    /// The 402's `extensions` object as JSON ("" when it declares none).
    std::string extensions_json;
    /// What the route adds to the 402's `resource` (serviceName, tags) as a JSON object, or "".
    std::string resource_extra_json;
    /// The route offers sign-in-with-x: each 402 then carries a fresh challenge for it.
    std::optional<SiwxSpec> sign_in_with_x;
  };
  RouteSettings RouteSettingsFor(std::string_view path) const;

  /// The routes that declare themselves discoverable, as the mock facilitator's catalog lists
  /// them: at |origin| ("http://127.0.0.1:3402"), updated at |since_ms| (the snapshot's).
  std::vector<DiscoveredResource> DeclaredDiscoveries(std::string_view origin, int64_t since_ms) const;

  /// Changes whenever RequirementsFor(…, now) would add other per-402 fields: a cache of its
  /// answers is keyed by it and by generation(). 0 when no option has such fields.
  int64_t DynamicEpoch(int64_t now) const;

 private:
  PaywallConfig config_;
  const SchemeRegistry* schemes_;
  uint64_t generation_;
  const Scheme* dynamic_scheme_ = nullptr;  // an offered scheme with per-402 fields, if any
  NetworkTable networks_;
  ResolvedOffers offers_;
};

}  // namespace x402
