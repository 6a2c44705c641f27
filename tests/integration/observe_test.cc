// What a developer uses to see the mock: `mock status` asking the server itself (a SIGSTOPped
// server holds the lock but is "running, not answering", exit 3), `mock logs --since/--level`,
// and the dashboard page at /__x402/.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <thread>

#include "server_process.h"

namespace x402::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

class ObserveTest : public ::testing::Test {
 protected:
  void StartServer() {
    port_ = FreePort();
    server_ = std::make_unique<ServerProcess>(
        home_.path(),
        std::vector<std::string>{"mock", "--port", std::to_string(port_), "--threads", "1"});
    ASSERT_TRUE(server_->WaitHealthy(port_)) << server_->Stderr();
  }

  void TearDown() override {
    if (server_) {
      server_->Signal(SIGCONT);  // in case a failed assertion left it stopped
      server_->Signal(SIGTERM);
      EXPECT_EQ(server_->Wait(), 0) << server_->Stderr();
    }
  }

  TempDir home_;
  uint16_t port_ = 0;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ObserveTest, StatusOfAStoppedServerIsRunningNotAnsweringWithExit3) {
  StartServer();
  RunResult answering = RunX402Dev(home_.path(), {"mock", "status"});
  EXPECT_EQ(answering.exit_code, 0) << answering.err;
  EXPECT_NE(answering.out.find("mock server: running\n"), std::string::npos) << answering.out;
  EXPECT_NE(answering.out.find("/__x402/"), std::string::npos) << answering.out;

  server_->Signal(SIGSTOP);
  const auto asked = Clock::now();
  RunResult stopped = RunX402Dev(home_.path(), {"mock", "status"});
  const auto took = Clock::now() - asked;
  EXPECT_EQ(stopped.exit_code, 3) << stopped.out << stopped.err;
  EXPECT_NE(stopped.out.find("running, not answering"), std::string::npos) << stopped.out;
  EXPECT_NE(stopped.err.find("is running, not answering"), std::string::npos) << stopped.err;
  EXPECT_LT(took, std::chrono::seconds(5)) << "status must give up after its short timeout";

  RunResult stopped_json = RunX402Dev(home_.path(), {"mock", "status", "--json"});
  EXPECT_EQ(stopped_json.exit_code, 3);
  EXPECT_NE(stopped_json.out.find("\"answering\":false"), std::string::npos) << stopped_json.out;
  EXPECT_NE(stopped_json.out.find("\"state\":\"not_answering\""), std::string::npos);

  // `mock list` reads the lock and the state file only: it still lists the server.
  RunResult list = RunX402Dev(home_.path(), {"mock", "list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("running"), std::string::npos) << list.out;

  server_->Signal(SIGCONT);
  RunResult again = RunX402Dev(home_.path(), {"mock", "status", "--json"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("\"answering\":true"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("\"reloads\":{\"count\":0"), std::string::npos) << again.out;
}

TEST_F(ObserveTest, StatusJsonCarriesTheReloadResult) {
  StartServer();
  RunResult reload = RunX402Dev(home_.path(), {"mock", "reload"});
  ASSERT_EQ(reload.exit_code, 0) << reload.err;
  RunResult status = RunX402Dev(home_.path(), {"mock", "status", "--json"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("\"reloads\":{\"count\":1,\"last_ok\":true"), std::string::npos)
      << status.out;
  RunResult text = RunX402Dev(home_.path(), {"mock", "status"});
  EXPECT_NE(text.out.find("reloads:  1, the last one applied"), std::string::npos) << text.out;
}

TEST_F(ObserveTest, StatusShowsTheServersCountersModeAndPricing) {
  StartServer();
  EXPECT_EQ(Get(port_, "/api/data").result_int(), 402);
  EXPECT_EQ(Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader()}}).result_int(), 200);
  RunResult text = RunX402Dev(home_.path(), {"mock", "status"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("requests: 2 (1 paid, 1 unpaid)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("simulation: success"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("accepts:  exact  USDC on base-sepolia (eip155:84532)\n"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("pricing:  default  "), std::string::npos) << text.out;
  RunResult json = RunX402Dev(home_.path(), {"mock", "status", "--json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"paid\":1"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"simulation_mode\":\"success\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"pricing\":["), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"config\":{\"network\":\"base-sepolia\""), std::string::npos) << json.out;
}

// A log written by hand: lines an hour old and lines of now, at each level, one message on
// two lines.
fs::path WriteLog(const fs::path& home) {
  const fs::path dir = home / ".x402dev" / "logs";
  fs::create_directories(dir);
  fs::permissions(home / ".x402dev", fs::perms::owner_all, fs::perm_options::replace);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
  const auto stamp = [](std::chrono::system_clock::time_point t) {
    const std::time_t s = std::chrono::system_clock::to_time_t(t);
    std::tm utc{};
    gmtime_r(&s, &utc);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
    return std::string(buf);
  };
  const auto now = std::chrono::system_clock::now();
  const std::string old = stamp(now - std::chrono::hours(1));
  const std::string recent = stamp(now - std::chrono::seconds(30));
  std::ofstream out(dir / "mock-server.log");
  out << old << " INFO old-info\n"
      << old << " ERROR old-error\n"
      << recent << " DEBUG new-debug\n"
      << recent << " INFO new-info\n"
      << recent << " WARN new-warn\n"
      << "  new-warn's second line\n"
      << recent << " ERROR new-error\n";
  return dir / "mock-server.log";
}

TEST_F(ObserveTest, LogsSinceAndLevelCombineWithN) {
  WriteLog(home_.path());
  RunResult recent = RunX402Dev(home_.path(), {"mock", "logs", "--since", "10m"});
  EXPECT_EQ(recent.exit_code, 0) << recent.err;
  EXPECT_EQ(recent.out.find("old-"), std::string::npos) << recent.out;
  EXPECT_NE(recent.out.find("new-debug"), std::string::npos) << recent.out;
  EXPECT_NE(recent.out.find("new-error"), std::string::npos) << recent.out;

  RunResult warn = RunX402Dev(home_.path(), {"mock", "logs", "--since", "10m", "--level", "warn"});
  EXPECT_EQ(warn.exit_code, 0) << warn.err;
  EXPECT_EQ(warn.out.find("new-info"), std::string::npos) << warn.out;
  EXPECT_NE(warn.out.find("new-warn\n  new-warn's second line\n"), std::string::npos) << warn.out;
  EXPECT_NE(warn.out.find("new-error"), std::string::npos) << warn.out;

  RunResult errors = RunX402Dev(home_.path(), {"mock", "logs", "--level", "error"});
  EXPECT_NE(errors.out.find("old-error"), std::string::npos) << errors.out;
  EXPECT_NE(errors.out.find("new-error"), std::string::npos) << errors.out;
  EXPECT_EQ(errors.out.find("warn"), std::string::npos) << errors.out;

  RunResult last = RunX402Dev(home_.path(), {"mock", "logs", "--level", "error", "-n", "1"});
  EXPECT_EQ(last.out.find("old-error"), std::string::npos) << last.out;
  EXPECT_NE(last.out.find("new-error"), std::string::npos) << last.out;

  RunResult bad = RunX402Dev(home_.path(), {"mock", "logs", "--since", "yesterday"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_NE(bad.err.find("--since 'yesterday'"), std::string::npos) << bad.err;
  RunResult bad_level = RunX402Dev(home_.path(), {"mock", "logs", "--level", "loud"});
  EXPECT_EQ(bad_level.exit_code, 3);
}

TEST_F(ObserveTest, LogsFollowFiltersNewLinesByLevel) {
  const fs::path log = WriteLog(home_.path());
  ServerProcess follow(home_.path(), {"mock", "logs", "-f", "-n", "0", "--level", "warn"});
  // The follower starts at the end of the file as it is when it gets there, which a loaded
  // (ASan) machine may take a while to do: keep appending until it has shown a line.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline && follow.Stdout().find("appended-warn") == std::string::npos) {
    {
      std::ofstream out(log, std::ios::app);
      out << "2026-11-30T03:00:00.000Z INFO appended-info\n"
          << "2026-11-30T03:00:00.000Z WARN appended-warn\n";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  follow.Signal(SIGTERM);
  follow.Wait();
  EXPECT_NE(follow.Stdout().find("appended-warn"), std::string::npos) << follow.Stdout();
  EXPECT_EQ(follow.Stdout().find("appended-info"), std::string::npos) << follow.Stdout();
  EXPECT_EQ(follow.Stdout().find("new-"), std::string::npos) << "-n 0 shows no old line";
}

TEST_F(ObserveTest, DashboardIsServedWithAStrictPolicyAndNeverPriced) {
  StartServer();
  for (const std::string target : {"/__x402/", "/__x402"}) {
    const Response page = Get(port_, target);
    EXPECT_EQ(page.result_int(), 200) << target;
    EXPECT_EQ(page[http::field::content_type], "text/html; charset=utf-8");
    EXPECT_EQ(page[http::field::cache_control], "no-store");
    EXPECT_NE(page["Content-Security-Policy"].find("default-src 'none'"), std::string::npos);
    EXPECT_EQ(page["Content-Security-Policy"].find("unsafe-inline"), std::string::npos);
    EXPECT_NE(page.body().find("<script src=\"/__x402/dashboard.js\""), std::string::npos);
    // Nothing from elsewhere: the page works offline.
    EXPECT_EQ(page.body().find("http://"), std::string::npos);
    EXPECT_EQ(page.body().find("https://"), std::string::npos);
  }
  const Response script = Get(port_, "/__x402/dashboard.js");
  EXPECT_EQ(script.result_int(), 200);
  EXPECT_EQ(script[http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_NE(script.body().find("/__x402/requests?since="), std::string::npos);
  EXPECT_EQ(script.body().find("innerHTML"), std::string::npos) << "values go in as text only";
  const Response style = Get(port_, "/__x402/dashboard.css");
  EXPECT_EQ(style.result_int(), 200);
  EXPECT_NE(style.body().find("prefers-color-scheme: dark"), std::string::npos);
}

}  // namespace
}  // namespace x402::testing
