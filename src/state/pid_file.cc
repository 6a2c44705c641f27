#include "state/pid_file.h"

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

PidFileState ClassifyPidFile(int64_t live_holder, const std::string& content) {
  PidFileState state;
  // A writer puts the new line first and cuts leftovers after it: judge the first line (the
  // whole content when there is no newline).
  const std::size_t newline = content.find('\n');
  state.file_pid = ParsePidFileContent(
      newline == std::string::npos ? content : content.substr(0, newline + 1));
  if (live_holder > 0) {
    state.kind = PidFileState::Kind::kLive;
    state.pid = live_holder;
  } else if (ParsePidFileContent(content) == 0) {
    state.kind = PidFileState::Kind::kCorrupt;
    state.problem = content.empty() ? "is empty" : "does not hold a valid PID";
  } else {
    state.kind = PidFileState::Kind::kStale;
    state.pid = state.file_pid;
  }
  return state;
}

}  // namespace x402
