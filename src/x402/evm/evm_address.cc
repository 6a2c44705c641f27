#include "x402/evm/evm_address.h"

#include "x402/evm/hex_bytes.h"
#include "x402/evm/keccak.h"

namespace x402 {

std::optional<EvmAddress> ParseEvmAddress(std::string_view text) {
  EvmAddress out;
  if (!DecodePrefixedHex(text, out)) return std::nullopt;
  return out;
}

bool IsWireAddress(std::string_view text) {
  return text.size() == 42 && text[0] == '0' && text[1] == 'x' && IsPrefixedHex(text, 40);
}

std::string ChecksumAddress(const EvmAddress& address) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string lower(40, '0');
  for (std::size_t i = 0; i < address.size(); ++i) {
    lower[2 * i] = kDigits[address[i] >> 4];
    lower[2 * i + 1] = kDigits[address[i] & 0x0f];
  }
  // EIP-55: a letter is upper case where the matching nibble of keccak256(lower-case hex)
  // is 8 or more.
  const Hash32 hash = Keccak256(std::span(reinterpret_cast<const uint8_t*>(lower.data()), lower.size()));
  std::string out = "0x";
  out.reserve(42);
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const int nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f;
    const char c = lower[i];
    out += (c >= 'a' && nibble >= 8) ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

}  // namespace x402
