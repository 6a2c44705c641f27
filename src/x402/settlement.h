// The settle response a successful (simulated) payment gets: X-PAYMENT-RESPONSE (v1) or
// PAYMENT-RESPONSE (v2), base64 of compact JSON (docs/protocol.md §6).
#pragma once

#include <string>
#include <string_view>

#include "x402/payment.h"
#include "x402/requirements.h"

namespace x402 {

/// What the failure simulation answers: x402's reasons for a settle or verify that failed
/// for a cause outside the payment (x402 1.2.0 ErrorReasons; @x402/core passes any string).
inline constexpr std::string_view kUnexpectedSettleError = "unexpected_settle_error";
inline constexpr std::string_view kUnexpectedVerifyError = "unexpected_verify_error";

/// {"success":true,"transaction":…,"network":…,"payer":…[,"amount":…]} for |verdict| (amount:
/// what was settled, the charge of an upto payment);
/// the network is the v1 name for version 1 and the CAIP-2 id for version 2. |transaction| is
/// the scheme's simulated transaction id (Scheme::SimulatedTransaction), which a caller that
/// shows it too computes only once.
std::string RenderSettlement(const PaymentVerdict& verdict, const PaymentRequirements& req,
                             std::string_view transaction);
/// The transaction id of settled |verdict| (its option set): its scheme's simulated one, or ""
/// for an upto payment charged nothing (no transaction is sent).
std::string SettledTransaction(const PaymentVerdict& verdict);
std::string RenderSettlement(const PaymentVerdict& verdict, const PaymentRequirements& req);

/// {"success":false,"errorReason":…[,"errorMessage":…],"transaction":…,"network":…[,"payer":…]}:
/// payer only when it is known, errorMessage (the words, as @x402/evm sends them next to the
/// reason value) only when |message| is not empty; |transaction| "" except for a settlement
/// that is pending (a broadcast transaction whose effect is not known yet).
std::string RenderFailedSettlement(const PaymentVerdict& verdict, const PaymentRequirements& req,
                                   std::string_view reason, std::string_view message = {},
                                   std::string_view transaction = {});

/// The non-terminal settle failure of the pending mode (@x402/evm settleReceipt.ts
/// settlementPendingResponse(); @x402/core's resource server retries it once:
/// isRetryableSettlementPendingResult() wants this reason and a transaction).
inline constexpr std::string_view kSettlementPending = "settlement_pending";

}  // namespace x402
