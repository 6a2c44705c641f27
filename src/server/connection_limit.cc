#include "server/connection_limit.h"

#include <algorithm>

namespace x402 {
namespace {

// Descriptors the server holds besides its connections: stdio, the log and PID files, the
// listening socket, the signal pipe, config reads at reload, and per thread an epoll
// instance, its interrupter and its timer descriptor; plus the connections being refused.
uint64_t ReservedDescriptors(int threads) {
  return 16 + 3 * static_cast<uint64_t>(std::max(threads, 1)) + kRefusalSlots;
}

}  // namespace

ConnectionLimit ChooseConnectionLimit(std::size_t configured, std::optional<uint64_t> open_file_limit,
                                      int threads) {
  ConnectionLimit limit;
  limit.max = configured == 0 ? kDefaultMaxConnections : configured;
  if (!open_file_limit) return limit;
  const uint64_t reserved = ReservedDescriptors(threads);
  const uint64_t fits = *open_file_limit > reserved ? *open_file_limit - reserved : 1;
  if (limit.max <= fits) return limit;
  if (configured == 0) {
    limit.max = static_cast<std::size_t>(fits);
    limit.warning = "the open-file limit (" + std::to_string(*open_file_limit) +
                    ") leaves room for " + std::to_string(fits) +
                    " connections; more are refused with 503 (raise it with ulimit -n or "
                    "LimitNOFILE=)";
  } else {
    limit.warning = "max_connections " + std::to_string(configured) + " is more than the open-file limit (" +
                    std::to_string(*open_file_limit) + ") leaves room for (" + std::to_string(fits) +
                    "); past that, accept() runs out of descriptors and new connections wait";
  }
  return limit;
}

}  // namespace x402
