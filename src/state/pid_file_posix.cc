// POSIX: the liveness lock is an fcntl() write lock on the whole PID file. Unlike flock(),
// F_GETLK reports the PID of the lock's holder, so a reader learns who to signal from the
// kernel rather than from the file's content.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <signal.h>

#include <algorithm>
#include <cstring>
#include <chrono>
#include <climits>
#include <filesystem>
#include <string>
#include <thread>

#include "base/private_directory.h"
#include "base/process_kernel.h"
#include "state/pid_file.h"

namespace x402 {
namespace {

struct flock WholeFile(short type) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = 0;
  lock.l_len = 0;
  return lock;
}

// What F_GETLK says about the lock on |fd|.
constexpr int64_t kUnlocked = 0;
constexpr int64_t kQueryFailed = -2;
// An open-file-description lock (Linux): F_GETLK names no process for it (l_pid -1). Only a
// CLI's momentary cleanup takes one; the server's lock is a classic one, so this is never
// the server.
constexpr int64_t kHeldWithoutPid = -1;

int64_t LockHolder(int fd) {
  struct flock query = WholeFile(F_WRLCK);
  if (::fcntl(fd, F_GETLK, &query) != 0) return kQueryFailed;
  if (query.l_type == F_UNLCK) return kUnlocked;
  return query.l_pid > 0 ? static_cast<int64_t>(query.l_pid) : kHeldWithoutPid;
}

// A holder without a PID lets go within microseconds (a cleanup's unlink): wait that out
// rather than calling the file unlocked, or naming anyone.
constexpr auto kTransientHolderWait = std::chrono::milliseconds(500);

int64_t LockHolderIgnoringTransient(int fd) {
  const auto deadline = std::chrono::steady_clock::now() + kTransientHolderWait;
  for (;;) {
    const int64_t holder = LockHolder(fd);
    if (holder != kHeldWithoutPid || std::chrono::steady_clock::now() >= deadline) return holder;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

int SignalNumber(ProcessSignal signal) {
  switch (signal) {
    case ProcessSignal::kTerminate: return SIGTERM;
    case ProcessSignal::kKill: return SIGKILL;
    case ProcessSignal::kReload: return SIGHUP;
  }
  return SIGTERM;
}

std::string ReadAll(int fd) {
  std::string content;
  char buf[64];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, offset);
    if (n <= 0) break;
    content.append(buf, static_cast<std::size_t>(n));
    offset += n;
    if (content.size() > 256) break;  // no PID file is this long; stop reading junk
  }
  return content;
}

}  // namespace

Status PidFileLock::Acquire(const std::string& path, std::unique_ptr<PidFileLock>* out) {
  Status s = EnsurePrivateDirectory(std::filesystem::path(path).parent_path().string());
  if (!s.ok()) return s;

  // Loop when the file we locked was replaced or unlinked under us (a server that was
  // stopping removed it: then lock the file that is at the path now), or while a CLI's
  // cleanup holds it for a moment.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (int attempt = 0; attempt < 10 || std::chrono::steady_clock::now() < deadline; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
      if (errno == ELOOP) {
        return Status::Io(path + " is a symbolic link; refusing to use it")
            .WithHint("remove it: `rm " + path + "`");
      }
      return FromErrno("cannot open the PID file " + path, errno);
    }
    struct flock lock = WholeFile(F_WRLCK);
    if (::fcntl(fd, F_SETLK, &lock) != 0) {
      const int err = errno;
      const int64_t holder = LockHolder(fd);
      ::close(fd);
      if ((err == EACCES || err == EAGAIN) && holder <= 0) {
        // Not a server: a cleanup's momentary lock (no PID), or gone already. Try again.
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      if (err == EACCES || err == EAGAIN) {
        return Status::AlreadyRunning("a mock server is already running (PID " +
                                      std::to_string(holder) + ")");
      }
      return FromErrno("cannot lock the PID file " + path, err);
    }
    struct stat opened {}, current {};
    if (::fstat(fd, &opened) != 0 || ::stat(path.c_str(), &current) != 0 ||
        opened.st_ino != current.st_ino || opened.st_dev != current.st_dev) {
      ::close(fd);
      continue;
    }
    // Write the new PID line first, then cut what is left of older content: a reader sees
    // either the whole new line or the new line followed by leftovers, never a partial PID.
    const std::string line = std::to_string(::getpid()) + "\n";
    if (::pwrite(fd, line.data(), line.size(), 0) != static_cast<ssize_t>(line.size()) ||
        ::ftruncate(fd, static_cast<off_t>(line.size())) != 0) {
      const int err = errno;
      ::close(fd);
      return FromErrno("cannot write the PID file " + path, err);
    }
    out->reset(new PidFileLock(path, fd));
    return Status::Ok();
  }
  return Status::Io("the PID file " + path + " keeps changing; another x402-dev is starting");
}

