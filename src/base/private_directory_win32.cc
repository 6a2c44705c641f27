// Windows: a symbolic link or junction is a reparse point; those are refused. Ownership is
// not compared: the Windows service runs as another account (LocalSystem) on the user's
// state directory by design (docs/architecture.md §12).
#include <windows.h>

#include <filesystem>

#include "base/private_directory.h"

namespace x402 {
namespace {

Status Judge(const std::string& path, bool want_directory) {
  const DWORD attributes = ::GetFileAttributesW(std::filesystem::path(path).c_str());
  if (attributes == INVALID_FILE_ATTRIBUTES) {
    const DWORD err = ::GetLastError();
    if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND) return Status::Ok();
    if (err == ERROR_ACCESS_DENIED) return Status::Io("permission denied looking at " + path);
    return Status::Io("cannot look at " + path + " (error " + std::to_string(err) + ")");
  }
  if ((attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0) {
    return Status::Io(path + " is a symbolic link or junction; refusing to write through it")
        .WithHint("remove it; x402-dev creates its own directory");
  }
  const bool is_directory = (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
  if (want_directory && !is_directory) return Status::Io(path + " exists and is not a directory");
  if (!want_directory && is_directory) return Status::Io(path + " is not a regular file");
  return Status::Ok();
}

}  // namespace

Status CheckOwnDirectory(const std::string& dir) { return Judge(dir, true); }

Status EnsurePrivateDirectory(const std::string& dir) {
  Status s = Judge(dir, true);
  if (!s.ok()) return s;
  if (!::CreateDirectoryW(std::filesystem::path(dir).c_str(), nullptr) &&
      ::GetLastError() != ERROR_ALREADY_EXISTS) {
    return Status::Io("cannot create " + dir + " (error " + std::to_string(::GetLastError()) + ")");
  }
  return Judge(dir, true);
}

Status CheckPlainFileOrMissing(const std::string& path) { return Judge(path, false); }

}  // namespace x402
