#include "service/launchctl_print.h"

#include <charconv>

namespace x402 {
namespace {

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<LaunchdJob> ParseLaunchctlPrint(std::string_view text) {
  // "gui/501/dev.x402.mock = {" then one tab per level of nesting.
  const std::size_t open = text.find(" = {\n");
  if (open == std::string_view::npos) return std::nullopt;
  LaunchdJob job;
  bool saw_state = false;
  int depth = 1;
  std::size_t pos = open + 5;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    std::size_t tabs = 0;
    while (tabs < line.size() && line[tabs] == '\t') ++tabs;
    std::string_view body = line.substr(tabs);
    if (body == "}") {
      if (--depth == 0) break;
      continue;
    }
    const bool opens = body.size() >= 3 && body.substr(body.size() - 3) == "= {";
    if (static_cast<int>(tabs) == 1 && depth == 1) {
      const std::size_t eq = body.find(" = ");
      if (eq != std::string_view::npos && !opens) {
        const std::string_view key = body.substr(0, eq);
        const std::string_view value = body.substr(eq + 3);
        if (key == "state") {
          job.state = std::string(value);
          saw_state = true;
        } else if (key == "pid") {
          job.pid = ParseInt(value).value_or(0);
        } else if (key == "runs") {
          job.runs = ParseInt(value).value_or(0);
        } else if (key == "last exit code") {
          if (auto code = ParseInt(value.substr(0, value.find(':')))) {
            job.last_exit_code = static_cast<int>(*code);
          }
        }
      }
    }
    if (opens) ++depth;
  }
  if (!saw_state) return std::nullopt;
  return job;
}

}  // namespace x402
