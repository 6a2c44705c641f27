// What the paywall prices and checks, as the protocol layer owns it: config/ fills one in from
// the user's settings (MockServerConfig extends it), x402/ never reads config/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "x402/extensions/payment_identifier_policy.h"
#include "x402/ledger.h"
#include "x402/networks.h"
#include "x402/offer_spec.h"
#include "x402/pricing.h"
#include "x402/simulation_mode.h"
#include "x402/used_authorizations.h"
#include "x402/verification_mode.h"

namespace x402 {

struct PaywallConfig {
  /// The one-option shorthand: the offer is |network|'s |asset| (empty: its default asset)
  /// paid to |pay_to|, unless |accepts| names the options.
  std::string network = "base-sepolia";
  // The address of the well-known test private key 0x…02: clearly fake, checksummed.
  std::string pay_to = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF";
  /// Where Solana options without their own pay_to are paid: the public key of the seed
  /// 0x00…02, as fake as |pay_to|.
  std::string pay_to_solana = "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH";
  // Empty means "the default asset of |network|"; config show prints the effective address.
  std::string asset;
  /// mock_server.accepts: the options every priced route offers, in order (a route's own
  /// `accepts` replaces them). Empty: the shorthand above.
  std::vector<OptionSpec> accepts;
  /// Networks the configuration declares (an option on a network the table lacks, with its
  /// asset declared): added to the built-in table.
  std::vector<NetworkInfo> declared_networks;
  uint32_t max_timeout_seconds = 300;
  PricingConfig pricing;
  SimulationMode simulation_mode = SimulationMode::kSuccess;
  /// Whether routes take the payment-identifier extension, unless a rule says otherwise.
  PaymentIdentifierPolicy payment_identifier = PaymentIdentifierPolicy::kOff;
  uint32_t timeout_delay_ms = 5000;
  Verification verification = Verification::kStrict;
  /// Whose rules a v1 EVM payment meets (mock_server.v1_rules).
  V1Rules v1_rules = V1Rules::kX402_1_2;
  LedgerConfig ledger;
  /// How many used authorizations the replay set holds at most (mock_server.replay_set_size);
  /// a payment that would need more is refused (used_authorizations.h).
  std::size_t replay_set_size = UsedAuthorizations::kDefaultCapacity;

  // ERC-1271 / ERC-6492 signatures need a chain to verify: accepted unverified, or refused
  // (auto: accepted unless the ledger is on; evm/exact/eip3009_signature.h).
  SmartWalletPolicy smart_wallet_signatures = SmartWalletPolicy::kAuto;

  /// mock_server.allowed_hosts, parsed (net/allowed_hosts.h): the Host names the server
  /// answers besides localhost, IP literals and its listening name. Not the protocol's: it
  /// rides in this snapshot so that a reload swaps it with everything else the router reads.
  std::vector<std::string> allowed_hosts;
};

}  // namespace x402
