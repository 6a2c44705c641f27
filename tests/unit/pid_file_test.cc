#include "service/pid_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/file.h"
#include "service/server_state.h"

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
