#include "service/windows_command_line.h"

namespace x402 {
namespace {

std::string_view SkipBlanks(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  return first == std::string_view::npos ? std::string_view() : text.substr(first);
}

// Where the program ends: after its closing quote, or at the first space or tab.
std::size_t ProgramEnd(std::string_view command_line) {
  if (!command_line.empty() && command_line.front() == '"') {
    const std::size_t quote = command_line.find('"', 1);
    return quote == std::string_view::npos ? command_line.size() : quote + 1;
  }
  const std::size_t space = command_line.find_first_of(" \t");
  return space == std::string_view::npos ? command_line.size() : space;
}

char Fold(char c) {
  if (c == '/') return '\\';
  if (c >= 'a' && c <= 'z') return static_cast<char>(c - 'a' + 'A');
  return c;
}

}  // namespace

std::string CommandLineProgram(std::string_view command_line) {
  command_line = SkipBlanks(command_line);
  std::string_view program = command_line.substr(0, ProgramEnd(command_line));
  if (!program.empty() && program.front() == '"') {
    program.remove_prefix(1);
    if (!program.empty() && program.back() == '"') program.remove_suffix(1);
  }
  return std::string(program);
}

std::string ReplaceCommandLineProgram(std::string_view command_line, std::string_view program) {
  command_line = SkipBlanks(command_line);
  return "\"" + std::string(program) + "\"" +
         std::string(command_line.substr(ProgramEnd(command_line)));
}

bool IsX402ServiceCommandLine(std::string_view command_line) {
  command_line = SkipBlanks(command_line);
  const std::string_view arguments = SkipBlanks(command_line.substr(ProgramEnd(command_line)));
  constexpr std::string_view kMarker = "--windows-service";
  std::string_view rest = arguments;
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
  return arguments.substr(0, 5) == "mock " && rest.size() >= kMarker.size() &&
         rest.substr(rest.size() - kMarker.size()) == kMarker &&
         (rest.size() == kMarker.size() ||
          rest[rest.size() - kMarker.size() - 1] == ' ');
}

bool SameWindowsPath(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Fold(a[i]) != Fold(b[i])) return false;
  }
  return true;
}

}  // namespace x402
