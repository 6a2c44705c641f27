#include "x402/used_authorizations.h"

#include <array>

#include "base/text.h"
#include "x402/sha256.h"

namespace x402 {

UsedAuthorizations::Digest UsedAuthorizations::DigestOf(std::string_view network,
                                                        std::string_view asset,
                                                        std::string_view from,
                                                        std::string_view nonce) {
  // Addresses and hex are case-insensitive on chain; '\n' keeps the fields apart. Lowered into
  // one buffer on the stack (an EVM authorization's fields are ~170 bytes): this runs for every
  // paid request.
  std::array<char, 512> stack;
  std::string heap;
  const std::size_t size = network.size() + asset.size() + from.size() + nonce.size() + 4;
  char* out = size <= stack.size() ? stack.data() : (heap.resize(size), heap.data());
  char* at = out;
  for (std::string_view field : {network, asset, from, nonce}) {
    for (char c : field) *at++ = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    *at++ = '\n';
  }
  const Hash32 bytes = Sha256({BytesOf(std::string_view(out, size))});
  Digest d;
  for (int i = 0; i < 8; ++i) d.high = (d.high << 8) | bytes[static_cast<std::size_t>(i)];
  for (int i = 8; i < 16; ++i) d.low = (d.low << 8) | bytes[static_cast<std::size_t>(i)];
  return d;
}

void UsedAuthorizations::DropExpired(Shard& shard, int64_t now) {
  while (!shard.queue.empty() && shard.queue.top().first <= now) {
    const Expiry top = shard.queue.top();
    shard.queue.pop();
    const auto it = shard.expires.find(top.second);
    // Only the entry this expiry belongs to: not one forgotten, nor one recorded again since.
    if (it != shard.expires.end() && it->second == top.first) {
      shard.expires.erase(it);
      size_.fetch_sub(1, std::memory_order_relaxed);
    }
  }
}

bool UsedAuthorizations::Reserve(std::size_t capacity) {
  std::size_t held = size_.load(std::memory_order_relaxed);
  do {
    if (held >= capacity) return false;
  } while (!size_.compare_exchange_weak(held, held + 1, std::memory_order_relaxed));
  return true;
}

UsedAuthorizations::Outcome UsedAuthorizations::TryRecord(Shard& shard, const Digest& digest,
                                                          int64_t expires, int64_t now,
                                                          std::size_t capacity) {
  std::lock_guard<std::mutex> lock(shard.mutex);
  DropExpired(shard, now);
  if (shard.expires.contains(digest)) return Outcome::kAlreadyUsed;
  if (!Reserve(capacity)) return Outcome::kFull;
  shard.expires.emplace(digest, expires);
  shard.queue.emplace(expires, digest);
  return Outcome::kRecorded;
}

UsedAuthorizations::Outcome UsedAuthorizations::Record(const Digest& digest, int64_t expires,
                                                       int64_t now, std::size_t capacity) {
  Shard& shard = ShardOf(digest);
  const Outcome first = TryRecord(shard, digest, expires, now, capacity);
  if (first != Outcome::kFull) return first;
  // The count may include entries of other shards that expired but were not dropped yet (a
  // shard drops its own when it records): drop them everywhere, then try once more.
  for (Shard& other : shards_) {
    std::lock_guard<std::mutex> lock(other.mutex);
    DropExpired(other, now);
  }
  return TryRecord(shard, digest, expires, now, capacity);
}

void UsedAuthorizations::Forget(const Digest& digest) {
  Shard& shard = ShardOf(digest);
  std::lock_guard<std::mutex> lock(shard.mutex);
  if (shard.expires.erase(digest) == 0) return;
  size_.fetch_sub(1, std::memory_order_relaxed);
  // A forgotten digest's expiry stays queued until it comes up. Settles that keep failing
  // after Record() (a ledger run dry) could pile those up within the window: rebuild the queue
  // from the live entries once it holds more than twice as many.
  if (shard.queue.size() > 2 * shard.expires.size() + 64) {
    std::vector<Expiry> live;
    live.reserve(shard.expires.size());
    for (const auto& [d, when] : shard.expires) live.emplace_back(when, d);
    shard.queue = std::priority_queue<Expiry, std::vector<Expiry>, Later>(Later{}, std::move(live));
  }
}

bool UsedAuthorizations::Contains(const Digest& digest) const {
  const Shard& shard = ShardOf(digest);
  std::lock_guard<std::mutex> lock(shard.mutex);
  return shard.expires.contains(digest);
}

}  // namespace x402
