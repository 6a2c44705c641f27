#include "x402/hex_bytes.h"

namespace x402 {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

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
