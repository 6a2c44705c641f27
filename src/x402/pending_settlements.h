// PendingSettlements: the payments the `pending` simulation mode settled but answered
// `settlement_pending`, so that the same payment settled again is reconciled against its
// transaction instead of being refused as a replay or charged twice.
//
// This is the mock's stand-in for @x402/core's PendingSettlementStore
// (src/facilitator/pendingSettlementStore.ts): a facilitator whose receipt wait failed records
// the broadcast transaction under a key of the payload (EIP-3009: its signature), and the next
// settle of the same payload (the resource server's single retry, settleWithPendingRetry() in
// src/server/x402ResourceServer.ts) finds it, removes it and answers success with that
// transaction (settleEIP3009() in @x402/evm's src/exact/facilitator/eip3009.ts). Entries live
// PENDING_SETTLEMENT_TTL_MS (5 minutes), as the reference's in-memory store keeps them.
//
// Bounded: at most kCapacity entries (~100 bytes each); when full, the oldest is forgotten. A
// forgotten payment is then refused as already used when it comes again, as the reference
// refuses one whose entry expired: never charged twice.
//
// Thread safety: every member may be called from any thread (one mutex; only the pending mode
// and a retried payment touch it, never the common paid path while it is empty).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "x402/used_authorizations.h"

namespace x402 {

class PendingSettlements {
 public:
  static constexpr std::size_t kCapacity = 4096;
  static constexpr int64_t kTtlSeconds = 300;

  using Key = UsedAuthorizations::Digest;

  /// Remembers that the payment |key| was settled with |transaction| at |now|.
  void Remember(const Key& key, std::string transaction, int64_t now);
  /// The transaction of the pending payment |key| (then forgotten: one reconciliation per
  /// pending answer, as the reference deletes its entry before reconciling), or nothing.
  std::optional<std::string> Take(const Key& key, int64_t now);
  /// How many are waiting (for status and the dashboard).
  std::size_t size() const;
  /// The insertion-order bookkeeping's length (tests: it stays bounded).
  std::size_t order_size_for_test() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return order_.size();
  }

 private:
  struct KeyHash {
    std::size_t operator()(const Key& k) const { return static_cast<std::size_t>(k.high ^ (k.low * 0x9e3779b97f4a7c15ULL)); }
  };
  struct Entry {
    std::string transaction;
    int64_t expires = 0;
  };
  // Drops the expired entries and, to |make_room|, the oldest until one more fits.
  void DropExpired(int64_t now, bool make_room);  // REQUIRES: mutex_ held

  mutable std::mutex mutex_;
  std::unordered_map<Key, Entry, KeyHash> entries_;
  std::deque<std::pair<Key, int64_t>> order_;  // insertion order, with each entry's expiry
  std::atomic<std::size_t> size_{0};            // read without the lock on the hot path
};

}  // namespace x402
