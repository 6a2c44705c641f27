// What the mock received, on a real process: the access log, GET/DELETE /__x402/requests, the
// counters in /__x402/health, and `x402-dev mock requests` (table, --json, -f, exit codes).
#include <signal.h>

#include <boost/beast/core/detail/base64.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <gtest/gtest.h>
#include <thread>

#include "server_process.h"

namespace x402::testing {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

class RequestsTest : public ::testing::Test {
 protected:
  void StartServer(std::vector<std::string> env = {}, std::vector<std::string> extra = {}) {
    port_ = FreePort();
    std::vector<std::string> args{"mock", "--port", std::to_string(port_), "--threads", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = std::make_unique<ServerProcess>(home_.path(), args, std::move(env));
    ASSERT_TRUE(server_->WaitHealthy(port_)) << server_->Stderr();
  }

  void TearDown() override {
    if (server_) {
      server_->Signal(SIGTERM);
      EXPECT_EQ(server_->Wait(), 0) << server_->Stderr();
    }
  }

  json::value History(const std::string& query = "") {
    const Response r = Get(port_, "/__x402/requests" + query);
    EXPECT_EQ(r.result(), http::status::ok) << r.body();
    return json::parse(r.body());
  }

  std::filesystem::path LogFile() const { return home_.path() / ".x402dev/logs/mock-server.log"; }

  // The log is written by a thread of its own, within about a millisecond.
  std::string LogContaining(const std::string& text) {
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    std::string log;
    while (Clock::now() < deadline) {
      log = ReadText(LogFile());
      if (log.find(text) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return log;
  }

  TempDir home_;
  uint16_t port_ = 0;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(RequestsTest, HistoryRecordsEveryKindOfAnswerInOrder) {
  StartServer();
  EXPECT_EQ(Get(port_, "/api/data?x=1").result(), http::status::payment_required);
  EXPECT_EQ(Get(port_, "/api/data").result(), http::status::payment_required);  // cached bytes
  EXPECT_EQ(Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader()}}).result(), http::status::ok);
  EXPECT_EQ(Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader("0x000000000000000000000000000000000000dEaD")}})
                .result(),
            http::status::payment_required);
  EXPECT_EQ(Get(port_, "/__x402/health").result(), http::status::ok);  // not recorded

  const json::value page = History();
  EXPECT_EQ(page.at("capacity").as_int64(), 1000);
  EXPECT_EQ(page.at("total").as_int64(), 4);
  const json::array& requests = page.at("requests").as_array();
  ASSERT_EQ(requests.size(), 4u) << json::serialize(page);
  EXPECT_EQ(requests[0].at("id").as_int64(), 1);
  EXPECT_EQ(requests[0].at("query").as_string(), "x=1");
  EXPECT_EQ(requests[1].at("verdict").as_string(), "unpaid");
  EXPECT_EQ(requests[1].at("status").as_int64(), 402);
  // The offer's `accepts` (v2 objects for an unpaid request): one option by default.
  ASSERT_EQ(requests[1].at("requirements").as_array().size(), 1u);
  EXPECT_EQ(requests[1].at("requirements").as_array()[0].at("amount").as_string(), "50000");
  EXPECT_TRUE(requests[1].at("payment").is_null());
  const json::value& paid = requests[2];
  EXPECT_EQ(paid.at("verdict").as_string(), "paid");
  EXPECT_EQ(paid.at("status").as_int64(), 200);
  EXPECT_EQ(paid.at("x402_version").as_int64(), 1);
  EXPECT_EQ(paid.at("payment").at("header").as_string(), "X-PAYMENT");
  EXPECT_EQ(paid.at("payment").at("amount").as_string(), "50000");
  EXPECT_EQ(paid.at("payment").at("nonce").as_string().size(), 66u);
  EXPECT_FALSE(paid.at("payment").at("payer").as_string().empty());
  EXPECT_TRUE(paid.at("settlement").at("success").as_bool());
  EXPECT_GE(paid.at("duration_ms").as_double(), 0.0);
  const json::value& rejected = requests[3];
  EXPECT_EQ(rejected.at("verdict").as_string(), "rejected");
  EXPECT_EQ(rejected.at("reason").as_string(), "invalid_exact_evm_payload_recipient_mismatch");
  EXPECT_FALSE(rejected.at("message").as_string().empty());

  const json::value health = json::parse(Get(port_, "/__x402/health").body());
  EXPECT_EQ(health.at("counters").at("requests").as_int64(), 4);
  EXPECT_EQ(health.at("counters").at("unpaid").as_int64(), 2);
  EXPECT_EQ(health.at("counters").at("paid").as_int64(), 1);
  EXPECT_EQ(health.at("counters").at("rejected_by_reason")
                .at("invalid_exact_evm_payload_recipient_mismatch").as_int64(), 1);
}

