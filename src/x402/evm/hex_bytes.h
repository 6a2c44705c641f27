// "0x…" hex text as bytes, for the fixed-size values of an EVM payment (addresses, nonces,
// signatures).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace x402 {

/// "0x" (or "0X") followed by at least one hex digit of any case, and nothing else.
bool IsPrefixedHex(std::string_view text);
/// The same, with exactly |digits| hex digits (40 for an address, 64 for 32 bytes).
bool IsPrefixedHex(std::string_view text, std::size_t digits);

/// Decodes "0x" (or "0X") followed by exactly 2 * out.size() hex digits of any case into
/// |out|. Returns false, leaving |out| unspecified, for any other text.
bool DecodePrefixedHex(std::string_view text, std::span<uint8_t> out);

/// "0x" followed by |bytes| as lowercase hex.
std::string PrefixedHex(std::span<const uint8_t> bytes);

}  // namespace x402
