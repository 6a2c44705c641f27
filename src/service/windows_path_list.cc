#include "service/windows_path_list.h"

#include <vector>

#include "service/windows_command_line.h"

namespace x402 {
namespace {

std::vector<std::string_view> SplitEntries(std::string_view list) {
  std::vector<std::string_view> entries;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = list.find(';', start);
    entries.push_back(list.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return entries;
    start = end + 1;
  }
}

// The folder an entry names, without what Windows ignores around it: `"C:\tools\" ` is
// C:\tools. (Case and '/' are SameWindowsPath()'s.)
std::string_view Bare(std::string_view entry) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!entry.empty() && is_space(entry.front())) entry.remove_prefix(1);
  while (!entry.empty() && is_space(entry.back())) entry.remove_suffix(1);
  if (entry.size() >= 2 && entry.front() == '"' && entry.back() == '"') {
    entry = entry.substr(1, entry.size() - 2);
  }
  // "C:\" stays a drive's root; "C:\tools\" is "C:\tools".
  while (entry.size() > 3 && (entry.back() == '\\' || entry.back() == '/')) entry.remove_suffix(1);
  return entry;
}

bool NamesFolder(std::string_view entry, std::string_view folder) {
  return !entry.empty() && SameWindowsPath(Bare(entry), Bare(folder));
}

}  // namespace

bool PathListContains(std::string_view list, std::string_view folder) {
  for (std::string_view entry : SplitEntries(list)) {
    if (NamesFolder(entry, folder)) return true;
  }
  return false;
}

std::string PathListAppend(std::string_view list, std::string_view folder) {
  std::string result(list);
  if (PathListContains(list, folder)) return result;
  // Always a separator of our own, even after a trailing ';': PathListRemove() then gives
  // back the very list it was given.
  if (!result.empty()) result.push_back(';');
  result.append(folder);
  return result;
}

std::string PathListRemove(std::string_view list, std::string_view folder) {
  std::string result;
  bool first = true;
  for (std::string_view entry : SplitEntries(list)) {
    if (NamesFolder(entry, folder)) continue;
    if (!first) result.push_back(';');
    result.append(entry);
    first = false;
  }
  return result;
}

}  // namespace x402
