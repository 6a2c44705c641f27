// `x402-dev mock health`, the container HEALTHCHECK: a real server answers 200 -> 0; nothing
// listening -> 1; a listener that accepts but never answers -> 3 after --timeout, not a hang.
#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <fstream>
#include <gtest/gtest.h>

#include "server_process.h"

namespace x402::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string Url(uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

class HealthTest : public ::testing::Test {
 protected:
  void StartServer(std::vector<std::string> env = {}) {
    port_ = FreePort();
    server_ = std::make_unique<ServerProcess>(
        home_.path(), std::vector<std::string>{"mock", "--port", std::to_string(port_), "--threads", "1"},
        std::move(env));
    ASSERT_TRUE(server_->WaitHealthy(port_)) << server_->Stderr();
  }

  void TearDown() override {
    if (server_) {
      server_->Signal(SIGTERM);
      EXPECT_EQ(server_->Wait(), 0) << server_->Stderr();
    }
  }

  TempDir home_;
  uint16_t port_ = 0;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(HealthTest, RunningServerIsHealthyByUrlByPortAndByItsState) {
  StartServer();
  RunResult by_url = RunX402Dev(home_.path(), {"mock", "health", "--url", Url(port_)});
  EXPECT_EQ(by_url.exit_code, 0) << by_url.err;
  EXPECT_NE(by_url.out.find("healthy: " + Url(port_) + "/__x402/health answered 200"), std::string::npos)
      << by_url.out;

  RunResult by_port = RunX402Dev(home_.path(), {"mock", "health", "--port", std::to_string(port_)});
  EXPECT_EQ(by_port.exit_code, 0) << by_port.err;

  // No option: the server running under this HOME was started with --port, which the
  // configuration does not know (it says 3402); its state file does.
  RunResult by_state = RunX402Dev(home_.path(), {"mock", "health"});
  EXPECT_EQ(by_state.exit_code, 0) << by_state.err;
  EXPECT_NE(by_state.out.find(Url(port_)), std::string::npos) << by_state.out;
}

TEST_F(HealthTest, WithoutARunningServerTheConfigurationNamesThePort) {
  StartServer();
  // What the image's HEALTHCHECK falls back on: X402_DEV_PORT and a wildcard host, from a
  // HOME where no server runs.
  TempDir other_home;
  RunResult by_env = RunX402Dev(other_home.path(), {"mock", "health"},
                                {"X402_DEV_PORT=" + std::to_string(port_), "X402_DEV_HOST=0.0.0.0"});
  EXPECT_EQ(by_env.exit_code, 0) << by_env.err;
  EXPECT_NE(by_env.out.find(Url(port_)), std::string::npos) << by_env.out;

  // --port names another port: the running server's state is not used.
  const uint16_t unused = FreePort();
  RunResult elsewhere = RunX402Dev(home_.path(), {"mock", "health", "--port", std::to_string(unused)});
  EXPECT_EQ(elsewhere.exit_code, 1) << elsewhere.err;
}

TEST_F(HealthTest, NotTheHealthPathAnswersNot200AndIsUnhealthy) {
  StartServer();
  // /api/data is priced: 402 is an answer, but not a healthy one.
  RunResult r = RunX402Dev(home_.path(), {"mock", "health", "--url", Url(port_) + "/api/data"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("answered 402, not 200"), std::string::npos) << r.err;
}

TEST_F(HealthTest, NothingListeningIsExit1WithOneLine) {
  const uint16_t port = FreePort();
  RunResult r = RunX402Dev(home_.path(), {"mock", "health", "--url", Url(port), "--timeout", "5"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nothing listens at " + Url(port) + "/__x402/health"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(HealthTest, ListenerThatNeverAnswersTimesOut) {
  // The kernel completes the handshake for a listening socket nobody accepts from: the
  // connect succeeds and the request is written, and no answer ever comes.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor silent(
      ioc, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const uint16_t port = silent.local_endpoint().port();
  const auto started = Clock::now();
  RunResult r = RunX402Dev(home_.path(), {"mock", "health", "--url", Url(port), "--timeout", "1"});
  const auto elapsed = Clock::now() - started;
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("gave no answer within 1 s"), std::string::npos) << r.err;
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::seconds(4));
}

TEST_F(HealthTest, BadUrlAndBadTimeoutAreUsageErrors) {
  for (const std::string url : {"https://127.0.0.1:3402", "http://:3402", "http://127.0.0.1:0",
                                "http://[::1:3402", "http://127.0.0.1:99999"}) {
    RunResult r = RunX402Dev(home_.path(), {"mock", "health", "--url", url});
    EXPECT_EQ(r.exit_code, 3) << url;
    EXPECT_NE(r.err.find("--url '" + url + "'"), std::string::npos) << r.err;
  }
  RunResult r = RunX402Dev(home_.path(), {"mock", "health", "--timeout", "0"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("--timeout must be"), std::string::npos) << r.err;
}

TEST_F(HealthTest, BadConfigIsExit3NamingTheVariable) {
  RunResult r = RunX402Dev(home_.path(), {"mock", "health"}, {"X402_DEV_PORT=http"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("X402_DEV_PORT"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace x402::testing
