// macOS's side of the POSIX process primitives (see process_kernel.h): no /proc, no pipe2, no
// pidfd, so the executable's path comes from dyld, a zombie is recognised through libproc and
// an exit is waited for with a kqueue. Compiled for macOS only (src/CMakeLists.txt); on Linux
// the macOS compile check (tests/portability) compiles it against declaration shims.
#include <errno.h>
#include <fcntl.h>
#include <libproc.h>
#include <spawn.h>
#include <mach-o/dyld.h>
#include <sys/event.h>
#include <sys/proc.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/process.h"
#include "base/process_kernel.h"

namespace x402 {

std::string CurrentExecutablePath() {
  // The first call reports the size it needs; the path may name a symbolic link or contain
  // "..", so it is resolved as Linux's /proc/self/exe is.
  uint32_t size = 0;
  ::_NSGetExecutablePath(nullptr, &size);
  std::string path(size + 1, '\0');
  if (::_NSGetExecutablePath(path.data(), &size) != 0) return {};
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) == nullptr) return {};
  return resolved;
}

namespace kernel {

int OpenCloexecPipe(int fds[2]) {
  // No pipe2 on macOS: a spawn on another thread between pipe() and fcntl() would inherit the
  // ends. The CLI spawns from one thread only, so the window has nobody to leak to.
  if (::pipe(fds) != 0) return errno;
  for (int i = 0; i < 2; ++i) {
    if (::fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0) {
      const int err = errno;
      ::close(fds[0]);
      ::close(fds[1]);
      return err;
    }
  }
  return 0;
}

bool IsZombie(int64_t pid) {
  // PROC_PIDTBSDINFO answers for zombies too; pbi_status is the process's p_stat.
  proc_bsdinfo info{};
  const int n = ::proc_pidinfo(static_cast<int>(pid), PROC_PIDTBSDINFO, 0, &info,
                               static_cast<int>(sizeof info));
  return n == static_cast<int>(sizeof info) && info.pbi_status == SZOMB;
}

bool AwaitExitNotice(int64_t pid, std::chrono::milliseconds timeout) {
  // EVFILT_PROC/NOTE_EXIT fires when the process exits, child of ours or not.
  const int queue = ::kqueue();
  if (queue < 0) return false;
  struct kevent watch;
  EV_SET(&watch, static_cast<uintptr_t>(pid), EVFILT_PROC, EV_ADD | EV_ONESHOT, NOTE_EXIT, 0,
         nullptr);
  // Register first (no events asked for, so it returns at once). ESRCH: already gone (or a
  // zombie, which the kernel no longer watches): nothing to wait for.
  if (::kevent(queue, &watch, 1, nullptr, 0, nullptr) != 0) {
    const int err = errno;
    ::close(queue);
    return err == ESRCH;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::max<int64_t>(
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
            .count(),
        0);
    timespec wait{};
    wait.tv_sec = static_cast<time_t>(left / 1000);
    wait.tv_nsec = static_cast<long>((left % 1000) * 1'000'000);
    struct kevent fired;
    if (::kevent(queue, nullptr, 0, &fired, 1, &wait) >= 0 || errno != EINTR) break;
  }
  ::close(queue);
  return true;
}

void CloseOthersInChild(posix_spawn_file_actions_t*, short* spawn_flags, int) {
  // Only the descriptors the file actions set up survive the exec.
  *spawn_flags = static_cast<short>(*spawn_flags | POSIX_SPAWN_CLOEXEC_DEFAULT);
}

int AnonymousLockCommand() { return F_SETLK; }  // no open-file-description locks here

int SignalPinned(int64_t, int, const std::function<bool()>&) { return ENOSYS; }

}  // namespace kernel
}  // namespace x402
