#include "x402/settle_step.h"

#include <algorithm>

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

// Strict only: refuses an authorization valid for longer than the offer allows (settle_step.h).
bool RefuseBeyondWindow(const PaymentRequirements& req, int64_t now, PaymentVerdict* verdict) {
  const int64_t window = AcceptedWindowSeconds(req);
  if (verdict->valid_before <= now + window) return false;
  verdict->valid = false;
  verdict->reason = "invalid_exact_evm_payload_authorization_valid_before";
  verdict->message = "validBefore " + std::to_string(verdict->valid_before) + " is " +
                     std::to_string(verdict->valid_before - now) +
                     " s ahead; the mock takes at most maxTimeoutSeconds (" +
                     std::to_string(req.max_timeout_seconds) + ") + " +
                     std::to_string(kClockSkewSeconds) +
                     " s, so that it can remember every used authorization until it expires "
                     "(the real clients sign exactly maxTimeoutSeconds)";
  return true;
}

void RefuseAsFull(const PaywallConfig& config, PaymentVerdict* verdict) {
  verdict->valid = false;
  verdict->mock_limit = true;
  // A reason both versions' schemas know; the words say it is the mock's own limit.
  verdict->reason = std::string(kUnexpectedSettleError);
  verdict->message = "the mock's replay set is full: " + std::to_string(config.replay_set_size) +
                     " used authorizations that have not expired yet; it refuses new payments "
                     "rather than forget one (that would let it pay twice). Raise "
                     "mock_server.replay_set_size, or lower mock_server.max_timeout_seconds";
}

}  // namespace

int64_t AcceptedWindowSeconds(const PaymentRequirements& req) {
  return std::min<int64_t>(req.max_timeout_seconds, kMaxAcceptedWindowSeconds) + kClockSkewSeconds;
}

void CheckOnChainState(const SettlementState& state, const PaywallConfig& config, int64_t now,
                       const PaymentRequirements& req, PaymentVerdict* verdict) {
  if (!verdict->valid) return;
  const bool strict = config.verification == Verification::kStrict;
  if (strict && RefuseBeyondWindow(req, now, verdict)) return;
  if (strict && state.used.Contains(DigestOf(req, *verdict))) {
    RefuseAsUsed(verdict);
    return;
  }
  const LedgerConfig& ledger = config.ledger;
  if (!ledger.enabled()) return;
  const AtomicAmount value = ParseAtomic(verdict->value).value_or(req.amount);
  Ledger::Account account;
  const Ledger::Outcome outcome = state.ledger.Look(verdict->payer, value, ledger, &account);
  if (outcome == Ledger::Outcome::kDebited || outcome == Ledger::Outcome::kNotTracked) return;
  RefuseAsUnfunded(outcome, account, value, verdict);
}

void Settle(SettlementState& state, const PaywallConfig& config, int64_t now,
            const PaymentRequirements& req, PaymentVerdict* verdict) {
  if (!verdict->valid) return;
  const bool strict = config.verification == Verification::kStrict;
  // Only strict verification remembers authorizations: shape mode hashes nothing.
  const UsedAuthorizations::Digest digest = strict ? DigestOf(req, *verdict) : UsedAuthorizations::Digest{};
  if (strict) {
    if (RefuseBeyondWindow(req, now, verdict)) return;
    switch (state.used.Record(digest, verdict->valid_before, now, config.replay_set_size)) {
      case UsedAuthorizations::Outcome::kRecorded: break;
      case UsedAuthorizations::Outcome::kAlreadyUsed: RefuseAsUsed(verdict); return;
      case UsedAuthorizations::Outcome::kFull: RefuseAsFull(config, verdict); return;
    }
  }
  const LedgerConfig& ledger = config.ledger;
  if (!ledger.enabled()) return;
  const AtomicAmount value = ParseAtomic(verdict->value).value_or(req.amount);
  Ledger::Account account;
  const Ledger::Outcome outcome = state.ledger.Debit(verdict->payer, value, ledger, &account);
  if (outcome == Ledger::Outcome::kDebited || outcome == Ledger::Outcome::kNotTracked) return;
  if (strict) state.used.Forget(digest);  // not settled: the same authorization may pay later
  RefuseAsUnfunded(outcome, account, value, verdict);
}

}  // namespace x402
