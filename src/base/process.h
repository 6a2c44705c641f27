// Process primitives the portable code needs, one implementation per OS family
// (process_posix.cc, process_win32.cc), as ninja does with subprocess-*.cc; within POSIX, what
// one kernel alone has is in process_linux.cc / process_macos.cc (process_kernel.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace x402 {

int64_t CurrentProcessId();

/// The absolute path of the running executable (what service definitions must name).
std::string CurrentExecutablePath();

/// A child started detached from the caller's terminal and session, with a readiness
/// channel: the child finds its write end's descriptor number in X402_DEV_READY_FD and
/// writes one line on it ("READY …" or "FAILED <code> <message>").
struct DetachedChild {
  int64_t pid = 0;
  intptr_t ready_read = -1;  // the caller's read end
  // Windows: the child's process handle, held until ReleaseChild, so that killing and reaping
  // reach this child even if its PID has been reused. POSIX needs none: an unreaped child's
  // PID cannot be reused.
  intptr_t process = -1;
};

/// Starts |argv| in a new session, stdin from /dev/null, stdout and stderr appended to
/// |output_path| (on Windows to |output_path|.console: the log file cannot be shared there),
/// the working directory and environment inherited plus |extra_env|.
Status SpawnDetached(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
                     const std::string& output_path, DetachedChild* child);

/// Reads the child's readiness line, waiting at most |timeout|. nullopt on timeout; "" when
/// the child closed the channel without a word (it died).
std::optional<std::string> ReadReadinessLine(const DetachedChild& child,
                                             std::chrono::milliseconds timeout);

/// Reaps |child| once it has exited, waiting up to |timeout|; its exit code, or nullopt if it
/// is still running.
std::optional<int> ReapChild(const DetachedChild& child, std::chrono::milliseconds timeout);

/// Kills |child| at once (SIGKILL / TerminateProcess), through its handle where it has one.
Status KillChild(const DetachedChild& child);

/// Releases the readiness channel.
void CloseReadiness(DetachedChild* child);

/// Releases what SpawnDetached holds for |child| (its readiness channel and process handle);
/// the child itself keeps running.
void ReleaseChild(DetachedChild* child);

enum class ProcessSignal { kTerminate, kKill, kReload };

/// Sends |signal| to |pid|. REQUIRES: pid > 1 (checked: anything else is refused, so a bad
/// value can never reach kill(0) or kill(-1)).
Status SendSignal(int64_t pid, ProcessSignal signal);

/// True when |pid| has exited: no such process, or a zombie waiting to be reaped (a slow
/// PID 1 can leave one for seconds; kill(pid, 0) alone would call it alive).
bool ProcessExited(int64_t pid);

/// Waits until |pid| has exited (as ProcessExited judges) or |timeout| has passed, and says
/// which. Told by the kernel where it can (a pidfd on Linux, a kqueue on macOS, the process
/// handle on Windows), so `mock stop` returns the moment the server is gone rather than at its
/// next look.
bool WaitForExit(int64_t pid, std::chrono::milliseconds timeout);

/// How many descriptors this process may have open, after lifting its soft limit to the hard
/// one (as Go's runtime does): the server's connection cap is derived from it. nullopt where
/// there is no such per-process limit to speak of (Windows: sockets are not counted against
/// one).
std::optional<uint64_t> RaiseOpenFileLimit();

/// In the child: the readiness channel from X402_DEV_READY_FD, if any. Sends |line| (a newline
/// is added) and closes it; later calls do nothing.
void ReportReadiness(const std::string& line);

}  // namespace x402
