#include "service/windows_path_list.h"

#include <vector>

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

// The folder an entry names, in one spelling: `"C:\Program Files\x402-dev\bin\" ` and
// `c:/program files/x402-dev/bin` are the same folder to Windows.
std::string Canonical(std::string_view entry) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!entry.empty() && is_space(entry.front())) entry.remove_prefix(1);
  while (!entry.empty() && is_space(entry.back())) entry.remove_suffix(1);
  if (entry.size() >= 2 && entry.front() == '"' && entry.back() == '"') {
    entry = entry.substr(1, entry.size() - 2);
  }
  std::string folder;
  folder.reserve(entry.size());
  for (char c : entry) {
    if (c == '/') c = '\\';
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    folder.push_back(c);
  }
  // "C:\" stays a drive's root; "C:\tools\" is "C:\tools".
  while (folder.size() > 3 && folder.back() == '\\') folder.pop_back();
  return folder;
}

}  // namespace

bool PathListContains(std::string_view list, std::string_view folder) {
  const std::string wanted = Canonical(folder);
  for (std::string_view entry : SplitEntries(list)) {
    if (!entry.empty() && Canonical(entry) == wanted) return true;
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
  const std::string unwanted = Canonical(folder);
  std::string result;
  bool first = true;
  for (std::string_view entry : SplitEntries(list)) {
    if (!entry.empty() && Canonical(entry) == unwanted) continue;
    if (!first) result.push_back(';');
    result.append(entry);
    first = false;
  }
  return result;
}

}  // namespace x402