TEST_F(RequestsTest, FiltersClearAndReservedPaths) {
  StartServer();
  Get(port_, "/a");
  Get(port_, "/b", {{"X-PAYMENT", ValidPaymentHeader()}});  // 0.05 is more than /b's 0.01: paid
  Get(port_, "/a");
  EXPECT_EQ(History("?path=/a").at("requests").as_array().size(), 2u);
  EXPECT_EQ(History("?verdict=paid").at("requests").as_array().size(), 1u);
  EXPECT_EQ(History("?since=2").at("requests").as_array().size(), 1u);
  EXPECT_EQ(History("?limit=1").at("requests").as_array()[0].at("id").as_int64(), 3);
  EXPECT_EQ(Get(port_, "/__x402/requests?verdict=nope").result(), http::status::bad_request);

  // The mock's own paths are never priced.
  const Response other = Get(port_, "/__x402/anything-else");
  EXPECT_EQ(other.result(), http::status::not_found);
  EXPECT_EQ(other.find("PAYMENT-REQUIRED"), other.end());
  const json::value config = json::parse(Get(port_, "/__x402/config").body());
  EXPECT_EQ(config.at("network").as_string(), "base-sepolia");

  HttpClient client(port_);
  Request del{http::verb::delete_, "/__x402/requests", 11};
  EXPECT_EQ(client.Send(del).result(), http::status::no_content);
  EXPECT_TRUE(History().at("requests").as_array().empty());
  Get(port_, "/a");
  EXPECT_EQ(History().at("requests").as_array()[0].at("id").as_int64(), 4);  // ids go on
}

TEST_F(RequestsTest, RefusedRequestsAreRecordedAsErrors) {
  StartServer();
  HttpClient client(port_);
  client.WriteRaw("GET /bad HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n");
  EXPECT_EQ(client.Read().result(), http::status::bad_request);
  const json::array requests = History("?verdict=error").at("requests").as_array();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].at("status").as_int64(), 400);
}

TEST_F(RequestsTest, AccessLogHasOneLinePerRequestAndCanBeTurnedOff) {
  StartServer();
  Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader()}});
  Get(port_, "/weather");
  const std::string log = LogContaining("access GET /weather 402");
  EXPECT_NE(log.find("INFO access GET /api/data 200 HTTP/1.1 x402v1 paid payer=0x"), std::string::npos) << log;
  EXPECT_NE(log.find(" amount=50000 "), std::string::npos) << log;
  EXPECT_NE(log.find("INFO access GET /weather 402 HTTP/1.1 unpaid amount=10000 "), std::string::npos) << log;
  EXPECT_EQ(log.find("access GET /__x402/health"), std::string::npos) << log;

  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->Wait(), 0);
  server_.reset();
  StartServer({"X402_DEV_ACCESS_LOG=off"});
  Get(port_, "/silent");
  Get(port_, "/silent", {{"X-PAYMENT", ValidPaymentHeader()}});
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(ReadText(LogFile()).find("access GET /silent"), std::string::npos);
  EXPECT_EQ(History().at("total").as_int64(), 2);  // the history still records
}

