#include "base/base64.h"

#include <array>
#include <cstdint>

namespace x402 {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr std::array<int8_t, 256> kDecode = MakeDecodeTable();

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  // Sized once and written in place: settlement headers are encoded on every paid request.
  std::string out((bytes.size() + 2) / 3 * 4, '=');
  const auto byte = [&bytes](std::size_t i) { return uint32_t{static_cast<unsigned char>(bytes[i])}; };
  std::size_t i = 0, o = 0;
  for (; i + 3 <= bytes.size(); i += 3, o += 4) {
    const uint32_t n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out[o] = kAlphabet[(n >> 18) & 63];
    out[o + 1] = kAlphabet[(n >> 12) & 63];
    out[o + 2] = kAlphabet[(n >> 6) & 63];
    out[o + 3] = kAlphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    const uint32_t n = (byte(i) << 16) | (rest == 2 ? byte(i + 1) << 8 : 0);
    out[o] = kAlphabet[(n >> 18) & 63];
    out[o + 1] = kAlphabet[(n >> 12) & 63];
    if (rest == 2) out[o + 2] = kAlphabet[(n >> 6) & 63];  // the rest stays '='
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;

  // Sized once and written in place: payment headers are decoded on every paid request.
  std::string out(text.size() / 4 * 3 - padding, '\0');
  std::size_t o = 0;
  // Every group but the last has no padding: four table lookups, one check for all four.
  const std::size_t body = text.empty() ? 0 : text.size() - 4;
  std::size_t i = 0;
  for (; i < body; i += 4) {
    const int8_t a = kDecode[static_cast<unsigned char>(text[i])];
    const int8_t b = kDecode[static_cast<unsigned char>(text[i + 1])];
    const int8_t c = kDecode[static_cast<unsigned char>(text[i + 2])];
    const int8_t d = kDecode[static_cast<unsigned char>(text[i + 3])];
    if ((a | b | c | d) < 0) return std::nullopt;
    const uint32_t n = (static_cast<uint32_t>(a) << 18) | (static_cast<uint32_t>(b) << 12) |
                       (static_cast<uint32_t>(c) << 6) | static_cast<uint32_t>(d);
    out[o++] = static_cast<char>((n >> 16) & 0xFF);
    out[o++] = static_cast<char>((n >> 8) & 0xFF);
    out[o++] = static_cast<char>(n & 0xFF);
  }
  for (; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    uint32_t n = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = text[i + k];
      int8_t v;
      if (c == '=') {
        // '=' may only appear as the final one or two characters.
        if (!last || k < 4 - padding) return std::nullopt;
        v = 0;
      } else {
        v = kDecode[static_cast<unsigned char>(c)];
        if (v < 0) return std::nullopt;
      }
      n = (n << 6) | static_cast<uint32_t>(v);
    }
    out[o++] = static_cast<char>((n >> 16) & 0xFF);
    if (!(last && padding >= 2)) out[o++] = static_cast<char>((n >> 8) & 0xFF);
    if (!(last && padding >= 1)) out[o++] = static_cast<char>(n & 0xFF);
  }
  return out;
}

}  // namespace x402
