#include "x402/settle_step.h"

#include "x402/exact_rules.h"

namespace x402 {
namespace {

UsedAuthorizations::Digest DigestOf(const PaymentRequirements& req, const PaymentVerdict& v) {
  // The token contract keys authorizationState by (from, nonce); the network and the asset make
  // the contract.
  return UsedAuthorizations::DigestOf(req.caip2, req.asset, v.payer, v.nonce);
}

void RefuseAsUsed(PaymentVerdict* verdict) {
  verdict->valid = false;
  verdict->reason = std::string(UsedAuthorizationReason(verdict->version));
  verdict->message = "authorization nonce " + verdict->nonce + " of " + verdict->payer +
                     " was already settled (on chain: authorizationState is true, "
                     "transferWithAuthorization reverts \"authorization is used or canceled\")";
}

void RefuseAsUnfunded(Ledger::Outcome outcome, const Ledger::Account& account, AtomicAmount value,
                      PaymentVerdict* verdict) {
  verdict->valid = false;
  verdict->reason = std::string(InsufficientFundsReason(verdict->version));
  verdict->message =
      outcome == Ledger::Outcome::kFull
          ? "the simulated ledger is full (" + std::to_string(Ledger::kMaxAccounts) +
                " payers); " + verdict->payer + " has no account"
          : verdict->payer + " has " + FormatUsd(account.balance) + " USD left, the payment is " +
                FormatUsd(value) + " USD (simulated ledger)";
}

}  // namespace

void CheckOnChainState(const SettlementState& state, Verification verification,
                       const LedgerConfig& ledger, const PaymentRequirements& req,
                       PaymentVerdict* verdict) {
  if (!verdict->valid) return;
  if (verification == Verification::kStrict && state.used.Contains(DigestOf(req, *verdict))) {
    RefuseAsUsed(verdict);
    return;
  }
  if (!ledger.enabled()) return;
  const AtomicAmount value = ParseAtomic(verdict->value).value_or(req.amount);
  Ledger::Account account;
  const Ledger::Outcome outcome = state.ledger.Look(verdict->payer, value, ledger, &account);
  if (outcome == Ledger::Outcome::kDebited || outcome == Ledger::Outcome::kNotTracked) return;
  RefuseAsUnfunded(outcome, account, value, verdict);
}

void Settle(SettlementState& state, Verification verification, const LedgerConfig& ledger,
            const PaymentRequirements& req, PaymentVerdict* verdict) {
  if (!verdict->valid) return;
  const bool strict = verification == Verification::kStrict;
  const UsedAuthorizations::Digest digest = DigestOf(req, *verdict);
  if (strict && !state.used.Record(digest)) {
    RefuseAsUsed(verdict);
    return;
  }
  if (!ledger.enabled()) return;
  const AtomicAmount value = ParseAtomic(verdict->value).value_or(req.amount);
  Ledger::Account account;
  const Ledger::Outcome outcome = state.ledger.Debit(verdict->payer, value, ledger, &account);
  if (outcome == Ledger::Outcome::kDebited || outcome == Ledger::Outcome::kNotTracked) return;
  if (strict) state.used.Forget(digest);  // not settled: the same authorization may pay later
  RefuseAsUnfunded(outcome, account, value, verdict);
}

}  // namespace x402
