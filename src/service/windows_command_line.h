// The program of a Windows service's command line (its ImagePath), and the same command line
// with another program: what the installer needs to take over an `x402-mock` service that was
// registered from another folder while keeping its arguments (the launch spec it starts with).
// Plain string work, unit-tested on every OS.
#pragma once

#include <string>
#include <string_view>

namespace x402 {

/// The program a command line starts: its first argument, unquoted (CommandLineToArgvW's
/// rule for argv[0]: up to the closing quote when it starts with one, else up to a space;
/// leading blanks skipped).
std::string CommandLineProgram(std::string_view command_line);

/// |command_line| with its program replaced by |program| (quoted), its arguments unchanged.
std::string ReplaceCommandLineProgram(std::string_view command_line, std::string_view program);

/// True when |command_line| is one `x402-dev mock install` registers: `PROGRAM mock … 
/// --windows-service` (the marker that enters the service dispatcher, last).
bool IsX402ServiceCommandLine(std::string_view command_line);

/// True when the two name the same file as Windows compares paths: ASCII letters in any case,
/// '/' as '\'.
bool SameWindowsPath(std::string_view a, std::string_view b);

}  // namespace x402
