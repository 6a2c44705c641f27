// Waiting until a server process is gone, judged by the PID file's lock (docs/architecture.md §9: a
// zombie still answers kill(pid, 0), and slow reapers leave zombies for seconds).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace x402 {

/// True once |pid| no longer holds the lock on |pid_file| and has exited (within |timeout|):
/// the lock goes first, while the process may still be finishing its exit.
bool WaitForLockRelease(const std::string& pid_file, int64_t pid, std::chrono::milliseconds timeout);

}  // namespace x402
