// What an upto payment is charged: at most what the payer authorized, decided by the resource
// after serving. A real resource server takes it from its handler's `Settlement-Overrides`
// response header ({"amount": …}; @x402/core 2.27 src/http/x402HTTPResourceServer.ts
// processSettlement(), resolved by resolveSettlementOverrideAmount() in
// src/server/x402ResourceServer.ts). The mock is the resource, so it reads the same header from
// the request, then the option's `charge` setting, else charges the maximum.
//
// An amount is written as the reference takes it: atomic units ("1500"), dollars ("$0.0015",
// truncated to the asset's decimals as convertToTokenAmount() does) or a percentage of the
// maximum with up to two decimals ("50%", "33.33%", rounded down).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "x402/uint256.h"

namespace x402 {

/// The request header a client (or test) sets to choose the charge of an upto payment.
inline constexpr std::string_view kSettlementOverridesHeader = "Settlement-Overrides";

/// Whether |text| is an amount in one of the three forms; |problem| says why not.
bool IsChargeText(std::string_view text, std::string* problem);

/// |text| (IsChargeText) in atomic units of an asset with |decimals|, |maximum| being what the
/// payer authorized (the base of a percentage). nullopt when it does not read or exceeds
/// 2^256 - 1; it may exceed |maximum| (the settle step refuses that, as the reference does).
std::optional<Uint256> ResolveCharge(std::string_view text, const Uint256& maximum, int decimals);

/// The `amount` of a Settlement-Overrides header's JSON ({"amount": "50%"}); nullopt, with
/// |problem|, when the header is not such an object or the amount not a charge.
std::optional<std::string> ChargeFromOverridesHeader(std::string_view header, std::string* problem);

}  // namespace x402
