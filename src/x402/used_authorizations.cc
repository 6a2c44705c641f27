#include "x402/used_authorizations.h"

#include <Poco/SHA2Engine.h>

#include <algorithm>

#include "base/text.h"

namespace x402 {

UsedAuthorizations::UsedAuthorizations(std::size_t capacity)
    : shard_capacity_(std::max<std::size_t>(1, capacity / kShards)) {}

UsedAuthorizations::Digest UsedAuthorizations::DigestOf(std::string_view network,
                                                        std::string_view asset,
                                                        std::string_view from,
                                                        std::string_view nonce) {
  Poco::SHA2Engine sha256(Poco::SHA2Engine::SHA_256);
  // Addresses and hex are case-insensitive on chain; '\n' keeps the fields apart.
  for (std::string_view field : {network, asset, from, nonce}) {
    const std::string lower = ToLowerAscii(field);
    sha256.update(lower.data(), static_cast<unsigned>(lower.size()));
    sha256.update("\n", 1);
  }
  const Poco::DigestEngine::Digest& bytes = sha256.digest();
  Digest d;
  for (int i = 0; i < 8; ++i) d.high = (d.high << 8) | bytes[static_cast<std::size_t>(i)];
  for (int i = 8; i < 16; ++i) d.low = (d.low << 8) | bytes[static_cast<std::size_t>(i)];
  return d;
}

bool UsedAuthorizations::Record(const Digest& digest) {
  Shard& shard = ShardOf(digest);
  std::lock_guard<std::mutex> lock(shard.mutex);
  if (!shard.set.insert(digest).second) return false;
  shard.order.push_back(digest);
  while (shard.set.size() > shard_capacity_ && !shard.order.empty()) {
    shard.set.erase(shard.order.front());
    shard.order.pop_front();
  }
  // Forgotten digests linger in |order| until they reach its front; keep it bounded too.
  while (shard.order.size() > 2 * shard_capacity_) {
    shard.set.erase(shard.order.front());
    shard.order.pop_front();
  }
  return true;
}

void UsedAuthorizations::Forget(const Digest& digest) {
  Shard& shard = ShardOf(digest);
  std::lock_guard<std::mutex> lock(shard.mutex);
  shard.set.erase(digest);
}

bool UsedAuthorizations::Contains(const Digest& digest) const {
  const Shard& shard = ShardOf(digest);
  std::lock_guard<std::mutex> lock(shard.mutex);
  return shard.set.contains(digest);
}

std::size_t UsedAuthorizations::size() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    total += shard.set.size();
  }
  return total;
}

}  // namespace x402
