// What a cluster's simulateTransaction finds wrong with a payment transaction, on the mock's
// chain (solana_chain.h): the one evaluation behind the exact scheme's simulation row
// (exact_svm_rules.h) and the stand-in RPC's simulateTransaction (solana_rpc.h), so the mock's
// facilitator and a reference facilitator pointed at the mock's RPC find the same faults.
//
// In the order a validator meets them: a transaction too large to send or that does not
// sanitize (an RPC error before any simulation), its blockhash, address lookup tables (the
// mock's chain has none), then each TransferChecked as the token program runs it: the mint
// exists, the instruction runs under the mint's program, with its decimals, signed by the
// owner, moving writable accounts, from the owner's associated token account (the only token
// accounts the mock's chain holds), with enough balance.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "x402/svm/ed25519.h"
#include "x402/svm/solana_chain.h"
#include "x402/svm/transaction.h"

namespace x402::svm {

/// A mint on the mock's chain.
struct MintFacts {
  PublicKey program{};
  int decimals = 6;
};

struct SimulationInput {
  int64_t now = 0;
  /// simulateTransaction's replaceRecentBlockhash: the blockhash is not checked.
  bool replace_blockhash = false;
  /// The mint at an address, or nullopt when the chain holds none there.
  std::function<std::optional<MintFacts>(const PublicKey& mint)> mint;
  /// |owner|'s balance of |mint| in atomic units, nullopt when not tracked (no limit); unset:
  /// balances are not checked here (the settle step checks them, settle_step.h).
  std::function<std::optional<uint64_t>(const PublicKey& owner, const PublicKey& mint)> balance;
};

struct SimulationOutcome {
  /// What failed, in words (the RPC's log line); "" when the transaction would succeed.
  std::string problem;
  /// The RPC's answer: an `err` (null on success) …
  boost::json::value err;
  /// … or, for a transaction no node simulates (too large, not sane), a -32602 error instead.
  bool invalid_transaction = false;
  uint64_t units_consumed = 0;
};

SimulationOutcome SimulateTransaction(const Transaction& tx, const SolanaChain& chain, const SimulationInput& in);

}  // namespace x402::svm
