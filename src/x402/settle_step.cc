#include "x402/settle_step.h"

#include <algorithm>

#include "x402/settlement.h"
#include "x402/json_fields.h"
#include "x402/scheme.h"

namespace x402 {
namespace {

// A verdict's chain reasons; a scheme that set none gets x402's generic ones rather than a crash.
const ChainReasons& ReasonsOf(const PaymentVerdict& verdict) {
  static constexpr ChainReasons kGeneric = {
      .used_at_verify = "invalid_transaction_state",
      .used_at_settle = "invalid_transaction_state",
      .unfunded_at_verify = "insufficient_funds",
      .unfunded_at_settle = "insufficient_funds",
      .no_allowance_at_verify = "insufficient_funds",
      .no_allowance_at_settle = "insufficient_funds",
      .beyond_window = "invalid_payload",
      .charge_exceeds = "invalid_payload",
      .reverted_at_verify = "invalid_transaction_state",
      .amount_mismatch = "invalid_payload",
      .funds_before_nonce = false,
      .settle_funds_before_nonce = false,
      .settle_simulates = false,
      .unreachable_at_verify = "unexpected_verify_error",
      .unreachable_message = "",
  };
  return verdict.chain != nullptr ? *verdict.chain : kGeneric;
}

// The reason of a refusal at |settle| (else at verify).
std::string_view Pick(bool settle, std::string_view at_verify, std::string_view at_settle) {
  return settle ? at_settle : at_verify;
}

void Refuse(PaymentVerdict* verdict, std::string_view reason, std::string message) {
  verdict->valid = false;
  verdict->reason = std::string(reason);
  verdict->message = std::move(message);
}

void RefuseAsUsed(PaymentVerdict* verdict, bool settle) {
  const ChainReasons& chain = ReasonsOf(*verdict);
  Refuse(verdict, Pick(settle, chain.used_at_verify, chain.used_at_settle),
         "this payment of " + verdict->payer +
             " was already settled: the same signed authorization (EVM: its nonce; Solana: the same "
             "transaction message) was used before, and the chain refuses it a second time");
}

void RefuseAsUnfunded(Ledger::Outcome outcome, const Ledger::Account& account, AtomicAmount value,
                      PaymentVerdict* verdict, bool settle) {
  const PaymentRequirements& option = *verdict->option;
  const std::string symbol = " " + option.asset_symbol;
  Refuse(verdict, Pick(settle, ReasonsOf(*verdict).unfunded_at_verify, ReasonsOf(*verdict).unfunded_at_settle),
         outcome == Ledger::Outcome::kFull
             ? "the simulated ledger is full (" + std::to_string(Ledger::kMaxAccounts) + " accounts); " +
                   verdict->payer + " has no account"
             : verdict->payer + " has " + FormatUnits(account.balance.units, option.asset_decimals) + symbol +
                   " left, the payment is " + FormatUnits(value.units, option.asset_decimals) + symbol +
                   " (simulated ledger)");
}

std::string CanonicalPayer(const PaymentVerdict& verdict) {
  return verdict.option->scheme_impl->CanonicalAccount(verdict.payer);
}

// Strict only: refuses an authorization valid for longer than the offer allows (settle_step.h).
bool RefuseBeyondWindow(const PaymentRequirements& req, int64_t now, PaymentVerdict* verdict) {
  // A scheme whose expiry the mock sets itself (Solana: its own blockhash's) has no such limit.
  if (ReasonsOf(*verdict).beyond_window.empty()) return false;
  const int64_t window = AcceptedWindowSeconds(req);
  if (verdict->valid_before <= now + window) return false;
  verdict->mock_limit = true;  // the mock's own limit: logged as a warning
  Refuse(verdict, ReasonsOf(*verdict).beyond_window,
         "the authorization is valid until " + std::to_string(verdict->valid_before) + ", " +
             std::to_string(verdict->valid_before - now) +
             " s ahead; the mock takes at most maxTimeoutSeconds (" + std::to_string(req.max_timeout_seconds) +
             ") + " + std::to_string(kClockSkewSeconds) +
             " s, so that it can remember every used authorization until it expires "
             "(the real clients sign exactly maxTimeoutSeconds)");
  return true;
}

void RefuseAsFull(const PaywallConfig& config, PaymentVerdict* verdict) {
  // A reason both versions' schemas know; the words say it is the mock's own limit.
  Refuse(verdict, kUnexpectedSettleError,
         "the mock's replay set is full: " + std::to_string(config.replay_set_size) +
             " used authorizations that have not expired yet; it refuses new payments "
             "rather than forget one (that would let it pay twice). Raise "
             "mock_server.replay_set_size, or lower mock_server.max_timeout_seconds");
  verdict->mock_limit = true;
}

// The payer's approval of the contract the payment spends through (Permit2), unless the
// payment brings one the token accepts (and that was not used before). Refuses and returns
// true when it is missing.
bool RefuseWithoutAllowance(const SettlementState& state, const PaywallConfig& config, PaymentVerdict* verdict,
                            bool settle) {
  const PaymentVerdict::Allowance& allowance = verdict->allowance;
  if (!allowance.needed) return false;
  if (allowance.brought && !state.used.Contains(allowance.permit_key)) return false;
  if (Ledger::HasAllowance(CanonicalPayer(*verdict), allowance.assumed, config.ledger)) return false;
  const PaymentRequirements& req = *verdict->option;
  Refuse(verdict, Pick(settle, ReasonsOf(*verdict).no_allowance_at_verify, ReasonsOf(*verdict).no_allowance_at_settle),
         verdict->payer + " has not approved " + allowance.spender + " to spend " + req.asset_symbol + " (simulated: " +
             (allowance.assumed ? std::string("mock_server.ledger.permit2_allowance_missing lists it")
                                : std::string("the offer does not ask for this way of paying, so no approval is assumed")) +
             (allowance.brought ? "; the permit it brings was used before" : "") + "); " + allowance.hint);
  return true;
}

// The ledger's look at the payer's balance (verify: without spending). True when refused.
bool RefuseUnfunded(const SettlementState& state, const PaywallConfig& config, PaymentVerdict* verdict,
                    bool settle) {
  const PaymentRequirements& req = *verdict->option;
  if (!config.ledger.enabled() || !req.asset_in_table) return false;  // a token the table lacks: not tracked
  // The reference simulates with the most the payment can move (an upto payment's maximum).
  const AtomicAmount value = ParseAtomic(verdict->amount).value_or(req.amount);
  Ledger::Account account;
  const Ledger::Outcome outcome =
      state.ledger.Look(CanonicalPayer(*verdict), LedgerAssetOf(req), value, config.ledger, &account);
  if (outcome == Ledger::Outcome::kDebited || outcome == Ledger::Outcome::kNotTracked) return false;
  RefuseAsUnfunded(outcome, account, value, verdict, settle);
  return true;
}

// Everything a step asks the chain, in its reference's order. A step that |simulates| (verify,
// and a settle that simulates first) diagnoses a failed simulation; one that sends the
// transaction meets the contract's own checks first. True when refused.
bool RefuseOnChain(const SettlementState& state, const PaywallConfig& config, PaymentVerdict* verdict, bool settle,
                   bool nonce_first, bool simulates) {
  const bool strict = config.verification == Verification::kStrict;
  auto used = [&] {
    if (!strict || !state.used.Contains(verdict->replay_key)) return false;
    RefuseAsUsed(verdict, settle);
    return true;
  };
  auto reverts = [&](std::string_view reason) {
    if (verdict->revert_reason.empty()) return false;
    Refuse(verdict, reason, verdict->revert_message);
    return true;
  };
  if (!simulates && reverts(verdict->revert_reason)) return true;
  if (nonce_first && used()) return true;
  if (RefuseUnfunded(state, config, verdict, settle)) return true;
  if (RefuseWithoutAllowance(state, config, verdict, settle)) return true;
  if (simulates && reverts(ReasonsOf(*verdict).reverted_at_verify)) return true;
  return !nonce_first && used();
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
  if (config.verification == Verification::kStrict && RefuseBeyondWindow(*verdict->option, now, verdict)) return;
  RefuseOnChain(state, config, verdict, /*settle=*/false, !ReasonsOf(*verdict).funds_before_nonce, /*simulates=*/true);
}

void Settle(SettlementState& state, const PaywallConfig& config, int64_t now, PaymentVerdict* verdict,
            Settler settler) {
  if (!verdict->valid) return;
  const PaymentRequirements& req = *verdict->option;
  const bool strict = config.verification == Verification::kStrict;
  const bool settle = settler == Settler::kFacilitator;
  const ChainReasons& chain = ReasonsOf(*verdict);
  if (strict && RefuseBeyondWindow(req, now, verdict)) return;
  // The paywall stands for a resource server whose verify came first: its order. A
  // facilitator's settle checks in its own (ChainReasons).
  const bool nonce_first = !(settle ? chain.settle_funds_before_nonce : chain.funds_before_nonce);
  const bool simulates = !settle || chain.settle_funds_before_nonce || chain.settle_simulates;
  if (RefuseOnChain(state, config, verdict, settle, nonce_first, simulates)) return;
  if (verdict->up_to) {
    // settleUptoPermit2(): nothing to send for a zero charge; more than authorized is refused.
    const auto charge = ParseAtomic(verdict->charge);
    const auto authorized = ParseAtomic(verdict->amount);
    if (charge && charge->units.IsZero()) return;
    if (!charge || !authorized || authorized->units < charge->units) {
      Refuse(verdict, chain.charge_exceeds,
             "the charge " + verdict->charge + " is more than the " + verdict->amount + " the payer authorized (" +
                 FormatUnits(authorized.value_or(AtomicAmount{}).units, req.asset_decimals) + " " + req.asset_symbol + ")");
      return;
    }
  }
  const UsedAuthorizations::Digest digest = verdict->replay_key;
  if (strict) {
    switch (state.used.Record(digest, verdict->valid_before, now, config.replay_set_size)) {
      case UsedAuthorizations::Outcome::kRecorded: break;
      case UsedAuthorizations::Outcome::kAlreadyUsed: RefuseAsUsed(verdict, settle); return;
      case UsedAuthorizations::Outcome::kFull: RefuseAsFull(config, verdict); return;
    }
  }
  const LedgerConfig& ledger = config.ledger;
  if (ledger.enabled() && req.asset_in_table) {  // a token the table lacks: not tracked
    const AtomicAmount value = ParseAtomic(verdict->settled_amount()).value_or(req.amount);
    Ledger::Account account;
    const Ledger::Outcome outcome =
        state.ledger.Debit(CanonicalPayer(*verdict), LedgerAssetOf(req), value, ledger, &account);
    if (outcome != Ledger::Outcome::kDebited && outcome != Ledger::Outcome::kNotTracked) {
      if (strict) state.used.Forget(digest);  // not settled: the same authorization may pay later
      RefuseAsUnfunded(outcome, account, value, verdict, settle);
      return;
    }
  }
  // The permit the payment brought is used now (its token's nonce): a second payment that
  // brings it again gets no approval from it. Best effort: a full set only forgets it sooner.
  if (verdict->allowance.brought) {
    (void)state.used.Record(verdict->allowance.permit_key, std::min(verdict->allowance.permit_expires, verdict->valid_before),
                            now, config.replay_set_size);
  }
}

}  // namespace x402
