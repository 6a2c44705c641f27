// A payment option as the configuration names it: mock_server.accepts[i], a pricing rule's own
// `accepts`, or the one-option shorthand (mock_server.network, asset, pay_to). Resolved against
// the network table and the schemes by the paywall (paywall.h: ResolveOffers), which the config
// loader also runs to refuse a bad option with its origin.
#pragma once

#include <optional>
#include <string>

#include "x402/networks.h"

namespace x402 {

struct OptionSpec {
  std::string scheme = "exact";
  std::string network;  // v1 name or CAIP-2 id
  std::string pay_to;   // "": the paywall's pay_to
  std::string asset;    // an address on the network, or "": the network's default asset
  /// The asset declared here (a network the table lacks, or a token it does not list):
  /// address, decimals, symbol and, for EVM, the EIP-712 name and version.
  std::optional<AssetInfo> declared_asset;
  /// How the asset moves (EVM exact: "eip3009" or "permit2"); "": the asset's default.
  std::string asset_transfer_method;
  /// upto: what a payment is charged when the request does not say (settlement_charge.h:
  /// "1500", "$0.0015", "50%"); "": the maximum.
  std::string charge;
  /// Where it was written, for messages: "mock_server.accepts[1] (/h/.x402dev.yaml:7)".
  std::string origin;

  friend bool operator==(const OptionSpec&, const OptionSpec&) = default;
};

}  // namespace x402
