// The LaunchAgent property list for the mock server (~/Library/LaunchAgents/dev.x402.mock.plist),
// as text. Pure, so it is unit-tested (and parsed back by a real plist parser) on every OS.
#pragma once

#include <string>
#include <string_view>

namespace x402 {

inline constexpr const char* kLaunchdLabel = "dev.x402.mock";

struct LaunchAgentSpec {
  std::string binary;     // absolute path: launchd expands neither ~ nor $HOME
  std::string home;       // the user's home, for the launch spec and the log paths
  bool run_at_load = false;  // true only after `mock install --enable` (start at login)
};

std::string RenderLaunchAgentPlist(const LaunchAgentSpec& spec);

/// Escapes &, <, >, " and ' for XML text.
std::string XmlEscape(std::string_view text);

}  // namespace x402
