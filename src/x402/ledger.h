// Ledger simulates the payers' token balances, when the configuration asks for it
// (mock_server.ledger.*; off by default): every payer starts with a configured balance of every
// asset, every settled payment debits its payer's balance of the asset it paid with, and a
// payment above what is left is refused as the chain refuses it. Balances are kept per (payer,
// asset): paying USDC on Base does not spend USDC on Polygon. The configured balances are in
// USD, each asset being worth one USD (x402's default for USD stablecoins).
//
// It lives for the server's lifetime, outside the Paywall snapshot, so a reload keeps it (see
// Debit() for what a reload's new balances change) and a restart resets it.
//
// Thread safety: every member may be called from any thread (one mutex; the ledger is opt-in
// and its critical sections are a map lookup and two additions).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "x402/money.h"

namespace x402 {

/// What the configuration says about balances (part of PaywallConfig).
struct LedgerConfig {
  /// The opening balance in USD of every payer not in |balances|; unset: such payers are not
  /// tracked (they pay without limit).
  std::optional<AtomicAmount> starting_balance;
  /// Opening balances in USD of named payers; keys are accounts as their family compares them
  /// (EVM: lowercase).
  std::map<std::string, AtomicAmount> balances;
  /// Payers (canonical) whose ERC-20 allowance to the Permit2 contract is missing, on every
  /// token (mock_server.ledger.permit2_allowance_missing); |permit2_allowance_missing_for_all|:
  /// every payer's. Otherwise a payer has approved Permit2 for the tokens offers ask to pay
  /// through Permit2, and not for tokens offered by EIP-3009. Independent of the balances.
  /// (The only approval the mock simulates: the field names say so.)
  std::set<std::string> permit2_allowance_missing;
  bool permit2_allowance_missing_for_all = false;

  bool enabled() const { return starting_balance.has_value() || !balances.empty(); }
  friend bool operator==(const LedgerConfig&, const LedgerConfig&) = default;
};

/// An asset as the ledger keeps it: its CAIP-19 id ("eip155:84532/erc20:0x036c…", lowercase
/// address), symbol and decimals.
struct LedgerAsset {
  std::string id;
  std::string symbol;
  int decimals = 6;
};

class Ledger {
 public:
  /// At most this many accounts of payers the configuration does not name are tracked; a new
  /// one past it is refused (the ledger is full), so the ledger's memory is bounded whatever
  /// addresses clients send. Payers named in the configuration always get their accounts:
  /// strangers filling the ledger cannot lock them out.
  static constexpr std::size_t kMaxAccounts = 65'536;

  struct Account {
    AtomicAmount balance;  // in the asset's atomic units
    AtomicAmount spent;
    uint64_t payments = 0;
  };

  enum class Outcome { kDebited, kNotTracked, kInsufficient, kFull };

  /// Debits |amount| (the asset's atomic units) from |payer|'s (canonical) balance of |asset|.
  /// An account seen for the first time opens with its balance in |config| at that moment;
  /// after a reload, accounts already seen keep their running balance and new ones open with the
  /// new configuration. |*after| is the account after the debit, or as it stands when refused.
  Outcome Debit(std::string_view payer, const LedgerAsset& asset, AtomicAmount amount,
                const LedgerConfig& config, Account* after);
  /// What Debit() would answer, without debiting or opening an account (verify looks, only
  /// settle spends). |*now| is the account as it stands (or would open).
  Outcome Look(std::string_view payer, const LedgerAsset& asset, AtomicAmount amount,
               const LedgerConfig& config, Account* now) const;

  /// Whether |payer| (canonical) has approved the contract a payment spends through (Permit2):
  /// as |assumed| unless |config| lists the payer (or all payers) as without it. Approvals a
  /// payment brings (an EIP-2612 permit) are spent by that payment; none is remembered.
  static bool HasAllowance(std::string_view payer, bool assumed, const LedgerConfig& config);

  /// The payers with an account in an asset whose id starts with |asset_prefix| ("solana:"),
  /// with the asset's id; at most |max| of them, in order.
  std::vector<std::pair<std::string, std::string>> AccountsOf(std::string_view asset_prefix, std::size_t max) const;

  /// {"0xpayer":{"eip155:84532/erc20:0x…":{"symbol":"USDC","balance":"0.01","spent":"0.02",
  /// "payments":2},…},…}: amounts in the asset's units, payers and assets in order.
  std::string RenderJson() const;

 private:
  struct Entry {
    Account account;
    std::string symbol;
    int decimals = 6;
  };
  using Key = std::pair<std::string, std::string>;  // (payer, asset id)

  // The opening account of |payer| in |asset|, or nullopt when the ledger does not track it.
  static std::optional<Account> Opening(const std::string& payer, const LedgerAsset& asset,
                                        const LedgerConfig& config);

  mutable std::mutex mutex_;
  std::map<Key, Entry> accounts_;
  std::size_t unnamed_accounts_ = 0;  // of |accounts_|, opened for payers the config did not name
};

}  // namespace x402
