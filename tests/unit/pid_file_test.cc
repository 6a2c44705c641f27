#include "state/pid_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "base/file.h"
#include "state/server_state.h"

namespace x402 {
namespace {

namespace fs = std::filesystem;

TEST(PidFileContentTest, AcceptsOnlyAPlainPidInRange) {
  EXPECT_EQ(ParsePidFileContent("4711\n"), 4711);
  EXPECT_EQ(ParsePidFileContent("4711"), 4711);
  EXPECT_EQ(ParsePidFileContent("2\n"), 2);
  for (const char* bad : {"", "\n", "0\n", "1\n", "-5\n", "+5\n", " 5\n", "5 \n", "5\n\n", "abc",
                          "99999999999", "4194305\n", "0x10\n", "5\n6\n"}) {
    EXPECT_EQ(ParsePidFileContent(bad), 0) << '"' << bad << '"';
  }
}

TEST(PidFileContentTest, Issue9PidWithoutNewlineIsStaleWithThatPid) {
  // Found by tests/fuzz (pid_file): "414" classified as stale with PID 0.
  const PidFileState s = ClassifyPidFile(0, "414");
  EXPECT_EQ(s.kind, PidFileState::Kind::kStale);
  EXPECT_EQ(s.pid, 414);
  EXPECT_EQ(ClassifyPidFile(0, "414\n7").kind, PidFileState::Kind::kCorrupt);
  EXPECT_EQ(ClassifyPidFile(77, "414\n").pid, 77);  // live: the lock's holder, not the file
}

class PidFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "x402-pid-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    path_ = (dir_ / "state" / "mock-server.pid").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& text) {
    fs::create_directories(fs::path(path_).parent_path());
    std::ofstream(path_) << text;
  }
  fs::path dir_;
  std::string path_;
};

TEST_F(PidFileTest, AbsentFileMeansNoServer) {
  EXPECT_EQ(InspectPidFile(path_).kind, PidFileState::Kind::kAbsent);
}

