// UsedAuthorizations remembers the payment authorizations the mock has settled, so a replayed
// payment is refused as the chain refuses it (an EIP-3009 token's authorizationState(from,
// nonce) is true once transferWithAuthorization ran, for ever).
//
// An entry is kept for as long as the chain would refuse the authorization for having been
// used, which matters only while the authorization could otherwise still pay: until its
// validBefore. After that every facilitator refuses it as expired, so the entry can go. A live
// entry is never dropped to make room: when the set holds |capacity| live entries, a new
// payment is refused (kFull) instead of forgetting an old one, which an attacker could
// otherwise flush out to pay twice with it. The set's size is bounded by (rate × window): the
// settle step refuses an authorization whose validBefore is further ahead than the offer's
// maxTimeoutSeconds allows (settle_step.h).
//
// Only a 128-bit digest of the authorization is kept, with its expiry: ~80 bytes an entry with
// the containers' overhead, so the default 262 144 entries stay under ~21 MiB.
//
// Thread safety: every member may be called from any thread. Each shard has its own mutex and a
// digest picks its shard from its own bits, so threads settling different payments rarely wait
// for each other; the bound is on the whole set (one atomic count), not per shard, so filling
// one shard does not refuse payments that land in the others.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <queue>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace x402 {

class UsedAuthorizations {
 public:
  static constexpr std::size_t kShards = 16;
  /// The default bound (mock_server.replay_set_size).
  static constexpr std::size_t kDefaultCapacity = 1u << 18;

  struct Digest {
    uint64_t high = 0;
    uint64_t low = 0;
    friend bool operator==(const Digest&, const Digest&) = default;
  };
  static Digest DigestOf(std::string_view network, std::string_view asset, std::string_view from,
                         std::string_view nonce);

  enum class Outcome { kRecorded, kAlreadyUsed, kFull };

  /// Records |digest| as used until |expires| (Unix seconds). Entries whose expiry is not after
  /// |now| are dropped first. kAlreadyUsed (and nothing changes) when it is already recorded:
  /// the caller refuses the payment; checking and recording are one step, so of two concurrent
  /// settles of the same authorization exactly one succeeds. kFull when |capacity| live entries
  /// are held.
  Outcome Record(const Digest& digest, int64_t expires, int64_t now,
                 std::size_t capacity = kDefaultCapacity);
  /// Forgets |digest| (a settle that failed after Record(), e.g. on the ledger).
  void Forget(const Digest& digest);
  bool Contains(const Digest& digest) const;

  /// Entries held (live, or expired and not dropped yet).
  std::size_t size() const { return size_.load(std::memory_order_relaxed); }

 private:
  struct DigestHash {
    std::size_t operator()(const Digest& d) const { return static_cast<std::size_t>(d.low); }
  };
  using Expiry = std::pair<int64_t, Digest>;
  struct Later {
    bool operator()(const Expiry& a, const Expiry& b) const { return a.first > b.first; }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<Digest, int64_t, DigestHash> expires;  // digest → its expiry
    // Soonest expiry on top. May hold forgotten digests (or an old expiry of a digest recorded
    // again), which are skipped when they come up.
    std::priority_queue<Expiry, std::vector<Expiry>, Later> queue;
  };

  Shard& ShardOf(const Digest& d) { return shards_[d.high % kShards]; }
  const Shard& ShardOf(const Digest& d) const { return shards_[d.high % kShards]; }
  // Drops |shard|'s entries that expired by |now|. REQUIRES: shard.mutex held.
  void DropExpired(Shard& shard, int64_t now);
  // Takes one place in the bound; false when |capacity| are taken.
  bool Reserve(std::size_t capacity);
  // One attempt at recording under the shard's lock.
  Outcome TryRecord(Shard& shard, const Digest& digest, int64_t expires, int64_t now,
                    std::size_t capacity);

  std::atomic<std::size_t> size_{0};
  std::array<Shard, kShards> shards_;
};

}  // namespace x402
