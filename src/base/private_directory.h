// The state directory (~/.x402dev and what is under it) is only ever used when it is a real
// directory of this user. A symbolic link there (or one owned by someone else) is refused
// before anything is created, written or chmod-ed through it: as root with a user's HOME,
// `~/.x402dev -> /etc` would otherwise make /etc 0700 and put our files in it.
#pragma once

#include <string>

#include "base/status.h"

namespace x402 {

/// Creates |dir| (0700) when it is missing, then confirms it is a directory — not a symbolic
/// link, not another user's — and only then makes it private (no access for group or others),
/// through the directory itself. kIo naming the problem otherwise. Its parent must exist.
Status EnsurePrivateDirectory(const std::string& dir);

/// The same checks, changing nothing: Ok when |dir| is missing or is a directory of ours;
/// kIo when it is a link, not a directory, another user's, or cannot be looked at.
Status CheckOwnDirectory(const std::string& dir);

/// Ok when |path| is missing or a regular file; kIo when it is a symbolic link (or anything
/// else that is not a plain file), so that opening it would not write somewhere else.
Status CheckPlainFileOrMissing(const std::string& path);

}  // namespace x402
