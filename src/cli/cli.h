// The x402-dev command line: global flags, the command table, help, and reporting a
// failed Status as "error: …" / "hint: …". Exit numbers are chosen in main.cc only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/console.h"
#include "base/status.h"

namespace x402 {

class ServiceManagerFactory;

class Cli {
 public:
  /// |args| excludes argv[0]. |managers| (not owned) serves the `mock` lifecycle commands.
  explicit Cli(std::vector<std::string> args, ServiceManagerFactory* managers = nullptr);

  Status Run();

  /// Prints a failed |status| on stderr: one "error:" line, a "hint:" line when there is
  /// one, and the detail with --verbose.
  void Report(const Status& status) const;

  const Console& console() const { return console_; }

 private:
  std::vector<std::string> args_;
  ServiceManagerFactory* managers_;
  Console console_;
};

/// The top-level help text.
std::string TopLevelHelp();

}  // namespace x402
