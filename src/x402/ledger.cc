#include "x402/ledger.h"

#include "base/text.h"

namespace x402 {

std::optional<Ledger::Account> Ledger::Opening(const std::string& payer, const LedgerAsset& asset,
                                               const LedgerConfig& config) {
  std::optional<AtomicAmount> usd;
  if (auto named = config.balances.find(payer); named != config.balances.end()) {
    usd = named->second;
  } else {
    usd = config.starting_balance;
  }
  if (!usd) return std::nullopt;
  // An asset that cannot hold the exact amount (fewer than 6 decimals) opens with what it can.
  Uint256 units = usd->units;
  if (asset.decimals < kAssetDecimals) {
    for (int i = asset.decimals; i < kAssetDecimals; ++i) (void)units.DivMod(10);
  } else {
    units = UsdToAssetUnits(*usd, asset.decimals).value_or(Uint256::Max());
  }
  return Account{AtomicAmount{units}, {}, 0};
}

Ledger::Outcome Ledger::Debit(std::string_view payer, const LedgerAsset& asset, AtomicAmount amount,
                              const LedgerConfig& config, Account* after) {
  Key key{std::string(payer), asset.id};
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = accounts_.find(key);
  if (it == accounts_.end()) {
    const std::optional<Account> opening = Opening(key.first, asset, config);
    if (!opening) return Outcome::kNotTracked;
    const bool named = config.balances.contains(key.first);
    if (!named && unnamed_accounts_ >= kMaxAccounts) return Outcome::kFull;
    it = accounts_.emplace(std::move(key), Entry{*opening, asset.symbol, asset.decimals}).first;
    if (!named) ++unnamed_accounts_;
  }
  Account& account = it->second.account;
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

Ledger::Outcome Ledger::Look(std::string_view payer, const LedgerAsset& asset, AtomicAmount amount,
                             const LedgerConfig& config, Account* now) const {
  const Key key{std::string(payer), asset.id};
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = accounts_.find(key);
  if (it == accounts_.end()) {
    const std::optional<Account> opening = Opening(key.first, asset, config);
    if (!opening) return Outcome::kNotTracked;
    if (!config.balances.contains(key.first) && unnamed_accounts_ >= kMaxAccounts) return Outcome::kFull;
    *now = *opening;
  } else {
    *now = it->second.account;
  }
  return now->balance < amount ? Outcome::kInsufficient : Outcome::kDebited;
}

bool Ledger::HasAllowance(std::string_view payer, bool assumed, const LedgerConfig& config) {
  return assumed && !config.permit2_allowance_missing_for_all &&
         !config.permit2_allowance_missing.contains(std::string(payer));
}

std::vector<std::pair<std::string, std::string>> Ledger::AccountsOf(std::string_view asset_prefix,
                                                                    std::size_t max) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, entry] : accounts_) {
    if (out.size() >= max) break;
    if (key.second.compare(0, asset_prefix.size(), asset_prefix) == 0) out.push_back(key);
  }
  return out;
}

std::string Ledger::RenderJson() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out = "{";
  const std::string* payer = nullptr;
  for (const auto& [key, entry] : accounts_) {
    if (payer == nullptr || *payer != key.first) {
      if (payer != nullptr) out += "},";
      out += "\"" + JsonEscape(key.first) + "\":{";
      payer = &key.first;
    } else {
      out += ',';
    }
    const Account& a = entry.account;
    out += "\"" + JsonEscape(key.second) + "\":{\"symbol\":\"" + JsonEscape(entry.symbol) +
           "\",\"balance\":\"" + FormatUnits(a.balance.units, entry.decimals) + "\",\"spent\":\"" +
           FormatUnits(a.spent.units, entry.decimals) + "\",\"payments\":" + std::to_string(a.payments) + "}";
  }
  if (payer != nullptr) out += '}';
  out += '}';
  return out;
}

}  // namespace x402
