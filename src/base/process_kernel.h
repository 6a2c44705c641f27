// The few process primitives that POSIX leaves to each kernel, for process_posix.cc only.
// Defined once per POSIX system: process_linux.cc (pipe2, /proc, pidfd) and process_macos.cc
// (pipe + FD_CLOEXEC, libproc, kqueue); src/CMakeLists.txt compiles exactly one of them. Keeping
// them here, not behind #ifdef __linux__ in process_posix.cc, is what lets the macOS compile
// check (tests/portability) reject a Linux-only call in the portable file.
#pragma once

#include <chrono>
#include <cstdint>

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

}  // namespace x402::kernel
