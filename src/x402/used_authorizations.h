// UsedAuthorizations remembers the EIP-3009 authorizations the mock has settled, so a replayed
// payment is refused as the token contract refuses it on chain (authorizationState(from,
// nonce) is true once transferWithAuthorization ran).
//
// An authorization is (network, asset, from, nonce), addresses in any case. Only a 128-bit
// digest of it is kept (SHA-256, truncated): 16 bytes a payment instead of ~170 bytes of text;
// two different authorizations collide with probability ~2^-128 · n².
//
// Memory is bounded: at most |capacity| digests, split into kShards shards of capacity /
// kShards each. A full shard forgets its oldest digest (FIFO) to take a new one, so a payment
// replayed after that many newer ones in its shard is accepted again; strict verification
// still refuses it once its validBefore has passed (max_timeout_seconds, 300 s by default).
//
// Thread safety: every member may be called from any thread. Each shard has its own mutex and
// a digest picks its shard from its own bits, so threads settling different payments rarely
// wait for each other.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_set>

namespace x402 {

class UsedAuthorizations {
 public:
  static constexpr std::size_t kShards = 16;
  /// The default bound: 262 144 authorizations, about 16 MiB with the sets' overhead.
  static constexpr std::size_t kDefaultCapacity = 1u << 18;

  explicit UsedAuthorizations(std::size_t capacity = kDefaultCapacity);

  struct Digest {
    uint64_t high = 0;
    uint64_t low = 0;
    friend bool operator==(const Digest&, const Digest&) = default;
  };
  static Digest DigestOf(std::string_view network, std::string_view asset, std::string_view from,
                         std::string_view nonce);

  /// Records |digest| as used. False (and nothing changes) when it already was: the caller
  /// refuses the payment. Checking and recording are one step, so of two concurrent settles
  /// of the same authorization exactly one succeeds.
  bool Record(const Digest& digest);
  /// Forgets |digest| (a settle that failed after Record(), e.g. on the ledger).
  void Forget(const Digest& digest);
  bool Contains(const Digest& digest) const;

  std::size_t size() const;
  std::size_t capacity() const { return shard_capacity_ * kShards; }

 private:
  struct DigestHash {
    std::size_t operator()(const Digest& d) const { return static_cast<std::size_t>(d.low); }
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_set<Digest, DigestHash> set;
    std::deque<Digest> order;  // oldest first; may hold forgotten digests, skipped on eviction
  };
  Shard& ShardOf(const Digest& d) { return shards_[d.high % kShards]; }
  const Shard& ShardOf(const Digest& d) const { return shards_[d.high % kShards]; }

  std::size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

}  // namespace x402
