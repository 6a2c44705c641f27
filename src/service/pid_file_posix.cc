// POSIX: the liveness lock is an fcntl() write lock on the whole PID file. Unlike flock(),
// F_GETLK reports the PID of the lock's holder, so a reader learns who to signal from the
// kernel rather than from the file's content.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "service/pid_file.h"

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

// The holder of a conflicting lock on |fd|, 0 when the file is not locked, -1 on error.
int64_t LockHolder(int fd) {
  struct flock query = WholeFile(F_WRLCK);
  if (::fcntl(fd, F_GETLK, &query) != 0) return -1;
  if (query.l_type == F_UNLCK) return 0;
  return static_cast<int64_t>(query.l_pid);
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

Status EnsurePrivateDirectory(const std::string& dir) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      return Status::Io(dir + " is a symbolic link; refusing to keep the PID file there")
          .WithHint("remove the link; x402-dev creates the directory itself");
    }
    if (!S_ISDIR(st.st_mode)) return Status::Io(dir + " exists and is not a directory");
    return Status::Ok();
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(dir).parent_path(), ec);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return FromErrno("cannot create " + dir, errno);
  }
  return Status::Ok();
}

}  // namespace

Status PidFileLock::Acquire(const std::string& path, std::unique_ptr<PidFileLock>* out) {
  Status s = EnsurePrivateDirectory(std::filesystem::path(path).parent_path().string());
  if (!s.ok()) return s;

  // Loop only when the file we locked was replaced or unlinked under us (a server that was
  // stopping removed it): then lock the file that is at the path now.
  for (int attempt = 0; attempt < 10; ++attempt) {
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
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return state;  // kAbsent
    state.kind = PidFileState::Kind::kCorrupt;
    state.problem = "cannot be inspected";
    return state;
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
    state.kind = PidFileState::Kind::kCorrupt;
    state.problem = "is not readable";
    return state;
  }
  const int64_t holder = LockHolder(fd);
  const std::string content = ReadAll(fd);
  ::close(fd);
  return ClassifyPidFile(std::max<int64_t>(holder, 0), content);
}

bool RemoveUnlockedPidFile(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return false;
  if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
    // Remove the link itself, never what it points to.
    return ::unlink(path.c_str()) == 0;
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return ::unlink(path.c_str()) == 0;  // unreadable: still ours to clean
  // Take the lock ourselves for the moment of the unlink: a server cannot be holding it.
  struct flock lock = WholeFile(F_WRLCK);
  bool removed = false;
  if (::fcntl(fd, F_SETLK, &lock) == 0) removed = ::unlink(path.c_str()) == 0;
  ::close(fd);
  return removed;
}

}  // namespace x402
