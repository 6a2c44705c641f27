// The mock's stand-in for the chain: what a real facilitator learns only from on-chain state,
// kept in memory for the server's lifetime (outside the Paywall snapshot, so a reload keeps
// it; a restart resets it). The paywall and /facilitator/settle settle through Settle(), and
// /facilitator/verify (and a request in failure or timeout mode) look through CheckOnChainState(),
// so the three agree.
#pragma once

#include "x402/extensions/bazaar.h"
#include "x402/extensions/payment_identifier.h"
#include "x402/extensions/sign_in_with_x.h"
#include "x402/ledger.h"
#include "x402/payment.h"
#include "x402/pending_settlements.h"
#include "x402/paywall_config.h"
#include "x402/requirements.h"
#include "x402/used_authorizations.h"
#include "x402/verification_mode.h"

namespace x402 {

/// Shared by every server thread; each member is thread-safe.
struct SettlementState {
  UsedAuthorizations used;
  Ledger ledger;
  /// Payments the pending mode settled and answered settlement_pending.
  PendingSettlements pending;
  /// The answers given to payments that named themselves (payment-identifier).
  PaymentIdentifierStore payment_ids;
  /// The resources the mock facilitator has seen declared discoverable (bazaar).
  BazaarCatalog bazaar;
  /// Who paid for which sign-in-with-x route, and the nonces signed in with.
  SiwxPayments siwx_paid;
  SiwxNonces siwx_nonces;
};

/// The longest an authorization may stay valid, beyond now, for the mock to take it: the
/// offer's maxTimeoutSeconds (capped at a day) plus kClockSkewSeconds. The real clients set
/// validBefore = now + maxTimeoutSeconds, so they always pass; an authorization valid for
/// longer would make the replay set hold its entry that much longer (used_authorizations.h),
/// so it is refused instead (strict only).
inline constexpr int64_t kClockSkewSeconds = 60;
inline constexpr int64_t kMaxAcceptedWindowSeconds = 86'400;
int64_t AcceptedWindowSeconds(const PaymentRequirements& req);

/// What a verify learns from the chain, without changing it: refuses |*verdict| (valid on
/// entry, its option and chain reasons set) when (strict) its validBefore is beyond the
/// accepted window or it was already settled, (ledger on) its payer's balance of the asset is
/// below its amount, or (Permit2) the payer's allowance to Permit2 is missing, in the order and
/// with the reasons a real facilitator's verify gives (verdict->chain).
void CheckOnChainState(const SettlementState& state, const PaywallConfig& config, int64_t now,
                       PaymentVerdict* verdict);

/// Who settles: the paywall, which stands for a resource server that verified first (a
/// refusal is worded as that verify words it), or /facilitator/settle (worded as settle).
enum class Settler { kResourceServer, kFacilitator };

/// Settles |*verdict| (valid on entry, its option and chain reasons set) on the simulated chain,
/// after the checks of CheckOnChainState(): strict verification records its replay key until
/// its validBefore, refusing one already used and any when the replay set is full of live
/// entries (mock_limit set); an enabled ledger debits what it settles (an upto payment's
/// charge) from the payer's balance of the asset. An upto payment charged 0 settles nothing
/// (no transaction, its nonce stays unused); one charged above its maximum is refused. On
/// refusal |*verdict| becomes invalid, with the reason and message, and nothing is recorded
/// or debited.
void Settle(SettlementState& state, const PaywallConfig& config, int64_t now, PaymentVerdict* verdict,
            Settler settler = Settler::kResourceServer);

/// The ledger's name for |option|'s asset: its CAIP-19 id, symbol and decimals.
LedgerAsset LedgerAssetOf(const PaymentRequirements& option);

}  // namespace x402
