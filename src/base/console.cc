#include "base/console.h"

#include <cstdlib>
#include <string>

namespace x402 {
namespace {

constexpr const char* kRed = "\033[31m";
constexpr const char* kGreen = "\033[32m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kReset = "\033[0m";

bool NoColorRequested(bool flag) {
  // no-color.org: any non-empty NO_COLOR disables colour.
  const char* env = std::getenv("NO_COLOR");
  return flag || (env != nullptr && env[0] != '\0');
}

std::string Wrap(bool color, const char* code, std::string_view text) {
  if (!color) return std::string(text);
  std::string out = code;
  out += text;
  out += kReset;
  return out;
}

}  // namespace

Console::Console(bool no_color, Verbosity verbosity)
    : stdout_color_(!NoColorRequested(no_color) && IsTerminal(stdout)),
      stderr_color_(!NoColorRequested(no_color) && IsTerminal(stderr)),
      verbosity_(verbosity) {}

void Console::Out(std::string_view line) const {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
}

void Console::Tagged(std::string_view tag, const char* color, std::string_view message) const {
  std::fflush(stdout);  // keep stdout and stderr in order on a shared terminal
  const std::string line = Wrap(stderr_color_, color, tag) + " " + std::string(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void Console::Error(std::string_view message) const { Tagged("error:", kRed, message); }
void Console::Warning(std::string_view message) const { Tagged("warning:", kYellow, message); }
void Console::Hint(std::string_view message) const { Tagged("hint:", kYellow, message); }

void Console::Verbose(std::string_view message) const {
  if (verbosity_ != Verbosity::kNormal) Tagged("verbose:", kBold, message);
}

void Console::Debug(std::string_view message) const {
  if (verbosity_ == Verbosity::kDebug) Tagged("debug:", kBold, message);
}

std::string Console::Bold(std::string_view text) const { return Wrap(stdout_color_, kBold, text); }
std::string Console::Green(std::string_view text) const { return Wrap(stdout_color_, kGreen, text); }
std::string Console::Red(std::string_view text) const { return Wrap(stdout_color_, kRed, text); }
std::string Console::Yellow(std::string_view text) const {
  return Wrap(stdout_color_, kYellow, text);
}

}  // namespace x402
