// The PID file and the liveness lock (docs/architecture.md §9).
//
// The live server holds an exclusive lock on ~/.x402dev/mock-server.pid for its whole life
// (fcntl record lock on POSIX, LockFileEx on Windows). The lock dies with the process, so:
//   lock held  → a server runs, and the lock's holder is the PID to signal;
//   lock free  → whatever the file says is stale (a crash, a reboot, a reused PID).
// A PID read from the file is never signalled on its own say-so.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/process.h"
#include "base/status.h"

namespace x402 {

/// The server's side: creates, writes and locks the PID file; removes it on destruction.
class PidFileLock {
 public:
  /// Creates the directory (0700) if needed, opens the file without following symlinks,
  /// locks it and writes this process's PID. kAlreadyRunning when another live process holds
  /// the lock (the message names its PID).
  static Status Acquire(const std::string& path, std::unique_ptr<PidFileLock>* out);

  /// Removes the file (still holding the lock, so no other server can be mid-start on it)
  /// and releases the lock.
  ~PidFileLock();
  PidFileLock(const PidFileLock&) = delete;
  PidFileLock& operator=(const PidFileLock&) = delete;

 private:
  PidFileLock(std::string path, intptr_t handle) : path_(std::move(path)), handle_(handle) {}
  std::string path_;
  intptr_t handle_;
};

/// What a reader finds at the PID file path.
struct PidFileState {
  enum class Kind {
    kAbsent,   // no file: no server
    kLive,     // the lock is held: |pid| is the holder
    kStale,    // a valid PID, but nobody holds the lock
    kCorrupt,  // not a PID at all, or a symlink, or not a regular file: |problem| says which
    kUnknown,  // cannot tell (permission denied): |problem| says why. Not stale: never removed
  };
  Kind kind = Kind::kAbsent;
  int64_t pid = 0;           // kLive: the lock holder; kStale: what the file said
  int64_t file_pid = 0;      // what the file says, when it parses (0 otherwise)
  std::string problem;       // kCorrupt, kUnknown: why
};

/// Inspects |path| without changing anything.
PidFileState InspectPidFile(const std::string& path);

/// Parses PID file content: one decimal integer in (1, max PID], optionally followed by a
/// newline. Returns 0 for anything else (empty, signs, spaces, 0, 1, too large, junk).
int64_t ParsePidFileContent(const std::string& content);

/// What a readable PID file with |content| is, given the PID of its lock's live holder
/// (0 when nobody holds the lock). Shared by the per-OS readers.
PidFileState ClassifyPidFile(int64_t live_holder, const std::string& content);

/// Removes a stale or corrupt PID file, but only while nobody holds its lock (so a server
/// starting at this moment is never robbed of its file). Returns true when it was removed.
/// The lock it takes for that moment is one a reader never mistakes for the server's: on
/// Linux an open-file-description lock, which F_GETLK reports with no PID (-1).
bool RemoveUnlockedPidFile(const std::string& path);

/// Sends |signal| to |pid| only while |pid| still holds |path|'s lock. Where the OS allows
/// (a pidfd on Linux) the process is pinned first, then the lock re-checked, then signalled
/// through the pin, so a PID reused after the server's exit can never receive it.
/// kNotFound when |pid| no longer holds the lock (nothing was signalled).
Status SignalLockHolder(const std::string& path, int64_t pid, ProcessSignal signal);

}  // namespace x402
