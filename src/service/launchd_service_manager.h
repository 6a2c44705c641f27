// The launchd backend: the server as the per-user LaunchAgent dev.x402.mock, controlled with
// the modern launchctl verbs (bootstrap, kickstart, bootout, print, enable/disable, kill),
// each exec'd through a ProcessRunner with an argument vector (no shell).
//
// Everything here is portable C++: the only OS contact is the ProcessRunner, which tests
// replace, so this file is compiled and unit-tested on Linux as well. platform/macos/ only
// wires in the real runner and the user id.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "base/process_runner.h"
#include "service/service_manager.h"

namespace x402 {

struct LaunchdEnvironment {
  unsigned uid = 0;
  std::string home;                 // the user's home (plist, launch spec, logs)
  Instance instance;                // its label (dev.x402.mock[.NAME]) and files
  ProcessRunner* runner = nullptr;  // not owned
  /// Waiting between looks at launchd or the state file (tests make it instant).
  std::function<void(std::chrono::milliseconds)> sleep;
  /// The clock every deadline is measured on (tests advance a fake one in |sleep|).
  std::function<std::chrono::steady_clock::time_point()> now;
};

std::unique_ptr<ServiceManager> CreateLaunchdServiceManager(LaunchdEnvironment environment);

}  // namespace x402
