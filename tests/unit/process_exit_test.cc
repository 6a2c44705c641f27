// WaitForExit: told by the kernel (a pidfd on Linux), so it must return as soon as the process
// is gone, including a process that is not our child, and not before.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "base/process.h"

namespace x402 {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

TEST(WaitForExitTest, TimesOutOnARunningProcessAndReturnsAtItsExit) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  EXPECT_FALSE(WaitForExit(child, milliseconds(50)));

  const auto before = Clock::now();
  ASSERT_EQ(::kill(child, SIGTERM), 0);
  EXPECT_TRUE(WaitForExit(child, milliseconds(10'000)));
  // Not the full timeout: the wait ended at the exit (generous bound for a loaded machine).
  EXPECT_LT(Clock::now() - before, milliseconds(5'000));
  int status = 0;
  ::waitpid(child, &status, 0);
}

TEST(WaitForExitTest, SeesTheExitOfAProcessThatIsNotItsChild) {
  // The server `mock stop` waits for is detached: reparented away from the CLI. A grandchild
  // whose parent has exited is the same situation.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t middle = ::fork();
  ASSERT_GE(middle, 0);
  if (middle == 0) {
    const pid_t grandchild = ::fork();
    if (grandchild == 0) {
      ::pause();
      ::_exit(0);
    }
    (void)!::write(pipe_fds[1], &grandchild, sizeof grandchild);
    ::_exit(0);
  }
  pid_t grandchild = 0;
  ASSERT_EQ(::read(pipe_fds[0], &grandchild, sizeof grandchild),
            static_cast<ssize_t>(sizeof grandchild));
  ::waitpid(middle, nullptr, 0);
  ASSERT_GT(grandchild, 1);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  EXPECT_FALSE(WaitForExit(grandchild, milliseconds(50)));
  ASSERT_EQ(::kill(grandchild, SIGTERM), 0);
  EXPECT_TRUE(WaitForExit(grandchild, milliseconds(10'000)));
}

TEST(WaitForExitTest, AnAbsentProcessHasExited) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);  // reaped: the PID now names nothing
  EXPECT_TRUE(WaitForExit(child, milliseconds(0)));
}

// The direct backend's start-up timeout: the child is killed and reaped through what
// SpawnDetached holds for it (on Windows its process handle), not by a PID looked up later.
TEST(DetachedChildTest, ASilentChildIsKilledAndReapedThroughItsHandle) {
  char pattern[] = "/tmp/x402-child-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string log = std::string(pattern) + "/out.log";
  DetachedChild child;
  ASSERT_TRUE(SpawnDetached({"/bin/sleep", "30"}, {}, log, &child).ok());
  ASSERT_GT(child.pid, 1);
  EXPECT_FALSE(ReadReadinessLine(child, milliseconds(50)));  // never reports
  EXPECT_FALSE(ReapChild(child, milliseconds(0)));            // still running
  ASSERT_TRUE(KillChild(child).ok());
  EXPECT_EQ(ReapChild(child, milliseconds(5'000)), 128 + SIGKILL);
  ReleaseChild(&child);
  EXPECT_EQ(child.ready_read, -1);
  EXPECT_EQ(child.process, -1);
  ::unlink(log.c_str());
  ::rmdir(pattern);
}

}  // namespace
}  // namespace x402
