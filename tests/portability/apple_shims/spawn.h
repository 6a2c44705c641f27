// Shim of Apple's <spawn.h> for the macOS compile check (see README.md): glibc's POSIX
// declarations, plus the Apple extensions x402-dev uses. POSIX_SPAWN_SETSID (a new session
// for the detached server) is in Apple's <sys/spawn.h>; glibc declares it only under
// _GNU_SOURCE, and POSIX itself only since POSIX.1-2024.
#pragma once

#include_next <spawn.h>

#ifndef POSIX_SPAWN_SETSID
#define POSIX_SPAWN_SETSID 0x0400
#endif

// Apple's: every descriptor not set up by a file action is closed in the child.
#ifndef POSIX_SPAWN_CLOEXEC_DEFAULT
#define POSIX_SPAWN_CLOEXEC_DEFAULT 0x4000
#endif
