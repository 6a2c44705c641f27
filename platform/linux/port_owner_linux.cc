// Finds the process listening on a TCP port from /proc: the socket's inode from
// /proc/net/tcp{,6}, then the process whose /proc/<pid>/fd links to "socket:[inode]".
#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "base/port_owner.h"

namespace x402 {
namespace {

constexpr const char* kListenState = "0A";

void CollectListeningInodes(const char* table, uint16_t port, std::set<std::string>* inodes) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode)) {
      continue;
    }
    const std::size_t colon = local.rfind(':');
    if (colon == std::string::npos || state != kListenState) continue;
    if (std::stoul(local.substr(colon + 1), nullptr, 16) == port) inodes->insert(inode);
  }
}

std::string CommandName(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/comm");
  std::string name;
  std::getline(in, name);
  return name.empty() ? "unknown" : name;
}

}  // namespace

std::optional<PortOwner> FindPortOwner(uint16_t port) {
  std::set<std::string> inodes;
  CollectListeningInodes("/proc/net/tcp", port, &inodes);
  CollectListeningInodes("/proc/net/tcp6", port, &inodes);
  if (inodes.empty()) return std::nullopt;

  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return std::nullopt;
  std::optional<PortOwner> owner;
  while (!owner) {
    const dirent* entry = ::readdir(proc);
    if (entry == nullptr) break;
    const std::string pid = entry->d_name;
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string fd_dir = "/proc/" + pid + "/fd";
    DIR* fds = ::opendir(fd_dir.c_str());
    if (fds == nullptr) continue;  // another user's process, or gone
    while (const dirent* fd = ::readdir(fds)) {
      char target[64];
      const std::string link = fd_dir + "/" + fd->d_name;
      const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
      if (n <= 0) continue;
      const std::string text(target, static_cast<std::size_t>(n));
      if (text.rfind("socket:[", 0) != 0) continue;
      if (inodes.count(text.substr(8, text.size() - 9)) != 0) {
        owner = PortOwner{std::stoll(pid), CommandName(pid)};
        break;
      }
    }
    ::closedir(fds);
  }
  ::closedir(proc);
  return owner;
}

}  // namespace x402
