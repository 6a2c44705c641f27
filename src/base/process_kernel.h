// The few process primitives that POSIX leaves to each kernel, for the *_posix.cc files only.
// Defined once per POSIX system: process_linux.cc (pipe2, /proc, pidfd) and process_macos.cc
// (pipe + FD_CLOEXEC, libproc, kqueue); src/CMakeLists.txt compiles exactly one of them. Keeping
// them here, not behind #ifdef __linux__ in process_posix.cc, is what lets the macOS compile
// check (tests/portability) reject a Linux-only call in the portable file.
#pragma once

#include <spawn.h>

#include <chrono>
#include <cstdint>
#include <functional>

namespace x402::kernel {

/// pipe() with close-on-exec set on both ends; 0, or the errno of the failure.
int OpenCloexecPipe(int fds[2]);

/// True when |pid| has exited but not been reaped yet (a zombie). False when it runs, or when
/// the kernel will not say (then the caller treats it as running, as kill(pid, 0) does).
bool IsZombie(int64_t pid);

/// Blocks until the kernel reports that |pid| has exited or |timeout| has passed, and returns
/// true; returns false at once when this kernel cannot watch |pid| (the caller then polls).
/// Works for processes that are not our children: `mock stop` waits for a detached server.
bool AwaitExitNotice(int64_t pid, std::chrono::milliseconds timeout);

/// Has posix_spawn close, in the child, every descriptor above |last_kept| (the detached
/// server inherits nothing of the caller's beyond what the actions set up): a close-from file
/// action on Linux, POSIX_SPAWN_CLOEXEC_DEFAULT in |spawn_flags| on macOS.
void CloseOthersInChild(posix_spawn_file_actions_t* actions, short* spawn_flags, int last_kept);

/// The fcntl() command for a momentary lock that F_GETLK reports without a PID (l_pid -1), so
/// that nobody can mistake its holder for the server: F_OFD_SETLK on Linux; F_SETLK where
/// the kernel has no such lock.
int AnonymousLockCommand();

/// Sends |signal| to |pid| if |still_it()| confirms, with the process pinned across that check
/// where the kernel can (a pidfd on Linux), so a PID reused in between is never signalled.
/// 0: sent; ESRCH: |pid| is gone; ECANCELED: |still_it()| said no; ENOSYS: this kernel cannot
/// pin (the caller checks and signals by number); another errno: the signal failed.
int SignalPinned(int64_t pid, int signal, const std::function<bool()>& still_it);

}  // namespace x402::kernel
