#include "x402/ledger.h"

#include "base/text.h"

namespace x402 {

Ledger::Outcome Ledger::Debit(std::string_view payer, AtomicAmount amount,
                              const LedgerConfig& config, Account* after) {
  const std::string key = ToLowerAscii(payer);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = accounts_.find(key);
  if (it == accounts_.end()) {
    std::optional<AtomicAmount> opening = config.starting_balance;
    if (auto named = config.balances.find(key); named != config.balances.end()) {
      opening = named->second;
    }
    if (!opening) return Outcome::kNotTracked;
    if (accounts_.size() >= kMaxAccounts) return Outcome::kFull;
    it = accounts_.emplace(key, Account{*opening, {}, 0}).first;
  }
  Account& account = it->second;
  if (account.balance < amount) {
    *after = account;
    return Outcome::kInsufficient;
  }
  account.balance.units -= amount.units;
  account.spent.units += amount.units;
  ++account.payments;
  *after = account;
  return Outcome::kDebited;
}

Ledger::Outcome Ledger::Look(std::string_view payer, AtomicAmount amount,
                             const LedgerConfig& config, Account* now) const {
  const std::string key = ToLowerAscii(payer);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = accounts_.find(key);
  if (it == accounts_.end()) {
    std::optional<AtomicAmount> opening = config.starting_balance;
    if (auto named = config.balances.find(key); named != config.balances.end()) {
      opening = named->second;
    }
    if (!opening) return Outcome::kNotTracked;
    if (accounts_.size() >= kMaxAccounts) return Outcome::kFull;
    *now = Account{*opening, {}, 0};
  } else {
    *now = it->second;
  }
  return now->balance < amount ? Outcome::kInsufficient : Outcome::kDebited;
}

std::string Ledger::RenderJson() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out = "{";
  for (const auto& [payer, account] : accounts_) {
    if (out.size() > 1) out += ',';
    out += "\"" + JsonEscape(payer) + "\":{\"balance\":\"" + FormatUsd(account.balance) +
           "\",\"spent\":\"" + FormatUsd(account.spent) +
           "\",\"payments\":" + std::to_string(account.payments) + "}";
  }
  out += '}';
  return out;
}

}  // namespace x402
