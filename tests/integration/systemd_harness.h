// A real systemd user manager for tests, on machines where systemd is not PID 1: in a private
// mount namespace, a tmpfs on /run/systemd with /run/systemd/system in it (what makes
// `systemd --user` believe it may run), and fresh 0700 XDG_RUNTIME_DIR and HOME.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace x402::testing {

class SystemdUserManager {
 public:
  /// Starts the manager; check ok() (and why() when it is not).
  SystemdUserManager();
  /// `systemctl --user exit`, then waits for the manager's PID (SIGKILL after 10 s).
  ~SystemdUserManager();

  bool ok() const { return pid_ > 0 && why_.empty(); }
  const std::string& why() const { return why_; }

  const std::filesystem::path& home() const { return home_; }
  const std::filesystem::path& runtime_dir() const { return runtime_; }
  /// HOME=…, XDG_RUNTIME_DIR=… for processes that should talk to this manager.
  std::vector<std::string> Env() const;

  /// Runs `systemctl --user <args>` against this manager; returns its exit code, output in |out|.
  int Systemctl(const std::string& args, std::string* out = nullptr) const;

 private:
  std::filesystem::path root_, home_, runtime_;
  pid_t pid_ = -1;
  int lock_fd_ = -1;  // one harness at a time on this machine (see the constructor)
  std::string why_;
};

/// Why the harness cannot run here, or "" when it can (root, unshare, /lib/systemd/systemd).
std::string SystemdHarnessUnavailableReason();

}  // namespace x402::testing
