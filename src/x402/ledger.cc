#include "x402/ledger.h"

#include "base/text.h"

namespace x402 {
namespace {

// What |key| (a lower-case payer) starts with: its own configured balance, else everyone's;
// nullopt when the ledger does not track it.
std::optional<AtomicAmount> OpeningBalance(const std::string& key, const LedgerConfig& config) {
  if (auto named = config.balances.find(key); named != config.balances.end()) return named->second;
  return config.starting_balance;
}

}  // namespace

Ledger::Outcome Ledger::Debit(std::string_view payer, AtomicAmount amount,
                              const LedgerConfig& config, Account* after) {
  const std::string key = ToLowerAscii(payer);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = accounts_.find(key);
  if (it == accounts_.end()) {
    const std::optional<AtomicAmount> opening = OpeningBalance(key, config);
    if (!opening) return Outcome::kNotTracked;
    const bool named = config.balances.contains(key);
    if (!named && unnamed_accounts_ >= kMaxAccounts) return Outcome::kFull;
    it = accounts_.emplace(key, Account{*opening, {}, 0}).first;
    if (!named) ++unnamed_accounts_;
  }
  Account& account = it->second;
  if (account.balance < amount) {
    *after = account;
    return Outcome::kInsufficient;
  }
  account.balance.units = account.balance.units - amount.units;
  // Spent never exceeds what every balance held, which the config bounds far below 2^256.
  account.spent.units = account.spent.units.CheckedAdd(amount.units).value_or(Uint256::Max());
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
    const std::optional<AtomicAmount> opening = OpeningBalance(key, config);
    if (!opening) return Outcome::kNotTracked;
    if (!config.balances.contains(key) && unnamed_accounts_ >= kMaxAccounts) return Outcome::kFull;
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