TEST_F(PidFileTest, AnUnlockedValidPidIsStale) {
  Write("4711\n");
  const PidFileState s = InspectPidFile(path_);
  EXPECT_EQ(s.kind, PidFileState::Kind::kStale);
  EXPECT_EQ(s.pid, 4711);
  EXPECT_TRUE(RemoveUnlockedPidFile(path_));
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(PidFileTest, GarbageAndSymlinksAreCorrupt) {
  Write("hello");
  EXPECT_EQ(InspectPidFile(path_).kind, PidFileState::Kind::kCorrupt);
  fs::remove(path_);
  const fs::path target = dir_ / "target";
  std::ofstream(target) << "4711\n";
  fs::create_symlink(target, path_);
  const PidFileState s = InspectPidFile(path_);
  EXPECT_EQ(s.kind, PidFileState::Kind::kCorrupt);
  EXPECT_EQ(s.problem, "is a symbolic link");
  EXPECT_TRUE(RemoveUnlockedPidFile(path_));
  EXPECT_TRUE(fs::exists(target)) << "removing the link must not touch its target";
}

TEST_F(PidFileTest, AcquireWritesThePidCreatesAPrivateDirectoryAndRemovesTheFileOnRelease) {
  {
    std::unique_ptr<PidFileLock> lock;
    ASSERT_TRUE(PidFileLock::Acquire(path_, &lock).ok());
    EXPECT_EQ(*ReadWholeFile(path_), std::to_string(::getpid()) + "\n");
    EXPECT_EQ(fs::status(fs::path(path_).parent_path()).permissions() & fs::perms::all,
              fs::perms::owner_all);
  }
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(PidFileTest, AcquireRefusesASymlinkedPidFile) {
  fs::create_directories(fs::path(path_).parent_path());
  fs::create_symlink(dir_ / "elsewhere", path_);
  std::unique_ptr<PidFileLock> lock;
  const Status s = PidFileLock::Acquire(path_, &lock);
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_NE(s.message().find("symbolic link"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "elsewhere"));
}

TEST_F(PidFileTest, AnotherProcessSeesTheLockAndItsHolder) {
  std::unique_ptr<PidFileLock> lock;
  ASSERT_TRUE(PidFileLock::Acquire(path_, &lock).ok());
  // Record locks do not conflict within one process: ask from a child.
  const pid_t child = ::fork();
  if (child == 0) {
    const PidFileState s = InspectPidFile(path_);
    std::unique_ptr<PidFileLock> second;
    const bool refused = PidFileLock::Acquire(path_, &second).code() == StatusCode::kAlreadyRunning;
    const bool removed = RemoveUnlockedPidFile(path_);
    _exit(s.kind == PidFileState::Kind::kLive && s.pid == ::getppid() && refused && !removed ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_TRUE(fs::exists(path_));
}

// Issue 16 item 6: an unreadable PID file was called corrupt and removed, and `mock status`
// said "not running" while a server ran. Whether a server runs is unknown then: never stale.
TEST_F(PidFileTest, APidFileWeMayNotReadIsUnknownAndNeverRemoved) {
  Write("4711\n");
  ::chmod(path_.c_str(), 0);
  ::chmod(dir_.c_str(), 0755);  // nobody may reach the state folder, and no further
  const auto as_nobody = [this](PidFileState* out, bool* removed) {
    // Root reads anything: look as nobody, from a child.
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    if (child == 0) {
      if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) _exit(2);
      const PidFileState s = InspectPidFile(path_);
      const char answer[2] = {static_cast<char>(s.kind), RemoveUnlockedPidFile(path_) ? '1' : '0'};
      _exit(::write(fds[1], answer, 2) == 2 ? 0 : 3);
    }
    ::close(fds[1]);
    char answer[2] = {};
    ASSERT_EQ(::read(fds[0], answer, 2), 2);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    out->kind = static_cast<PidFileState::Kind>(answer[0]);
    *removed = answer[1] == '1';
  };
  PidFileState seen;
  bool removed = true;
  // The folder cannot be searched (0700, another user's when we are root; 0000 otherwise).
  ::chmod(fs::path(path_).parent_path().c_str(), ::geteuid() == 0 ? 0700 : 0);
  as_nobody(&seen, &removed);
  ::chmod(fs::path(path_).parent_path().c_str(), 0755);
  EXPECT_EQ(seen.kind, PidFileState::Kind::kUnknown);
  EXPECT_FALSE(removed);
  // The folder can be searched, the file cannot be read.
  as_nobody(&seen, &removed);
  EXPECT_EQ(seen.kind, PidFileState::Kind::kUnknown);
  EXPECT_FALSE(removed);
  EXPECT_TRUE(fs::exists(path_)) << "an unreadable PID file is not a stale one";
}

#ifdef F_OFD_SETLK
// Issue 16 item 13: the CLI's cleanup of a stale PID file took the PID file's lock for a
// moment, and a concurrent `mock status` read that moment as "the server is PID <cli>". A
// child here cleans up stale files as fast as it can while the parent looks: the child must
// never be named.
TEST_F(PidFileTest, ACleanupRacingAReaderIsNeverNamedAsTheServer) {
  Write("4711\n");
  const pid_t cleaner = ::fork();
  if (cleaner == 0) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
    while (std::chrono::steady_clock::now() < end) {
      std::ofstream(path_) << "4711\n";
      (void)RemoveUnlockedPidFile(path_);
    }
    _exit(0);
  }
  int named_cleaner = 0, looks = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  while (std::chrono::steady_clock::now() < end) {
    const PidFileState s = InspectPidFile(path_);
    ++looks;
    if (s.kind == PidFileState::Kind::kLive) ++named_cleaner;
  }
  int status = 0;
  ASSERT_EQ(::waitpid(cleaner, &status, 0), cleaner);
  EXPECT_EQ(named_cleaner, 0) << "the cleanup was named as the live server in " << named_cleaner
                              << " of " << looks << " looks";
}

// Whoever holds an open-file-description lock is not a server: it is never named, and a
// starting server waits it out rather than calling it "already running (PID -1)".
TEST_F(PidFileTest, AnOfdLockHolderIsNeverNamedAndAStartingServerWaitsItOut) {
  Write(std::to_string(::getpid()) + "\n");
  const int fd = ::open(path_.c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  ASSERT_EQ(::fcntl(fd, F_OFD_SETLK, &lock), 0);
  const PidFileState held = InspectPidFile(path_);
  EXPECT_NE(held.kind, PidFileState::Kind::kLive);
  EXPECT_NE(held.pid, ::getpid());
  EXPECT_EQ(held.kind, PidFileState::Kind::kUnknown) << "held, by nobody we may name";

  std::thread release([fd] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ::close(fd);
  });
  std::unique_ptr<PidFileLock> server;
  const Status s = PidFileLock::Acquire(path_, &server);
  release.join();
  EXPECT_TRUE(s.ok()) << s.ToString();
}
#endif

// Issue 16 item 13: between naming the lock's holder and signalling it, the process is pinned
// and the lock re-checked: only the live holder is signalled.
TEST_F(PidFileTest, SignalLockHolderSignalsTheHolderAndNobodyElse) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t server = ::fork();
  if (server == 0) {
    std::unique_ptr<PidFileLock> lock;
    if (!PidFileLock::Acquire(path_, &lock).ok()) _exit(2);
    (void)!::write(ready[1], "x", 1);
    for (;;) ::pause();
  }
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  const pid_t bystander = ::fork();
  if (bystander == 0) {
    for (;;) ::pause();
  }
  // Not the holder: refused, and it lives.
  EXPECT_EQ(SignalLockHolder(path_, bystander, ProcessSignal::kTerminate).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(::waitpid(bystander, nullptr, WNOHANG), 0) << "the bystander was signalled";
  EXPECT_EQ(SignalLockHolder(path_, 1, ProcessSignal::kTerminate).code(), StatusCode::kInternal);
  // The holder: signalled.
  EXPECT_TRUE(SignalLockHolder(path_, server, ProcessSignal::kTerminate).ok());
  int status = 0;
  ASSERT_EQ(::waitpid(server, &status, 0), server);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
  // Gone: nothing more is sent (the PID may be anyone's by now).
  EXPECT_EQ(SignalLockHolder(path_, server, ProcessSignal::kKill).code(), StatusCode::kNotFound);
  ::kill(bystander, SIGKILL);
  ::waitpid(bystander, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
}

TEST(ServerStateTest, RoundTripsThroughJson) {
  ServerState s;
  s.pid = 42;
  s.host = "::1";
  s.port = 4020;
  s.url = "http://[::1]:4020";
  s.backend = "direct";
  s.started_at = 1'800'000'000;
  s.config_file = "/p/.x402dev.yaml";
  s.reload_count = 3;
  s.last_reload_ok = false;
  s.last_reload_message = "bad \"value\"";
  const auto parsed = ParseServerState(SerializeServerState(s));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->pid, 42);
  EXPECT_EQ(parsed->port, 4020);
  EXPECT_EQ(parsed->url, s.url);
  EXPECT_EQ(parsed->reload_count, 3);
  EXPECT_FALSE(parsed->last_reload_ok);
  EXPECT_EQ(parsed->last_reload_message, s.last_reload_message);
  EXPECT_FALSE(ParseServerState("{not json"));
  EXPECT_FALSE(ParseServerState("{\"port\":70000}"));
}

}  // namespace
}  // namespace x402
