// Issue 25, item 1: nothing escapes a connection's coroutine or the accept loop unseen. Before,
// a request whose answer would carry a header over Beast's 64 KiB field limit threw inside the
// connection's coroutine, which was spawned `detached`: the client waited 10 s for nothing, the
// request was in neither the log nor the history, and at shutdown the worker read the freed
// connection (ASan: heap-use-after-free) and waited out the 9 s drain timeout.
//
// Each test runs the real server (started in the background, so `mock stop` is timed as users
// run it); the asan preset runs them under AddressSanitizer.
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <gtest/gtest.h>
#include <thread>

#include "server_process.h"

namespace x402::testing {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

class ServerFailuresTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> env = {}) {
    port_ = FreePort();
    const RunResult start = RunX402Dev(
        home_.path(),
        {"mock", "start", "--port", std::to_string(port_), "--threads", "2", "--backend", "direct"},
        std::move(env));
    ASSERT_EQ(start.exit_code, 0) << start.err;
    started_ = true;
  }

  void TearDown() override {
    if (started_) RunX402Dev(home_.path(), {"mock", "stop", "--timeout", "5"});
  }

  // `mock stop`'s exit code, and how long it took.
  std::pair<int, Clock::duration> TimedStop() {
    const auto begin = Clock::now();
    const RunResult stop = RunX402Dev(home_.path(), {"mock", "stop"});
    started_ = stop.exit_code != 0;
    return {stop.exit_code, Clock::now() - begin};
  }

  std::string LogContaining(const std::string& text) {
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    std::string log;
    while (Clock::now() < deadline) {
      log = ReadText(home_.path() / ".x402dev/logs/mock-server.log");
      if (log.find(text) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return log;
  }

  json::array History() {
    const Response r = Get(port_, "/__x402/requests");
    EXPECT_EQ(r.result(), http::status::ok) << r.body();
    return json::parse(r.body()).at("requests").as_array();
  }

  TempDir home_;
  uint16_t port_ = 0;
  bool started_ = false;
};

// 7,000 bytes that are not UTF-8: each becomes U+FFFD (3 bytes of UTF-8) in the offer's JSON,
// which names the URL twice (resource.url and its description), ~42 KB; with the 32 payment
// options of ManyOptionsConfig() (the most an offer may have, each ~290 bytes: a declared token
// whose EIP-712 name is as long as allowed) and base64's third, the PAYMENT-REQUIRED header
// would be ~68 KiB. (The same offer for a short path is ~12 KiB: the long target makes it too
// large.)
std::string OverlongOfferTarget() { return "/" + std::string(7000, '\xff'); }

// mock_server.accepts with 32 options (a declared 18-decimal token on a local chain, each to
// another payTo), so that the offer of a target the request header can hold exceeds Beast's
// 64 KiB field limit.
std::string ManyOptionsConfig() {
  std::string yaml = "mock_server:\n  accepts:\n";
  for (int i = 1; i <= 32; ++i) {
    const std::string n = std::to_string(i);
    yaml += "    - network: \"eip155:31337\"\n      asset: {address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\", "
            "decimals: 18, name: \"" + std::string(64, 'N') + "\", version: \"1\"}\n"
            "      pay_to: \"0x" + std::string(40 - n.size(), '0') + n + "\"\n";
  }
  return yaml;
}

TEST_F(ServerFailuresTest, ARequestWhoseAnswerCannotBeBuiltIsAnsweredRecordedAndStopIsQuick) {
  std::ofstream(home_.path() / ".x402dev.yaml") << ManyOptionsConfig();
  Start();
  HttpClient client(port_);
  const auto sent = Clock::now();
  client.WriteRaw("GET " + OverlongOfferTarget() + " HTTP/1.1\r\nHost: 127.0.0.1:" +
                  std::to_string(port_) + "\r\n\r\n");
  const Response answer = client.Read();
  EXPECT_LT(Clock::now() - sent, std::chrono::seconds(1));
  EXPECT_EQ(answer.result(), http::status::uri_too_long) << answer.body();
  EXPECT_NE(answer.body().find("header over 64 KiB"), std::string::npos) << answer.body();
  EXPECT_TRUE(client.ServerClosed(std::chrono::seconds(2)));

  // In the access log and the history, with the reason.
  EXPECT_NE(LogContaining("access GET /").find(" 414 "), std::string::npos);
  const json::array requests = History();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].at("status").as_int64(), 414);
  EXPECT_EQ(requests[0].at("verdict").as_string(), "error");
  EXPECT_EQ(requests[0].at("reason").as_string(), "response_header_too_large");

  // The server still serves, and its stop does not wait for a connection that is gone.
  EXPECT_EQ(Get(port_, "/api/data").result(), http::status::payment_required);
  const auto [code, took] = TimedStop();
  EXPECT_EQ(code, 0);
  EXPECT_LT(took, std::chrono::seconds(1));
}

TEST_F(ServerFailuresTest, AnExceptionInTheHandlerIsA500ThatIsLoggedOncePerKind) {
  Start({"X402_DEV_TEST_FAULTS=route"});
  for (int i = 0; i < 3; ++i) {
    const auto sent = Clock::now();
    const Response answer = Get(port_, "/api/data", {{"X402-Dev-Test-Fault", "1"}});
    EXPECT_LT(Clock::now() - sent, std::chrono::seconds(1));
    EXPECT_EQ(answer.result(), http::status::internal_server_error) << answer.body();
    EXPECT_NE(answer.body().find("injected fault"), std::string::npos) << answer.body();
  }
  EXPECT_EQ(History().size(), 3u);
  const std::string log = LogContaining("exception in the request handler");
  // Said once, then counted (repeated_warning.h): three throws, one warning line.
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = log.find("exception in the request handler", at)) != std::string::npos; ++at) {
    ++lines;
  }
  EXPECT_EQ(lines, 1u) << log;
  EXPECT_EQ(Get(port_, "/api/data").result(), http::status::payment_required);
  const auto [code, took] = TimedStop();
  EXPECT_EQ(code, 0);
  EXPECT_LT(took, std::chrono::seconds(1));
}

TEST_F(ServerFailuresTest, AThrowInTheAcceptLoopIsLoggedAndAcceptingResumes) {
  Start({"X402_DEV_TEST_FAULTS=accept"});
  // The first connection accepted (the readiness check of `mock start`, or this test's first
  // request) trips the fault point; the loop is restarted after 100 ms and serves.
  const auto deadline = Clock::now() + std::chrono::seconds(2);
  bool served = false;
  while (!served && Clock::now() < deadline) {
    try {
      served = Get(port_, "/api/data").result() == http::status::payment_required;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  EXPECT_TRUE(served);
  EXPECT_NE(LogContaining("exception in the accept loop").find("accepting resumes"), std::string::npos);
  const auto [code, took] = TimedStop();
  EXPECT_EQ(code, 0);
  EXPECT_LT(took, std::chrono::seconds(1));
}

}  // namespace
}  // namespace x402::testing
