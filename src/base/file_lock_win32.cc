#include "base/file_lock.h"
#include "base/win32_util.h"

namespace x402 {

Status FileLock::TryAcquire(const std::string& path, std::unique_ptr<FileLock>* out) {
  out->reset();
  const std::wstring wide = Wide(path);
  // Not inheritable (no SECURITY_ATTRIBUTES), opened without following reparse points.
  HANDLE handle = ::CreateFileW(wide.c_str(), GENERIC_READ | GENERIC_WRITE,
                                FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                                OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT,
                                nullptr);
  if (handle == INVALID_HANDLE_VALUE) {
    return Status::Io("cannot open the lock file " + path + ": " + Win32ErrorText(::GetLastError()));
  }
  OVERLAPPED overlapped{};
  if (!::LockFileEx(handle, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0,
                    &overlapped)) {
    const DWORD error = ::GetLastError();
    ::CloseHandle(handle);
    if (error == ERROR_LOCK_VIOLATION || error == ERROR_IO_PENDING) return Status::Ok();
    return Status::Io("cannot lock " + path + ": " + Win32ErrorText(error));
  }
  out->reset(new FileLock(reinterpret_cast<intptr_t>(handle)));
  return Status::Ok();
}

FileLock::~FileLock() { ::CloseHandle(reinterpret_cast<HANDLE>(handle_)); }

}  // namespace x402
