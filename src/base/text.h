// Small string helpers shared by the CLI and the config loader.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace x402 {

/// Levenshtein distance between |a| and |b| (case-sensitive).
std::size_t EditDistance(std::string_view a, std::string_view b);

/// The candidate closest to |input| when it is close enough to be a likely typo
/// (distance ≤ max(1, len/3)); nullopt otherwise. Ties go to the first candidate.
std::optional<std::string> ClosestMatch(std::string_view input,
                                        const std::vector<std::string>& candidates);

/// ASCII lower-casing; x402 header names and hex addresses are ASCII.
std::string ToLowerAscii(std::string_view s);
bool EqualsIgnoreCaseAscii(std::string_view a, std::string_view b);

/// |s| on one line: control characters (a newline above all) as \xNN, so text a client chose
/// cannot start a forged line in a log.
std::string OneLine(std::string_view s);

/// Escapes |s| as the contents of a JSON string (without the quotes). Bytes that are not
/// well-formed UTF-8 become U+FFFD: JSON text must be UTF-8, and clients send what they like.
std::string JsonEscape(std::string_view s);

}  // namespace x402
