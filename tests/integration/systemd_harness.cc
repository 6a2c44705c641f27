#include "systemd_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <thread>

extern char** environ;

namespace x402::testing {
namespace {

namespace fs = std::filesystem;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

std::string Capture(const std::string& command, int* exit_code) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *exit_code = -1;
    return out;
  }
  std::array<char, 4096> buf;
  while (std::fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
  const int status = ::pclose(pipe);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

}  // namespace

std::string SystemdHarnessUnavailableReason() {
  if (::geteuid() != 0) return "needs root (a private mount namespace with a tmpfs on /run/systemd)";
  if (!fs::exists("/lib/systemd/systemd")) return "no /lib/systemd/systemd";
  if (std::system("unshare --mount --propagation private true >/dev/null 2>&1") != 0) {
    return "`unshare --mount` is not permitted here";
  }
  return "";
}

SystemdUserManager::SystemdUserManager() {
  why_ = SystemdHarnessUnavailableReason();
  if (!why_.empty()) return;
  // Two user managers of the same user started from the same cgroup put their units in the
  // same cgroup paths (…/app.slice/x402-mock.service), so one's stop or kill reaches the other's
  // server. ctest runs tests in parallel: the harnesses take turns, machine-wide.
  lock_fd_ = ::open("/tmp/x402-dev-systemd-harness.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ >= 0) ::flock(lock_fd_, LOCK_EX);
  std::string pattern = (fs::temp_directory_path() / "x402-systemd-XXXXXX").string();
  root_ = ::mkdtemp(pattern.data());
  home_ = root_ / "home";
  runtime_ = root_ / "run";
  fs::create_directories(home_);
  fs::create_directories(runtime_);
  fs::permissions(runtime_, fs::perms::owner_all);
  fs::permissions(home_, fs::perms::owner_all);

  const std::string script =
      "mount -t tmpfs tmpfs /run/systemd && mkdir -p /run/systemd/system && "
      "exec /lib/systemd/systemd --user";
  std::vector<std::string> args = {"unshare", "--mount", "--propagation", "private", "--",
                                   "/bin/sh", "-c", script};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                  "HOME=" + home_.string(), "XDG_RUNTIME_DIR=" + runtime_.string()};
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log = (root_ / "manager.log").string();
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const int err = ::posix_spawnp(&pid_, "unshare", &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) {
    why_ = "cannot start unshare";
    pid_ = -1;
    return;
  }
  // Ready when the manager answers on its private socket.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      why_ = "systemd --user exited at start-up; see " + log;
      pid_ = -1;
      return;
    }
    if (fs::exists(runtime_ / "systemd" / "private")) {
      std::string out;
      const int code = Systemctl("is-system-running", &out);
      if (code == 0 || out.find("offline") != std::string::npos ||
          out.find("degraded") != std::string::npos || out.find("running") != std::string::npos) {
        return;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  why_ = "systemd --user did not answer within 20 s";
}

SystemdUserManager::~SystemdUserManager() {
  if (pid_ > 0) {
    Systemctl("exit");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  std::error_code ec;
  if (!root_.empty()) fs::remove_all(root_, ec);
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

std::vector<std::string> SystemdUserManager::Env() const {
  return {"XDG_RUNTIME_DIR=" + runtime_.string()};
}

int SystemdUserManager::Systemctl(const std::string& args, std::string* out) const {
  const std::string command = "env -u DBUS_SESSION_BUS_ADDRESS HOME=" + Quote(home_.string()) +
                              " XDG_RUNTIME_DIR=" + Quote(runtime_.string()) +
                              " systemctl --user --no-pager " + args + " 2>&1";
  int code = -1;
  std::string captured = Capture(command, &code);
  if (out != nullptr) *out = std::move(captured);
  return code;
}

}  // namespace x402::testing
