#include "service/pid_file.h"

#include <charconv>

namespace x402 {

int64_t ParsePidFileContent(const std::string& content) {
  std::string_view text(content);
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (text.empty() || text.size() > 10) return 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
  }
  int64_t pid = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (ec != std::errc() || ptr != text.data() + text.size()) return 0;
  // 0 and 1 are never ours (0: the process group; 1: init). Linux's PID_MAX_LIMIT is 2^22;
  // Windows PIDs are DWORDs, multiples of 4, far below 2^32.
  constexpr int64_t kMaxPid = 4'194'304;
  if (pid <= 1 || pid > kMaxPid) return 0;
  return pid;
}

}  // namespace x402
