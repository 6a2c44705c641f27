#include <windows.h>
#include <knownfolders.h>
#include <shlobj.h>

#include <filesystem>

#include "base/home_directory.h"

namespace x402 {

const char* HomeVariableName() { return "USERPROFILE"; }

std::string AccountHomeDirectory() {
  PWSTR path = nullptr;
  std::string home;
  if (SUCCEEDED(::SHGetKnownFolderPath(FOLDERID_Profile, 0, nullptr, &path))) {
    home = std::filesystem::path(path).string();
  }
  ::CoTaskMemFree(path);
  return home;
}

}  // namespace x402
