// Windows: the liveness lock is LockFileEx on one byte far past the content. Windows locks
// are mandatory, so locking the content itself would stop readers from reading the PID; a
// byte beyond the end of the file can be locked and leaves the content readable. Windows
// cannot name a lock's holder, so a locked file's PID is additionally checked to be alive.
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <filesystem>
#include <string>

#include "base/process.h"
#include "base/win32_util.h"
#include "state/pid_file.h"

namespace x402 {
namespace {

constexpr DWORD kLockOffsetHigh = 1;  // byte 2^32: never part of a PID file's content

bool IsReparsePoint(const std::wstring& path) {
  const DWORD attributes = ::GetFileAttributesW(path.c_str());
  return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
}

bool TryLock(HANDLE file) {
  OVERLAPPED at{};
  at.OffsetHigh = kLockOffsetHigh;
  return ::LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &at) != 0;
}

void Unlock(HANDLE file) {
  OVERLAPPED at{};
  at.OffsetHigh = kLockOffsetHigh;
  ::UnlockFileEx(file, 0, 1, 0, &at);
}

HANDLE OpenShared(const std::wstring& path, DWORD creation) {
  return ::CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, creation,
                       FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
}

std::string ReadContent(HANDLE file) {
  char buf[256];
  DWORD n = 0;
  ::SetFilePointer(file, 0, nullptr, FILE_BEGIN);
  if (!::ReadFile(file, buf, sizeof buf, &n, nullptr)) return {};
  return std::string(buf, n);
}

}  // namespace

Status PidFileLock::Acquire(const std::string& path, std::unique_ptr<PidFileLock>* out) {
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::wstring wide = Wide(path);
  if (IsReparsePoint(wide)) {
    return Status::Io(path + " is a symbolic link or junction; refusing to use it")
        .WithHint("remove it; x402-dev creates the file itself");
  }
  HANDLE file = OpenShared(wide, OPEN_ALWAYS);
  if (file == INVALID_HANDLE_VALUE) return Status::Io("cannot open the PID file " + path);
  if (!TryLock(file)) {
    const int64_t holder = ParsePidFileContent(ReadContent(file));
    ::CloseHandle(file);
    return Status::AlreadyRunning("a mock server is already running (PID " + std::to_string(holder) + ")");
  }
  const std::string line = std::to_string(CurrentProcessId()) + "\n";
  DWORD written = 0;
  ::SetFilePointer(file, 0, nullptr, FILE_BEGIN);
  if (!::WriteFile(file, line.data(), static_cast<DWORD>(line.size()), &written, nullptr) ||
      !::SetEndOfFile(file)) {
    ::CloseHandle(file);
    return Status::Io("cannot write the PID file " + path);
  }
  ::FlushFileBuffers(file);
  out->reset(new PidFileLock(path, reinterpret_cast<intptr_t>(file)));
  return Status::Ok();
}

PidFileLock::~PidFileLock() {
  // FILE_SHARE_DELETE lets the file be deleted while we hold it; it goes with the last handle.
  ::DeleteFileW(Wide(path_).c_str());
  HANDLE file = reinterpret_cast<HANDLE>(handle_);
  Unlock(file);
  ::CloseHandle(file);
}

PidFileState InspectPidFile(const std::string& path) {
  PidFileState state;
  const std::wstring wide = Wide(path);
  if (::GetFileAttributesW(wide.c_str()) == INVALID_FILE_ATTRIBUTES) return state;  // kAbsent
  if (IsReparsePoint(wide)) {
    state.kind = PidFileState::Kind::kCorrupt;
    state.problem = "is a symbolic link or junction";
    return state;
  }
  HANDLE file = OpenShared(wide, OPEN_EXISTING);
  if (file == INVALID_HANDLE_VALUE) {
    state.kind = PidFileState::Kind::kCorrupt;
    state.problem = "is not readable";
    return state;
  }
  const std::string content = ReadContent(file);
  const bool locked = !TryLock(file);
  if (!locked) Unlock(file);
  ::CloseHandle(file);
  // Windows cannot name a lock's holder: the locked file's own PID, if that process lives.
  const int64_t file_pid = ParsePidFileContent(content);
  const bool live = locked && file_pid != 0 && !ProcessExited(file_pid);
  return ClassifyPidFile(live ? file_pid : 0, content);
}

bool RemoveUnlockedPidFile(const std::string& path) {
  const std::wstring wide = Wide(path);
  if (IsReparsePoint(wide)) return ::DeleteFileW(wide.c_str()) != 0;  // the link, not its target
  HANDLE file = OpenShared(wide, OPEN_EXISTING);
  if (file == INVALID_HANDLE_VALUE) return ::DeleteFileW(wide.c_str()) != 0;
  bool removed = false;
  if (TryLock(file)) {
    removed = ::DeleteFileW(wide.c_str()) != 0;
    Unlock(file);
  }
  ::CloseHandle(file);
  return removed;
}

Status SignalLockHolder(const std::string& path, int64_t pid, ProcessSignal signal) {
  // The lock is checked right before the signal; Windows hands out a PID again only once
  // every handle to the old process is closed.
  const PidFileState now = InspectPidFile(path);
  if (now.kind != PidFileState::Kind::kLive || now.pid != pid) {
    return Status::NotFound("PID " + std::to_string(pid) + " no longer runs the server");
  }
  return SendSignal(pid, signal);
}

}  // namespace x402
