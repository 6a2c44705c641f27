// The log file is written by a thread of the Logger's own (logging.cc): every line must reach
// the file whole, in each thread's order, by the time the Logger is gone; warnings before Log
// returns.
#include "base/logging.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace x402 {
namespace {

namespace fs = std::filesystem;

class LoggingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "x402-log-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> Lines() const {
    std::ifstream in(dir_ / "server.log");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  fs::path dir_;
};

TEST_F(LoggingTest, EveryLineFromEveryThreadArrivesWholeAndInOrder) {
  constexpr int kThreads = 4;
  constexpr int kLinesPerThread = 5000;
  {
    Logger logger(nullptr, LogLevel::kInfo);
    ASSERT_TRUE(logger.OpenFile((dir_ / "server.log").string(), 64 << 20, 2).ok());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&logger, t] {
        for (int i = 0; i < kLinesPerThread; ++i) {
          logger.Info("thread " + std::to_string(t) + " line " + std::to_string(i));
        }
      });
    }
    for (auto& thread : threads) thread.join();
  }  // destroyed: everything written

  std::map<int, int> next;  // thread -> the line number expected next
  int total = 0;
  for (const std::string& line : Lines()) {
    const auto at = line.find(" INFO thread ");
    ASSERT_NE(at, std::string::npos) << line;
    std::istringstream fields(line.substr(at + 13));
    int thread = -1, number = -1;
    std::string word;
    fields >> thread >> word >> number;
    ASSERT_EQ(word, "line") << line;
    EXPECT_EQ(number, next[thread]) << "thread " << thread << " out of order: " << line;
    next[thread] = number + 1;
    ++total;
  }
  EXPECT_EQ(total, kThreads * kLinesPerThread);
}

TEST_F(LoggingTest, AWarningIsInTheFileWhenLogReturns) {
  Logger logger(nullptr, LogLevel::kInfo);
  ASSERT_TRUE(logger.OpenFile((dir_ / "server.log").string(), 1 << 20, 2).ok());
  logger.Info("before");
  logger.Warn("disk nearly full");
  const std::vector<std::string> lines = Lines();  // read while the Logger is alive
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("INFO before"), std::string::npos);
  EXPECT_NE(lines[1].find("WARN disk nearly full"), std::string::npos);
}

// The foreground server's terminal gets its lines from the writer thread, not from a write(2) in
// each request: the same lines as the file, in the same order, none lost or torn.
TEST_F(LoggingTest, TheTerminalGetsTheFilesLinesInTheSameOrder) {
  const fs::path echo_path = dir_ / "terminal.txt";
  std::FILE* terminal = std::fopen(echo_path.string().c_str(), "w");
  ASSERT_NE(terminal, nullptr);
  {
    Logger logger(terminal, LogLevel::kInfo);
    ASSERT_TRUE(logger.OpenFile((dir_ / "server.log").string(), 64 << 20, 2).ok());
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&logger, t] {
        for (int i = 0; i < 3000; ++i) {
          logger.Info("thread " + std::to_string(t) + " line " + std::to_string(i));
        }
      });
    }
    for (auto& thread : threads) thread.join();
  }
  std::fclose(terminal);
  std::ifstream in(echo_path);
  std::vector<std::string> echoed;
  for (std::string line; std::getline(in, line);) echoed.push_back(line);
  const std::vector<std::string> filed = Lines();
  ASSERT_EQ(filed.size(), 9000u);
  EXPECT_EQ(echoed, filed);
}

// A terminal slower than the server (a container runtime's log pipe) slows the logging thread
// down instead of letting unwritten lines pile up: however fast lines come, what was logged
// but not yet read stays within the backlog limit (64 KiB), the writer's batch and the pipe.
TEST_F(LoggingTest, ASlowTerminalHoldsTheLoggerBackInsteadOfFallingBehind) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::FILE* terminal = ::fdopen(fds[1], "w");
  ASSERT_NE(terminal, nullptr);
  std::atomic<std::size_t> read_bytes{0};
  std::thread reader([&] {  // about 4 MB/s
    char buffer[4096];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) {
      read_bytes += static_cast<std::size_t>(n);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  std::size_t logged_bytes = 0, most_behind = 0;
  {
    Logger logger(terminal, LogLevel::kInfo);
    ASSERT_TRUE(logger.OpenFile((dir_ / "server.log").string(), 64 << 20, 2).ok());
    const std::string text(100, 'x');
    for (int i = 0; i < 20000; ++i) {  // 2.6 MB of lines, as fast as the logger takes them
      logger.Info(text);
      logged_bytes += 131;  // 24 for the timestamp, " INFO ", the text, the newline
      most_behind = std::max(most_behind, logged_bytes - std::min(logged_bytes, read_bytes.load()));
    }
  }
  std::fclose(terminal);
  reader.join();
  ::close(fds[0]);
  EXPECT_EQ(read_bytes.load(), logged_bytes);
  EXPECT_LT(most_behind, 4u * 64 * 1024 + 64 * 1024) << "the pipe holds 64 KiB; the rest was backlog";
}

TEST_F(LoggingTest, AWarningIsOnTheTerminalWhenLogReturns) {
  const fs::path echo_path = dir_ / "terminal.txt";
  std::FILE* terminal = std::fopen(echo_path.string().c_str(), "w");
  ASSERT_NE(terminal, nullptr);
  {
    Logger logger(terminal, LogLevel::kInfo);
    ASSERT_TRUE(logger.OpenFile((dir_ / "server.log").string(), 1 << 20, 2).ok());
    logger.Info("before");
    logger.Error("cannot bind");
    std::ifstream in(echo_path);  // read while the Logger is alive
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_NE(lines[0].find("INFO before"), std::string::npos);
    EXPECT_NE(lines[1].find("ERROR cannot bind"), std::string::npos);
  }
  std::fclose(terminal);
}

TEST_F(LoggingTest, RotationStaysBoundedUnderABurst) {
  {
    Logger logger(nullptr, LogLevel::kInfo);
    ASSERT_TRUE(logger.OpenFile((dir_ / "server.log").string(), 4096, 2).ok());
    for (int i = 0; i < 2000; ++i) logger.Info("payment accepted: request " + std::to_string(i));
  }
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    ++files;
    // A write may start just under the limit: at most one chunk (a quarter of it) beyond.
    EXPECT_LE(fs::file_size(entry.path()), 4096u + 4096u / 4 + 128) << entry.path();
  }
  EXPECT_EQ(files, 3);  // the live file and two archives
}

}  // namespace
}  // namespace x402
