// Console writes the CLI's user-facing lines: results on stdout, "error:" / "warning:" /
// "hint:" lines on stderr, coloured only when the stream is a terminal and neither
// --no-color nor the NO_COLOR environment variable (no-color.org) says otherwise.
#pragma once

#include <cstdio>
#include <string_view>

namespace x402 {

enum class Verbosity { kNormal, kVerbose, kDebug };

class Console {
 public:
  /// Decides colour once: |no_color| is the --no-color flag.
  Console(bool no_color, Verbosity verbosity);

  void Out(std::string_view line) const;  // stdout, as is, plus a newline
  void Error(std::string_view message) const;
  void Warning(std::string_view message) const;
  void Hint(std::string_view message) const;
  void Verbose(std::string_view message) const;  // only with --verbose or --debug
  void Debug(std::string_view message) const;    // only with --debug

  bool stdout_color() const { return stdout_color_; }
  Verbosity verbosity() const { return verbosity_; }

  /// Wraps |text| in the ANSI bold / green / red / yellow codes when stdout is coloured.
  std::string Bold(std::string_view text) const;
  std::string Green(std::string_view text) const;
  std::string Red(std::string_view text) const;
  std::string Yellow(std::string_view text) const;

 private:
  void Tagged(std::string_view tag, const char* color, std::string_view message) const;

  bool stdout_color_;
  bool stderr_color_;
  Verbosity verbosity_;
};

/// True when |stream| is attached to a terminal.
bool IsTerminal(std::FILE* stream);

}  // namespace x402
