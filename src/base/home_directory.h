// The user's home directory, found as the platform finds it. A shell may run with HOME unset
// or empty (cron, `env -u HOME`, some service managers): reading that as "" would put
// ~/.x402dev under whatever the current directory happens to be, and a second command from
// another folder would find no server and start a second one.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/status.h"

namespace x402 {

/// The home directory of the account this process runs as, from the OS's own records
/// (getpwuid(getuid())->pw_dir on POSIX; the Profile known folder on Windows); "" when the
/// OS does not know one.
std::string AccountHomeDirectory();

/// The name of the environment variable that names the home here: HOME on POSIX,
/// USERPROFILE on Windows (a HOME there is usually a Unix path from MSYS, Cygwin or Wine).
const char* HomeVariableName();

/// Chooses the home: |from_environment| (the variable's value) when it is set and not empty,
/// else |account_home()|. A relative home is refused (kConfig): every command would resolve it
/// against its own current directory, so two commands would not agree on one ~/.x402dev.
Status ChooseHomeDirectory(const std::optional<std::string>& from_environment,
                           const std::function<std::string()>& account_home, std::string* home);

}  // namespace x402
