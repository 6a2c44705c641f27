// Linux's side of the POSIX process primitives (see process_kernel.h): what only Linux has,
// pipe2, /proc and pidfd. Compiled for Linux only (src/CMakeLists.txt).
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>

#include "base/process.h"
#include "base/process_kernel.h"

namespace x402 {

std::string CurrentExecutablePath() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) return std::string(buf, static_cast<std::size_t>(n));
  return {};
}

namespace kernel {

int OpenCloexecPipe(int fds[2]) {
  // One call: no other thread's spawn can inherit the ends between pipe() and fcntl().
  return ::pipe2(fds, O_CLOEXEC) == 0 ? 0 : errno;
}

bool IsZombie(int64_t pid) {
  // "pid (comm) S …": the state is the first field after the last ')'.
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%lld/stat", static_cast<long long>(pid));
  FILE* f = std::fopen(path, "r");
  if (f == nullptr) return false;
  char buf[512];
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  if (const char* paren = std::strrchr(buf, ')'); paren != nullptr && paren[1] == ' ') {
    return paren[2] == 'Z' || paren[2] == 'X';
  }
  return false;
}

bool AwaitExitNotice(int64_t pid, std::chrono::milliseconds timeout) {
#ifdef SYS_pidfd_open
  // A pidfd (Linux 5.3) turns readable when the process exits, child of ours or not.
  const int fd = static_cast<int>(::syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0));
  if (fd < 0) return false;  // an older kernel, or a seccomp filter that refuses it
  pollfd exited{fd, POLLIN, 0};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (::poll(&exited, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) >= 0 ||
        errno != EINTR) {
      break;
    }
  }
  ::close(fd);
  return true;
#else
  (void)pid;
  (void)timeout;
  return false;  // headers older than pidfd: the caller polls
#endif
}

void CloseOthersInChild(posix_spawn_file_actions_t* actions, short*, int last_kept) {
  posix_spawn_file_actions_addclosefrom_np(actions, last_kept + 1);  // glibc 2.34
}

int AnonymousLockCommand() { return F_OFD_SETLK; }

int SignalPinned(int64_t pid, int signal, const std::function<bool()>& still_it) {
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_send_signal)
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0));
  if (pidfd < 0) return errno == ESRCH ? ESRCH : ENOSYS;  // ENOSYS/EPERM: no pidfd here
  int result = 0;
  if (!still_it()) {
    result = ECANCELED;
  } else if (::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0) != 0) {
    result = errno;
  }
  ::close(pidfd);
  return result;
#else
  (void)pid, (void)signal, (void)still_it;
  return ENOSYS;
#endif
}

}  // namespace kernel
}  // namespace x402
