#include "state/state_paths.h"

#include <filesystem>

#include "base/private_directory.h"
#include "state/instance.h"

namespace x402 {
namespace {

// root, then each folder under it down to dir, then the log folder: parents before children,
// so no directory is made or looked at through one that was not checked first.
std::vector<std::string> StateDirectories(const StatePaths& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  const fs::path root(paths.root.empty() ? paths.dir : paths.root);
  const fs::path dir(paths.dir);
  out.push_back(root.string());
  fs::path at = root;
  for (const fs::path& part : dir.lexically_relative(root)) {
    if (part.empty() || part == ".") continue;
    at /= part;
    out.push_back(at.string());
  }
  out.push_back(paths.log_dir);
  return out;
}

}  // namespace

StatePaths StatePaths::ForHome(const std::string& home) { return Instance().Paths(home); }

Status PrepareStateDirectories(const StatePaths& paths) {
  for (const std::string& dir : StateDirectories(paths)) {
    Status s = EnsurePrivateDirectory(dir);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status CheckStateDirectories(const StatePaths& paths) {
  for (const std::string& dir : StateDirectories(paths)) {
    Status s = CheckOwnDirectory(dir);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace x402
