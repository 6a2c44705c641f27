#include "base/win32_util.h"

#include <Poco/UnicodeConverter.h>

namespace x402 {

std::wstring Wide(const std::string& utf8) {
  std::wstring out;
  Poco::UnicodeConverter::toUTF16(utf8, out);
  return out;
}

std::string Narrow(const std::wstring& utf16) {
  std::string out;
  Poco::UnicodeConverter::toUTF8(utf16, out);
  return out;
}

std::string Win32ErrorText(DWORD code) {
  wchar_t* text = nullptr;
  ::FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                       FORMAT_MESSAGE_IGNORE_INSERTS,
                   nullptr, code, 0, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
  if (text == nullptr) return std::to_string(code);
  std::string message = Narrow(text);
  ::LocalFree(text);
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  return message;
}

}  // namespace x402