PidFileLock::~PidFileLock() {
  ::unlink(path_.c_str());
  ::close(static_cast<int>(handle_));
}

PidFileState InspectPidFile(const std::string& path) {
  PidFileState state;
  const auto cannot_tell = [&state](std::string problem) {
    state.kind = PidFileState::Kind::kUnknown;
    state.problem = std::move(problem);
    return state;
  };
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return state;  // kAbsent
    // EACCES (a folder we may not search), ENOTDIR, …: whether a server runs is unknown.
    return cannot_tell(errno == EACCES ? "cannot be looked at: permission denied"
                                       : "cannot be looked at: " + std::string(strerror(errno)));
  }
  if (S_ISLNK(st.st_mode)) {
    state.kind = PidFileState::Kind::kCorrupt;
    state.problem = "is a symbolic link";
    return state;
  }
  if (!S_ISREG(st.st_mode)) {
    state.kind = PidFileState::Kind::kCorrupt;
    state.problem = "is not a regular file";
    return state;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return state;  // removed a moment ago
    // An unreadable PID file is not a stale one: a server may well hold it.
    return cannot_tell(errno == EACCES ? "cannot be read: permission denied"
                                       : "cannot be read: " + std::string(strerror(errno)));
  }
  const int64_t holder = LockHolderIgnoringTransient(fd);
  const std::string content = ReadAll(fd);
  ::close(fd);
  if (holder == kHeldWithoutPid) {
    return cannot_tell("is held by another x402-dev command (not a server); try again");
  }
  return ClassifyPidFile(std::max<int64_t>(holder, 0), content);
}

bool RemoveUnlockedPidFile(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return false;
  if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
    // Remove the link itself, never what it points to.
    return ::unlink(path.c_str()) == 0;
  }
  // Unreadable: we cannot tell whether a server holds it, so it is not ours to remove.
  const int fd = ::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  // Take the lock ourselves for the moment of the unlink: a server cannot be holding it. On
  // Linux as an open-file-description lock, which readers see without a PID: a concurrent
  // `mock status` must never name this command as the server, nor `mock stop` signal it.
  struct flock lock = WholeFile(F_WRLCK);
  const int set_lock = kernel::AnonymousLockCommand();
  bool removed = false;
  if (::fcntl(fd, set_lock, &lock) == 0) removed = ::unlink(path.c_str()) == 0;
  ::close(fd);
  return removed;
}

Status SignalLockHolder(const std::string& path, int64_t pid, ProcessSignal signal) {
  if (pid <= 1 || pid > INT_MAX) {
    return Status::Internal("refusing to signal PID " + std::to_string(pid));
  }
  const auto still_holds = [&] {
    const PidFileState now = InspectPidFile(path);
    return now.kind == PidFileState::Kind::kLive && now.pid == pid;
  };
  const Status gone = Status::NotFound("PID " + std::to_string(pid) + " no longer runs the server");
  // Pin the process first (a pidfd on Linux): from then on the number cannot name another
  // process. Then check it still holds the lock, and signal through the pin.
  const int err = kernel::SignalPinned(pid, SignalNumber(signal), still_holds);
  if (err == 0) return Status::Ok();
  if (err == ESRCH || err == ECANCELED) return gone;
  if (err != ENOSYS) return FromErrno("cannot signal PID " + std::to_string(pid), err);
  // This kernel cannot pin: check, then signal by number.
  if (!still_holds()) return gone;
  return SendSignal(pid, signal);
}

}  // namespace x402
