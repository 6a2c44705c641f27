// Times as JavaScript writes and reads them in x402's extensions: lastUpdated, issuedAt,
// expirationTime. Pure calendar arithmetic (this library makes no OS calls).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace x402 {

/// "2026-12-07T14:30:00.123Z" (JavaScript's toISOString()).
std::string IsoTimeMs(int64_t unix_ms);
/// An RFC 3339 / ISO 8601 time as JavaScript's Date parses the ones clients send; nullopt
/// when it does not read. A time without an offset is read as UTC.
std::optional<int64_t> ParseIsoTimeMs(std::string_view text);

}  // namespace x402
