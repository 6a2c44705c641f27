// The mock's stand-in for the chain: what a real facilitator learns only from on-chain state,
// kept in memory for the server's lifetime (outside the Paywall snapshot, so a reload keeps
// it; a restart resets it). The paywall and /facilitator/settle settle through Settle(), and
// /facilitator/verify (and a request in failure or timeout mode) look through CheckOnChainState(),
// so the three agree.
#pragma once

#include "x402/ledger.h"
#include "x402/payment.h"
#include "x402/requirements.h"
#include "x402/used_authorizations.h"
#include "x402/verification_mode.h"

namespace x402 {

/// Shared by every server thread; each member is thread-safe.
struct SettlementState {
  UsedAuthorizations used;
  Ledger ledger;
};

/// What a verify learns from the chain, without changing it: refuses |*verdict| (valid on
/// entry) when (strict) its authorization was already settled or (ledger on) its payer's
/// balance is below authorization.value, with the reason a real facilitator gives.
void CheckOnChainState(const SettlementState& state, Verification verification,
                       const LedgerConfig& ledger, const PaymentRequirements& req,
                       PaymentVerdict* verdict);

/// Settles |*verdict| (valid on entry) on the simulated chain: strict verification records its
/// authorization, refusing one already used; an enabled ledger debits authorization.value,
/// refusing a payment above the balance. On refusal |*verdict| becomes invalid, with the
/// reason and message, and nothing is recorded or debited.
void Settle(SettlementState& state, Verification verification, const LedgerConfig& ledger,
            const PaymentRequirements& req, PaymentVerdict* verdict);

}  // namespace x402
