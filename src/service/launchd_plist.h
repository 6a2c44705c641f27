// The LaunchAgent property list for the mock server (~/Library/LaunchAgents/dev.x402.mock.plist;
// dev.x402.mock.NAME.plist for a named instance),
// as text. Pure, so it is unit-tested (and parsed back by a real plist parser) on every OS.
#pragma once

#include <string>
#include <string_view>

#include "state/instance.h"

namespace x402 {

struct LaunchAgentSpec {
  std::string binary;     // absolute path: launchd expands neither ~ nor $HOME
  std::string home;       // the user's home, for the launch spec and the log paths
  bool run_at_load = false;  // true only after `mock install --enable` (start at login)
  Instance instance;      // its label, state directory and --name
};

std::string RenderLaunchAgentPlist(const LaunchAgentSpec& spec);

/// Escapes &, <, >, " and ' for XML text.
std::string XmlEscape(std::string_view text);

}  // namespace x402
