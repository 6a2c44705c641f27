// An exclusive advisory lock on a file of its own (flock on POSIX, LockFileEx on Windows),
// released when the holder goes away — even when it dies. Used where a short critical section
// spans processes (e.g. only one `mock start` of an instance at a time). Not the PID file's
// lock, whose holder is the server itself (service/pid_file.h).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"

namespace x402 {

class FileLock {
 public:
  /// Takes the lock on |path| (created 0600, never through a symlink, not inherited by child
  /// processes) if it is free: Ok with |*out| set; Ok with |*out| null when another holder has
  /// it; kIo when the file cannot be opened.
  static Status TryAcquire(const std::string& path, std::unique_ptr<FileLock>* out);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  explicit FileLock(intptr_t handle) : handle_(handle) {}
  intptr_t handle_;
};

}  // namespace x402
