#include "x402/evm/hex_bytes.h"

#include <array>

namespace x402 {
namespace {

// A digit's value, -1 for any other byte: one lookup per character, as these run on every
// paid request over ~300 characters of addresses, nonce and signature.
constexpr std::array<int8_t, 256> MakeHexTable() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = static_cast<int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) table[static_cast<std::size_t>(c)] = static_cast<int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) table[static_cast<std::size_t>(c)] = static_cast<int8_t>(c - 'A' + 10);
  return table;
}
constexpr std::array<int8_t, 256> kHex = MakeHexTable();

int HexValue(char c) { return kHex[static_cast<unsigned char>(c)]; }

bool HasHexPrefix(std::string_view s) {
  return s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

}  // namespace

bool IsPrefixedHex(std::string_view text) {
  if (!HasHexPrefix(text) || text.size() == 2) return false;
  int8_t any_bad = 0;
  for (std::size_t i = 2; i < text.size(); ++i) any_bad |= kHex[static_cast<unsigned char>(text[i])];
  return any_bad >= 0;
}

bool IsPrefixedHex(std::string_view text, std::size_t digits) {
  return text.size() == 2 + digits && IsPrefixedHex(text);
}

bool DecodePrefixedHex(std::string_view text, std::span<uint8_t> out) {
  if (text.size() != 2 + 2 * out.size() || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) {
    return false;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int high = HexValue(text[2 + 2 * i]);
    const int low = HexValue(text[3 + 2 * i]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<uint8_t>(high * 16 + low);
  }
  return true;
}

std::string PrefixedHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 + 2 * bytes.size(), '0');
  out[1] = 'x';
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 + 2 * i] = kDigits[bytes[i] >> 4];
    out[3 + 2 * i] = kDigits[bytes[i] & 0xF];
  }
  return out;
}

}  // namespace x402
