// Windows only (compiled into WIN32 builds alone): the UTF-8 ↔ UTF-16 conversions, error text
// and handle ownership that every Win32 call site of src/ and platform/windows/ needs, once.
#pragma once

#ifndef _WIN32
#error "base/win32_util.h is for Windows builds only"
#endif

#ifndef NOMINMAX
#define NOMINMAX  // windows.h must not define min/max macros over std::min/std::max
#endif
#include <windows.h>

#include <string>

namespace x402 {

/// UTF-8 → UTF-16, for the W functions of the Win32 API.
std::wstring Wide(const std::string& utf8);

/// UTF-16 → UTF-8.
std::string Narrow(const std::wstring& utf16);

/// The system's message for Win32 error |code| (FormatMessage) without its trailing line
/// break, or the number when the system has none.
std::string Win32ErrorText(DWORD code);

/// Owns an SC_HANDLE (Service Control Manager or service) and closes it once.
class ScHandle {
 public:
  explicit ScHandle(SC_HANDLE handle = nullptr) : handle_(handle) {}
  ~ScHandle() {
    if (handle_ != nullptr) ::CloseServiceHandle(handle_);
  }
  ScHandle(ScHandle&& other) noexcept : handle_(other.handle_) { other.handle_ = nullptr; }
  ScHandle& operator=(ScHandle&& other) noexcept {
    if (this != &other) {
      if (handle_ != nullptr) ::CloseServiceHandle(handle_);
      handle_ = other.handle_;
      other.handle_ = nullptr;
    }
    return *this;
  }
  ScHandle(const ScHandle&) = delete;
  ScHandle& operator=(const ScHandle&) = delete;

  SC_HANDLE get() const { return handle_; }
  explicit operator bool() const { return handle_ != nullptr; }

 private:
  SC_HANDLE handle_;
};

}  // namespace x402
