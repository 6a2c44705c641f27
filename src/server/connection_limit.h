// How many connections the server keeps open at once. Past the limit it refuses new ones
// with a 503 rather than running out of descriptors, where accept() fails and nothing can be
// answered at all (issue 16, docs/reliability.md "Connection limit").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace x402 {

/// The default cap: nginx's order of magnitude for one process, and a memory bound too
/// (each connection may hold up to body_limit + its read buffer).
inline constexpr std::size_t kDefaultMaxConnections = 1024;

/// Connections beyond the cap that may be open at once while being told 503: the rest wait in
/// the listen backlog until a slot frees.
inline constexpr std::size_t kRefusalSlots = 16;

struct ConnectionLimit {
  std::size_t max = kDefaultMaxConnections;
  /// Set when the configured cap cannot be honoured as asked: what the server does instead.
  std::string warning;
};

/// The cap for |configured| (0: the default) given the process's open-file limit
/// (nullopt: none) and its thread count. A default cap shrinks to fit the descriptors left
/// after what the server itself holds; an explicit one is kept, with a warning that accept()
/// will run out of descriptors first.
ConnectionLimit ChooseConnectionLimit(std::size_t configured, std::optional<uint64_t> open_file_limit,
                                      int threads);

}  // namespace x402
