// Standard base64 (RFC 4648 §4: '+' '/', '=' padding, no line breaks): the only alphabet the
// x402 clients accept (docs/protocol.md §1).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace x402 {

std::string Base64Encode(std::string_view bytes);

/// Decodes strict standard base64. Returns nullopt on any character outside the alphabet,
/// bad padding or a length that is not a multiple of 4 (what @x402/core rejects, too).
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace x402
