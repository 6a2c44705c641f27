// Ledger simulates the payers' token balances, when the configuration asks for it
// (mock_server.ledger.*; off by default): every payer starts with a configured balance, every
// settled payment debits it, and a payment above what is left is refused as the chain refuses
// it. It lives for the server's lifetime, outside the Paywall snapshot, so a reload keeps it
// (see Debit() for what a reload's new balances change) and a restart resets it.
//
// Thread safety: every member may be called from any thread (one mutex; the ledger is opt-in
// and its critical sections are a map lookup and two additions).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "x402/money.h"

namespace x402 {

/// What the configuration says about balances (part of PaywallConfig).
struct LedgerConfig {
  /// The opening balance of every payer not in |balances|; unset: such payers are not
  /// tracked (they pay without limit).
  std::optional<AtomicAmount> starting_balance;
  /// Opening balances of named payers; keys are lowercase addresses.
  std::map<std::string, AtomicAmount> balances;

  bool enabled() const { return starting_balance.has_value() || !balances.empty(); }
  friend bool operator==(const LedgerConfig&, const LedgerConfig&) = default;
};

class Ledger {
 public:
  /// At most this many payers the configuration does not name are tracked; a new one past it
  /// is refused (the ledger is full), so the ledger's memory is bounded whatever addresses
  /// clients send. Payers named in the configuration always get their account: strangers
  /// filling the ledger cannot lock them out.
  static constexpr std::size_t kMaxAccounts = 65'536;

  struct Account {
    AtomicAmount balance;
    AtomicAmount spent;
    uint64_t payments = 0;
  };

  enum class Outcome { kDebited, kNotTracked, kInsufficient, kFull };

  /// Debits |amount| from |payer| (any case). A payer seen for the first time opens with its
  /// balance in |config| at that moment; after a reload, payers already seen keep their
  /// running balance and new ones open with the new configuration. |*after| is the account
  /// after the debit, or as it stands when the debit is refused.
  Outcome Debit(std::string_view payer, AtomicAmount amount, const LedgerConfig& config,
                Account* after);
  /// What Debit() would answer, without debiting or opening an account (verify looks, only
  /// settle spends). |*now| is the account as it stands (or would open).
  Outcome Look(std::string_view payer, AtomicAmount amount, const LedgerConfig& config,
               Account* now) const;

  /// {"0xpayer":{"balance":"0.01","spent":"0.02","payments":2},…}: amounts in USD, payers
  /// lowercase, in address order.
  std::string RenderJson() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Account> accounts_;
  std::size_t unnamed_accounts_ = 0;  // of |accounts_|, opened for payers the config did not name
};

}  // namespace x402
