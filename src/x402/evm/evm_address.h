// EVM addresses as 20 bytes: parsed from "0x…" text in any case, and printed with the
// EIP-55 mixed-case checksum (what viem's getAddress prints, so a log line can be compared
// with a wallet's display by eye).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace x402 {

using EvmAddress = std::array<uint8_t, 20>;

/// "0x" + 40 hex digits in any case (the checksum is not enforced: x402 compares addresses
/// case-insensitively). nullopt otherwise.
std::optional<EvmAddress> ParseEvmAddress(std::string_view text);

/// Whether |text| is an address as x402's schemas and viem's isAddress() take it: "0x" (lower
/// case) and 40 hex digits of any case.
bool IsWireAddress(std::string_view text);

/// The EIP-55 checksummed form, e.g. 0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF.
std::string ChecksumAddress(const EvmAddress& address);

}  // namespace x402