TEST_F(RequestsTest, JsonLogFormatWritesJsonLines) {
  StartServer({"X402_DEV_LOG_FORMAT=json"});
  Get(port_, "/weather");
  const std::string log = LogContaining("\"path\":\"/weather\"");
  std::istringstream lines(log);
  std::string line;
  int access = 0;
  while (std::getline(lines, line)) {
    const json::value v = json::parse(line);  // every line is one JSON object
    if (v.as_object().contains("event")) {
      ++access;
      EXPECT_EQ(v.at("status").as_int64(), 402);
      EXPECT_EQ(v.at("verdict").as_string(), "unpaid");
    }
  }
  EXPECT_EQ(access, 1) << log;
}

TEST_F(RequestsTest, HistorySizeBoundsTheRing) {
  StartServer({"X402_DEV_HISTORY_SIZE=3"});
  for (int i = 0; i < 5; ++i) Get(port_, "/p" + std::to_string(i));
  const json::value page = History("?limit=100");
  EXPECT_EQ(page.at("capacity").as_int64(), 3);
  EXPECT_EQ(page.at("dropped").as_int64(), 2);
  EXPECT_EQ(page.at("requests").as_array()[0].at("path").as_string(), "/p2");
}

TEST_F(RequestsTest, CliShowsATableAndJsonLines) {
  StartServer();
  Get(port_, "/api/data");
  Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader()}});
  RunResult table = RunX402Dev(home_.path(), {"mock", "requests"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("TIME"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("/api/data"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("unpaid"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("paid"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("0.05 USD"), std::string::npos) << table.out;

  RunResult lines = RunX402Dev(home_.path(), {"mock", "requests", "--json", "-n", "1"});
  ASSERT_EQ(lines.exit_code, 0) << lines.err;
  const json::value last = json::parse(lines.out);  // exactly one object
  EXPECT_EQ(last.at("id").as_int64(), 2);
  EXPECT_EQ(last.at("verdict").as_string(), "paid");
}

// Issue 25, item 4: terminal control sequences planted in a path (a C1 CSI, valid in a
// request target as UTF-8), a payer and an amount (inside the base64 payment) reach the user's
// terminal escaped through `mock requests` (table and --json) and `mock logs`.
TEST_F(RequestsTest, ControlSequencesFromClientsReachTheTerminalEscaped) {
  StartServer({}, {"--verification", "shape"});
  const json::object payment = {
      {"x402Version", 1},
      {"scheme", "exact"},
      {"network", "base-sepolia"},
      {"payload",
       {{"signature", "0x" + std::string(130, 'a')},
        {"authorization",
         {{"from", "0x\x1b]0;owned\x07\x1b[2J"},
          {"to", "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"},
          {"value", "1\x1b[5m\xC2\x9B"},
          {"validAfter", "0"},
          {"validBefore", "9999999999"},
          {"nonce", "0x" + std::string(64, '1')}}}}}};
  std::string encoded;
  encoded.resize(boost::beast::detail::base64::encoded_size(json::serialize(payment).size()));
  const std::string serialized = json::serialize(payment);
  encoded.resize(boost::beast::detail::base64::encode(encoded.data(), serialized.data(), serialized.size()));
  HttpClient client(port_);
  client.WriteRaw("GET /api/\xC2\x9B" "31mred HTTP/1.1\r\nHost: 127.0.0.1\r\nX-PAYMENT: " + encoded +
                  "\r\n\r\n");
  EXPECT_EQ(client.Read().result(), http::status::payment_required);

  auto raw_controls = [](const std::string& text) {
    return text.find('\x1b') != std::string::npos || text.find('\x07') != std::string::npos ||
           text.find("\xC2\x9B") != std::string::npos;
  };
  const RunResult table = RunX402Dev(home_.path(), {"mock", "requests"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_FALSE(raw_controls(table.out)) << table.out;
  EXPECT_NE(table.out.find("\\xc2\\x9b31mred"), std::string::npos) << table.out;
  // The planted payer and amount are neither an address nor an amount: verification reads
  // neither, so the table's payer and amount are the record's (none, the price), and the
  // planted text reaches the terminal only in the decoded payment (--json, below).
  EXPECT_EQ(table.out.find("owned"), std::string::npos) << table.out;

  const RunResult lines = RunX402Dev(home_.path(), {"mock", "requests", "--json"});
  ASSERT_EQ(lines.exit_code, 0) << lines.err;
  EXPECT_FALSE(raw_controls(lines.out)) << lines.out;
  const json::value record = json::parse(lines.out);  // still JSON
  EXPECT_EQ(record.at("path").as_string(), "/api/\xC2\x9B" "31mred");
  // The payment as the client sent it, its controls escaped on the way and intact.
  const json::value& authorization = record.at("payment").at("decoded").at("payload").at("authorization");
  EXPECT_EQ(authorization.at("from").as_string(), "0x\x1b]0;owned\x07\x1b[2J");
  EXPECT_EQ(authorization.at("value").as_string(), "1\x1b[5m\xC2\x9B");

  LogContaining("31mred");
  const RunResult logs = RunX402Dev(home_.path(), {"mock", "logs", "-n", "50"});
  ASSERT_EQ(logs.exit_code, 0) << logs.err;
  EXPECT_FALSE(raw_controls(logs.out)) << logs.out;
  EXPECT_NE(logs.out.find("31mred"), std::string::npos) << logs.out;
}

TEST_F(RequestsTest, CliFollowsNewRequests) {
  StartServer();
  Get(port_, "/before");
  ServerProcess follow(home_.path(), {"mock", "requests", "-f", "--json"});
  // The first poll shows /before; then a new request must appear within a second or two.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  Get(port_, "/after");
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < deadline && follow.Stdout().find("/after") == std::string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::string seen = follow.Stdout();
  follow.Signal(SIGTERM);
  follow.Wait();
  const std::size_t before = seen.find("\"path\":\"/before\"");
  const std::size_t after = seen.find("\"path\":\"/after\"");
  ASSERT_NE(before, std::string::npos) << seen;
  ASSERT_NE(after, std::string::npos) << seen;
  EXPECT_LT(before, after);
  EXPECT_EQ(seen.find("\"path\":\"/before\"", before + 1), std::string::npos) << "shown twice: " << seen;
}

TEST(RequestsCliTest, NoServerIsExitOne) {
  TempDir home;
  RunResult r = RunX402Dev(home.path(), {"mock", "requests"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no mock server is running"), std::string::npos) << r.err;
  RunResult help = RunX402Dev(home.path(), {"mock", "requests", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--follow"), std::string::npos) << help.out;
}

// Issue 25, items 6 and 8: one page of GET /__x402/requests is bounded, `mock requests -n N`
// reads as many pages as N needs, and `mock requests -f` starts over when the server restarts
// (a new start id) instead of waiting for ids past the old server's.
TEST_F(RequestsTest, TheCliPagesThroughMoreThanOnePage) {
  StartServer({"X402_DEV_HISTORY_SIZE=5000"});
  HttpClient client(port_);
  for (int i = 0; i < 1'500; ++i) {
    ASSERT_EQ(client.Send(Request{http::verb::get, "/r" + std::to_string(i), 11}).result(),
              http::status::payment_required);
  }
  const json::value page = History("?limit=5000");
  EXPECT_EQ(page.at("requests").as_array().size(), 1000u);  // capped at the page's bound
  EXPECT_EQ(page.at("more"), true);
  const RunResult all = RunX402Dev(home_.path(), {"mock", "requests", "-n", "1200", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  std::istringstream lines(all.out);
  std::vector<int64_t> ids;
  for (std::string line; std::getline(lines, line);) ids.push_back(json::parse(line).at("id").as_int64());
  ASSERT_EQ(ids.size(), 1200u);
  EXPECT_EQ(ids.front(), 301);
  EXPECT_EQ(ids.back(), 1500);
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_EQ(ids[i], ids[i - 1] + 1);
}

TEST_F(RequestsTest, FollowingStartsOverWhenTheServerRestarts) {
  port_ = FreePort();
  const std::vector<std::string> start = {"mock", "start", "--port", std::to_string(port_),
                                          "--backend", "direct", "--threads", "1"};
  ASSERT_EQ(RunX402Dev(home_.path(), start).exit_code, 0);
  for (int i = 0; i < 5; ++i) Get(port_, "/before-" + std::to_string(i));
  ServerProcess follow(home_.path(), {"mock", "requests", "-f", "--json"});
  const auto wait_for = [&follow](const std::string& text) {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline && follow.Stdout().find(text) == std::string::npos) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return follow.Stdout().find(text) != std::string::npos;
  };
  ASSERT_TRUE(wait_for("/before-4"));
  ASSERT_EQ(RunX402Dev(home_.path(), {"mock", "restart"}).exit_code, 0);
  Get(port_, "/after-restart");  // id 1 of the new server, below the 5 already shown
  EXPECT_TRUE(wait_for("/after-restart")) << follow.Stdout() << follow.Stderr();
  EXPECT_NE(follow.Stderr().find("restarted"), std::string::npos) << follow.Stderr();
  follow.Signal(SIGTERM);
  RunX402Dev(home_.path(), {"mock", "stop"});
}

// Issue 25, item 3: a web page that rebinds its DNS name to 127.0.0.1 is same-origin with the
// mock, but its requests carry its own name in Host: they are refused (403) before anything is
// read, cleared, priced or recorded. `--allowed-hosts` names the hosts to answer besides.
TEST_F(RequestsTest, ARebindingPageCanNeitherReadNorClearTheHistory) {
  StartServer();
  ASSERT_EQ(Get(port_, "/api/data").result(), http::status::payment_required);
  const std::string evil = "rebind.attacker.example:" + std::to_string(port_);
  for (const auto& [method, target] : std::vector<std::pair<http::verb, std::string>>{
           {http::verb::get, "/__x402/requests"}, {http::verb::delete_, "/__x402/requests"},
           {http::verb::get, "/api/data"}, {http::verb::get, "/__x402/ledger"}}) {
    HttpClient client(port_);
    Request req{method, target, 11};
    req.set(http::field::host, evil);
    const Response r = client.Send(req);
    EXPECT_EQ(r.result(), http::status::forbidden) << target;
    EXPECT_EQ(r.count(http::field::access_control_allow_origin), 0u);
  }
  // Nothing was cleared and the refused requests were not recorded.
  const json::value page = History();
  EXPECT_EQ(page.at("total").as_int64(), 1) << json::serialize(page);
  EXPECT_NE(LogContaining("refused: Host 'rebind.attacker.example").find("allowed_hosts"),
            std::string::npos);
}

TEST_F(RequestsTest, AllowedHostsNamesTheHostsToAnswerBesides) {
  StartServer({}, {"--allowed-hosts", "x402-mock,.example.test"});
  for (const char* host : {"x402-mock", "api.example.test"}) {
    HttpClient client(port_);
    Request req{http::verb::get, "/api/data", 11};
    req.set(http::field::host, std::string(host) + ":" + std::to_string(port_));
    EXPECT_EQ(client.Send(req).result(), http::status::payment_required) << host;
  }
  HttpClient client(port_);
  Request req{http::verb::get, "/api/data", 11};
  req.set(http::field::host, "elsewhere.example");
  EXPECT_EQ(client.Send(req).result(), http::status::forbidden);
}

}  // namespace
}  // namespace x402::testing
