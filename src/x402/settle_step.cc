#include "x402/settle_step.h"

#include <algorithm>

#include "x402/settlement.h"
#include "x402/scheme.h"

namespace x402 {
namespace {

void RefuseAsUsed(PaymentVerdict* verdict) {
  verdict->valid = false;
  verdict->reason = std::string(verdict->option->scheme_impl->UsedReason(verdict->version));
  verdict->message = "this payment of " + verdict->payer +
                     " was already settled: the same signed authorization was used before, and the "
                     "chain refuses it a second time";
}

void RefuseAsUnfunded(Ledger::Outcome outcome, const Ledger::Account& account, AtomicAmount value,
                      PaymentVerdict* verdict) {
  const PaymentRequirements& option = *verdict->option;
  verdict->valid = false;
  verdict->reason = std::string(option.scheme_impl->InsufficientFundsReason(verdict->version));
  const std::string symbol = " " + option.asset_symbol;
  verdict->message =
      outcome == Ledger::Outcome::kFull
          ? "the simulated ledger is full (" + std::to_string(Ledger::kMaxAccounts) + " accounts); " +
                verdict->payer + " has no account"
          : verdict->payer + " has " + FormatUnits(account.balance.units, option.asset_decimals) + symbol +
                " left, the payment is " + FormatUnits(value.units, option.asset_decimals) + symbol +
                " (simulated ledger)";
}

std::string CanonicalPayer(const PaymentVerdict& verdict) {
  return verdict.option->scheme_impl->CanonicalAccount(verdict.payer);
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

LedgerAsset LedgerAssetOf(const PaymentRequirements& option) {
  const std::string address =
      option.scheme_impl != nullptr ? option.scheme_impl->CanonicalAccount(option.asset) : option.asset;
  const std::string kind = option.caip2.rfind("eip155:", 0) == 0 ? "erc20" : "token";
  return LedgerAsset{option.caip2 + "/" + kind + ":" + address, option.asset_symbol, option.asset_decimals};
}

void CheckOnChainState(const SettlementState& state, const PaywallConfig& config, int64_t now,
                       PaymentVerdict* verdict) {
  if (!verdict->valid) return;
  const PaymentRequirements& req = *verdict->option;
  const bool strict = config.verification == Verification::kStrict;
  if (strict && RefuseBeyondWindow(req, now, verdict)) return;
  if (strict && state.used.Contains(verdict->replay_key)) {
    RefuseAsUsed(verdict);
    return;
  }
  const LedgerConfig& ledger = config.ledger;
  if (!ledger.enabled() || !req.asset_in_table) return;  // a token the table lacks: not tracked
  const AtomicAmount value = ParseAtomic(verdict->amount).value_or(req.amount);
  Ledger::Account account;
  const Ledger::Outcome outcome =
      state.ledger.Look(CanonicalPayer(*verdict), LedgerAssetOf(req), value, ledger, &account);
  if (outcome == Ledger::Outcome::kDebited || outcome == Ledger::Outcome::kNotTracked) return;
  RefuseAsUnfunded(outcome, account, value, verdict);
}

void Settle(SettlementState& state, const PaywallConfig& config, int64_t now, PaymentVerdict* verdict) {
  if (!verdict->valid) return;
  const PaymentRequirements& req = *verdict->option;
  const bool strict = config.verification == Verification::kStrict;
  const UsedAuthorizations::Digest digest = verdict->replay_key;
  if (strict) {
    if (RefuseBeyondWindow(req, now, verdict)) return;
    switch (state.used.Record(digest, verdict->valid_before, now, config.replay_set_size)) {
      case UsedAuthorizations::Outcome::kRecorded: break;
      case UsedAuthorizations::Outcome::kAlreadyUsed: RefuseAsUsed(verdict); return;
      case UsedAuthorizations::Outcome::kFull: RefuseAsFull(config, verdict); return;
    }
  }
  const LedgerConfig& ledger = config.ledger;
  if (!ledger.enabled() || !req.asset_in_table) return;  // a token the table lacks: not tracked
  const AtomicAmount value = ParseAtomic(verdict->amount).value_or(req.amount);
  Ledger::Account account;
  const Ledger::Outcome outcome =
      state.ledger.Debit(CanonicalPayer(*verdict), LedgerAssetOf(req), value, ledger, &account);
  if (outcome == Ledger::Outcome::kDebited || outcome == Ledger::Outcome::kNotTracked) return;
  if (strict) state.used.Forget(digest);  // not settled: the same authorization may pay later
  RefuseAsUnfunded(outcome, account, value, verdict);
}

}  // namespace x402
