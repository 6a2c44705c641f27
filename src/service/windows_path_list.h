// The machine PATH as the Windows installer edits it (packaging/windows/x402-dev.nsi, through
// platform/windows/installer_helper.cc): a ';'-separated list of folders. Plain string work,
// so it is unit-tested on every OS. An installer that rewrites PATH through a fixed buffer
// (NSIS's strings are 1024 characters) truncates a long PATH and loses the user's entries;
// here every entry but ours is kept byte for byte, however long the list.
#pragma once

#include <string>
#include <string_view>

namespace x402 {

/// The longest value Windows keeps in one environment variable, in UTF-16 units
/// (SetEnvironmentVariable's documented limit, the terminating null excluded).
inline constexpr std::size_t kWindowsEnvironmentValueMax = 32767;

/// True when |list| names |folder|, compared as Windows compares folder names: ASCII letters
/// in any case, '/' as '\', surrounding quotes and spaces and trailing separators ignored.
bool PathListContains(std::string_view list, std::string_view folder);

/// |list| with |folder| appended after a ';' of its own, or |list| unchanged when it already
/// names it. PathListRemove(PathListAppend(list, f), f) == list when |list| did not name |f|.
std::string PathListAppend(std::string_view list, std::string_view folder);

/// |list| without any entry naming |folder|; the other entries (empty ones included) and their
/// order unchanged.
std::string PathListRemove(std::string_view list, std::string_view folder);

}  // namespace x402
