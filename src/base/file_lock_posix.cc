#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/file_lock.h"

namespace x402 {

Status FileLock::TryAcquire(const std::string& path, std::unique_ptr<FileLock>* out) {
  out->reset();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return Status::Io("cannot open the lock file " + path + ": " + std::strerror(errno));
  }
  // flock, not fcntl: the lock belongs to this open file, so nothing else this process does
  // with the same path (or a fork) releases it early.
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK || error == EINTR) return Status::Ok();
    return Status::Io("cannot lock " + path + ": " + std::strerror(error));
  }
  out->reset(new FileLock(fd));
  return Status::Ok();
}

FileLock::~FileLock() { ::close(static_cast<int>(handle_)); }

}  // namespace x402
