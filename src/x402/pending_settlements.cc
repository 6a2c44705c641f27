#include "x402/pending_settlements.h"

namespace x402 {

void PendingSettlements::DropExpired(int64_t now, bool make_room) {
  while (!order_.empty() && (order_.front().second <= now || (make_room && entries_.size() >= kCapacity))) {
    auto it = entries_.find(order_.front().first);
    // An entry taken earlier, or remembered again later (a newer expiry), is not this one.
    if (it != entries_.end() && it->second.expires == order_.front().second) entries_.erase(it);
    order_.pop_front();
  }
}

void PendingSettlements::Remember(const Key& key, std::string transaction, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  DropExpired(now, /*make_room=*/true);
  const int64_t expires = now + kTtlSeconds;
  entries_[key] = Entry{std::move(transaction), expires};
  order_.emplace_back(key, expires);
  // Take() leaves its entry's place in |order_| behind; when those outnumber the live ones,
  // drop them, so |order_| stays within twice the bound.
  if (order_.size() > 2 * kCapacity) {
    std::erase_if(order_, [this](const std::pair<Key, int64_t>& place) {
      auto it = entries_.find(place.first);
      return it == entries_.end() || it->second.expires != place.second;
    });
  }
  size_.store(entries_.size(), std::memory_order_relaxed);
}

std::optional<std::string> PendingSettlements::Take(const Key& key, int64_t now) {
  if (size_.load(std::memory_order_relaxed) == 0) return std::nullopt;
  std::lock_guard<std::mutex> lock(mutex_);
  DropExpired(now, /*make_room=*/false);
  auto it = entries_.find(key);
  std::optional<std::string> transaction;
  if (it != entries_.end()) {
    transaction = std::move(it->second.transaction);
    entries_.erase(it);
  }
  size_.store(entries_.size(), std::memory_order_relaxed);
  return transaction;
}

std::size_t PendingSettlements::size() const { return size_.load(std::memory_order_relaxed); }

}  // namespace x402
