// The payment options of the configuration: mock_server.accepts, a pricing rule's own
// `accepts`, and the one-option shorthand (mock_server.network, asset, pay_to). Reads each
// option's text into an OptionSpec, declares the networks the built-in table lacks, and checks
// every offer the way the server will build it (x402/paywall.h: ResolveOffers), so that a bad
// option fails `config validate` and `mock start`, not the first request.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "config/config.h"
#include "config/settings.h"
#include "x402/offer_spec.h"

namespace x402 {

struct LoadedConfig;

/// Reads one option ({"network": …, "scheme"?, "asset"?: address | {address, decimals, name,
/// version, symbol?}, "pay_to"?}) into |spec|. On failure sets |problem| and |hint|.
bool ParseOptionSpec(std::string_view json_text, OptionSpec* spec, std::string* problem, std::string* hint);

/// How an option's messages name where it was written: "FILE:LINE: KEY", or "KEY (from flag
/// --network)".
std::string PaymentOptionOrigin(const Origin& origin, const std::string& key);

/// The last step of loading: the networks the options declare (a network the built-in table
/// lacks, with its asset) go into mock_server.declared_networks, then every offer is resolved
/// as the paywall will resolve it. Fails (kConfig) naming the option's file and line.
Status FinishPaymentOptions(LoadedConfig* loaded);

}  // namespace x402
