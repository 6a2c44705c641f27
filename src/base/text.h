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

/// |s| made safe to print on a terminal: what a terminal would act on instead of showing —
/// C0 controls (ESC, BEL, CR, backspace…), DEL, the C1 controls U+0080–U+009F (U+009B is a
/// CSI on many terminals) and the bidirectional overrides U+202A–U+202E, U+2066–U+2069 (text
/// that displays in another order than it reads) — and bytes that are not UTF-8 are escaped:
/// as "\xNN" (text), or as "\u00NN" / U+FFFD when |json| is set, so a JSON line stays JSON.
/// Tabs stay. This is for text a client chose (paths, payers, log lines quoting them) on
/// its way to the user's terminal, as git and journalctl escape such text.
std::string TerminalSafe(std::string_view s, bool json = false);

/// |s| as valid UTF-8: every byte sequence that is not well-formed UTF-8 becomes U+FFFD
/// (what a client sent goes into JSON, which must be UTF-8).
std::string ValidUtf8(std::string_view s);

/// Escapes |s| as the contents of a JSON string (without the quotes). Bytes that are not
/// well-formed UTF-8 become U+FFFD: JSON text must be UTF-8, and clients send what they like.
std::string JsonEscape(std::string_view s);

}  // namespace x402
