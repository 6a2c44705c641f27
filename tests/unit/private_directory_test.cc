// Issue 16 item 4: a symlinked ~/.x402dev (or logs/) was written through and chmod-ed before
// it was refused. Each check here makes a link to a directory of the test's and asserts the
// target is exactly as it was: mode, entries, content.
#include "base/private_directory.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "base/logging.h"
#include "state/instance.h"
#include "state/pid_file.h"
#include "state/state_paths.h"

namespace x402 {
namespace {

namespace fs = std::filesystem;

mode_t Mode(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

std::set<std::string> Entries(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class PrivateDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "x402-private-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    // The link's target: a folder someone else cares about (think /etc), mode 0755, one file.
    target_ = dir_ / "target";
    fs::create_directory(target_);
    ::chmod(target_.c_str(), 0755);
    std::ofstream(target_ / "keep") << "precious\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  void ExpectTargetUntouched() {
    EXPECT_EQ(Mode(target_), 0755u) << "the link's target was chmod-ed";
    EXPECT_EQ(Entries(target_), std::set<std::string>{"keep"}) << "something was written in it";
    EXPECT_EQ(Read(target_ / "keep"), "precious\n");
  }

  fs::path dir_, target_;
};

TEST_F(PrivateDirectoryTest, CreatesAMissingDirectoryPrivate) {
  const fs::path d = dir_ / "new";
  ASSERT_TRUE(EnsurePrivateDirectory(d.string()).ok());
  EXPECT_EQ(Mode(d), 0700u);
}

TEST_F(PrivateDirectoryTest, TakesGroupAndOthersAwayButLeavesTheOwnersBits) {
  const fs::path open = dir_ / "open";
  fs::create_directory(open);
  ::chmod(open.c_str(), 0755);
  ASSERT_TRUE(EnsurePrivateDirectory(open.string()).ok());
  EXPECT_EQ(Mode(open), 0700u);
  const fs::path read_only = dir_ / "read-only";
  fs::create_directory(read_only);
  ::chmod(read_only.c_str(), 0555);
  ASSERT_TRUE(EnsurePrivateDirectory(read_only.string()).ok());
  EXPECT_EQ(Mode(read_only), 0500u);
}

TEST_F(PrivateDirectoryTest, ALinkIsRefusedBeforeAnythingHappensThroughIt) {
  const fs::path link = dir_ / ".x402dev";
  fs::create_directory_symlink(target_, link);
  const Status s = EnsurePrivateDirectory(link.string());
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_NE(s.message().find("symbolic link"), std::string::npos) << s.message();
  EXPECT_EQ(CheckOwnDirectory(link.string()).code(), StatusCode::kIo);
  ExpectTargetUntouched();
}

TEST_F(PrivateDirectoryTest, AnotherUsersDirectoryIsRefusedAndLeftAsItWas) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to make a directory another user's";
  const fs::path theirs = dir_ / "theirs";
  fs::create_directory(theirs);
  ::chmod(theirs.c_str(), 0755);
  ASSERT_EQ(::chown(theirs.c_str(), 65534, 65534), 0);
  const Status s = EnsurePrivateDirectory(theirs.string());
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_NE(s.message().find("another user"), std::string::npos) << s.message();
  EXPECT_EQ(Mode(theirs), 0755u);
}

TEST_F(PrivateDirectoryTest, StateDirectoriesRefuseALinkedRootOrLogFolder) {
  const std::string home = (dir_ / "home").string();
  fs::create_directory(home);
  Instance named;
  ASSERT_TRUE(Instance::Parse("blue", &named).ok());

  // ~/.x402dev -> target: neither instance may create anything in it.
  fs::create_directory_symlink(target_, fs::path(home) / ".x402dev");
  EXPECT_EQ(PrepareStateDirectories(Instance().Paths(home)).code(), StatusCode::kIo);
  EXPECT_EQ(PrepareStateDirectories(named.Paths(home)).code(), StatusCode::kIo);
  EXPECT_EQ(CheckStateDirectories(named.Paths(home)).code(), StatusCode::kIo);
  ExpectTargetUntouched();

  // A real ~/.x402dev with logs -> target.
  fs::remove(fs::path(home) / ".x402dev");
  fs::create_directory(fs::path(home) / ".x402dev");
  fs::create_directory_symlink(target_, fs::path(home) / ".x402dev" / "logs");
  const Status s = PrepareStateDirectories(Instance().Paths(home));
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_NE(s.message().find("logs is a symbolic link"), std::string::npos) << s.message();
  ExpectTargetUntouched();

  // Without links, every level is made, private.
  fs::remove(fs::path(home) / ".x402dev" / "logs");
  ASSERT_TRUE(PrepareStateDirectories(named.Paths(home)).ok());
  EXPECT_EQ(Mode(named.Paths(home).log_dir), 0700u);
  EXPECT_EQ(Mode(fs::path(home) / ".x402dev" / "instances"), 0700u);
}

TEST_F(PrivateDirectoryTest, TheLoggerRefusesALinkedLogFolderOrFile) {
  Logger logger(nullptr, LogLevel::kInfo);
  const fs::path logs = dir_ / "logs";
  fs::create_directory_symlink(target_, logs);
  Status s = logger.OpenFile((logs / "mock-server.log").string(), 1 << 20, 2);
  EXPECT_EQ(s.code(), StatusCode::kIo);
  ExpectTargetUntouched();

  fs::remove(logs);
  fs::create_directory(logs);
  fs::create_symlink(target_ / "keep", logs / "mock-server.log");
  s = logger.OpenFile((logs / "mock-server.log").string(), 1 << 20, 2);
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_NE(s.message().find("symbolic link"), std::string::npos) << s.message();
  logger.Error("must not reach the link's target");
  ExpectTargetUntouched();
}

TEST_F(PrivateDirectoryTest, ThePidFileLockRefusesALinkedFolder) {
  const fs::path link = dir_ / "state";
  fs::create_directory_symlink(target_, link);
  std::unique_ptr<PidFileLock> lock;
  EXPECT_EQ(PidFileLock::Acquire((link / "mock-server.pid").string(), &lock).code(),
            StatusCode::kIo);
  EXPECT_EQ(lock, nullptr);
  ExpectTargetUntouched();
}

}  // namespace
}  // namespace x402
