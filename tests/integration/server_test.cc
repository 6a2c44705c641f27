// The real server process over real HTTP on loopback: every status the paywall, the limits
// and the lifecycle signals produce.
#include <signal.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <future>
#include <regex>
#include <gtest/gtest.h>

#include "base/base64.h"
#include "server_process.h"
#include "signed_payment.h"
#include "x402/paywall.h"
#include "x402/requirements.h"

namespace x402::testing {
namespace {

namespace json = boost::json;

class ServerTest : public ::testing::Test {
 protected:
  // Starts `x402-dev mock --port P <extra…>` and waits for health.
  void Start(std::vector<std::string> extra = {}) {
    port_ = FreePort();
    std::vector<std::string> args = {"mock", "--port", std::to_string(port_), "--threads", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = std::make_unique<ServerProcess>(home_.path(), args);
    ASSERT_TRUE(server_->WaitHealthy(port_)) << server_->Stderr();
  }

  void WriteConfig(const std::string& yaml) {
    std::ofstream(home_.path() / ".x402dev.yaml") << yaml;
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

TEST_F(ServerTest, UnpaidRequestGets402WithV1BodyAndV2Header) {
  Start();
  const Response r = Get(port_, "/api/data");
  EXPECT_EQ(r.result(), http::status::payment_required);
  const json::object v1 = json::parse(r.body()).as_object();
  EXPECT_EQ(v1.at("accepts").as_array()[0].as_object().at("resource"),
            json::value("http://127.0.0.1:" + std::to_string(port_) + "/api/data"));
  const auto header = Base64Decode(std::string(r["PAYMENT-REQUIRED"]));
  ASSERT_TRUE(header);
  EXPECT_EQ(json::parse(*header).as_object().at("x402Version"), 2);
}

TEST_F(ServerTest, ValidPaymentGets200WithSettlementHeader) {
  Start();
  const Response r = Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader()}});
  ASSERT_EQ(r.result(), http::status::ok) << r.body();
  const auto settlement = json::parse(*Base64Decode(std::string(r["X-PAYMENT-RESPONSE"])));
  EXPECT_EQ(settlement.as_object().at("success"), true);
  // One log line per paid request: the access line, with the transaction.
  const std::string tx = json::value_to<std::string>(settlement.at("transaction"));
  EXPECT_TRUE(server_->WaitForStderr("access GET /api/data 200 HTTP/1.1 x402v1 paid")) << server_->Stderr();
  EXPECT_TRUE(server_->WaitForStderr("tx=" + tx)) << server_->Stderr();
  EXPECT_EQ(server_->Stderr().find("payment accepted"), std::string::npos) << server_->Stderr();
}

TEST_F(ServerTest, WithoutTheAccessLogAPaidRequestStillLogsItsPayment) {
  WriteConfig("mock_server:\n  access_log: off\n");
  Start();
  const Response r = Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader()}});
  ASSERT_EQ(r.result(), http::status::ok) << r.body();
  EXPECT_TRUE(server_->WaitForStderr("payment accepted: /api/data")) << server_->Stderr();
}

TEST_F(ServerTest, WrongRecipientGets402WithReason) {
  Start();
  const Response r =
      Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader("0x000000000000000000000000000000000000dEaD")}});
  EXPECT_EQ(r.result(), http::status::payment_required);
  EXPECT_EQ(json::parse(r.body()).as_object().at("error"),
            "invalid_exact_evm_payload_recipient_mismatch");
}

TEST_F(ServerTest, FailureModeFromTheCommandLine) {
  Start({"--simulation-mode", "failure"});
  const Response r = Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader()}});
  EXPECT_EQ(r.result(), http::status::payment_required);
  EXPECT_EQ(json::parse(r.body()).as_object().at("error"), "unexpected_settle_error");
}

TEST_F(ServerTest, TimeoutModeAnswers408AfterTheDelayWithoutBlockingOthers) {
  WriteConfig("mock_server:\n  simulation_mode: timeout\n  timeout_delay_ms: 1500\n");
  Start();
  const auto begin = std::chrono::steady_clock::now();
  auto slow = std::async(std::launch::async, [&] {
    return Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader()}});
  });
  // While the slow one waits on its timer, other requests are answered at once.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (int i = 0; i < 20; ++i) EXPECT_EQ(Get(port_, "/x").result(), http::status::payment_required);
  EXPECT_EQ(slow.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  const Response r = slow.get();
  EXPECT_EQ(r.result(), http::status::request_timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - begin, std::chrono::milliseconds(1500));
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Start();
  HttpClient client(port_);
  for (int i = 0; i < 5; ++i) {
    Request req{http::verb::get, "/api/data", 11};
    EXPECT_EQ(client.Send(req).result(), http::status::payment_required);
  }
  Request health{http::verb::get, "/__x402/health", 11};
  const Response r = client.Send(health);
  EXPECT_EQ(r.result(), http::status::ok);
  EXPECT_EQ(json::parse(r.body()).as_object().at("pid"), server_->pid());
}

TEST_F(ServerTest, OversizedHeaderGets431) {
  Start();
  HttpClient client(port_);
  Request req{http::verb::get, "/api/data", 11};
  req.set("X-Big", std::string(9 * 1024, 'a'));
  EXPECT_EQ(client.Send(req).result(), http::status::request_header_fields_too_large);
}

TEST_F(ServerTest, OversizedBodyGets413) {
  Start();
  HttpClient client(port_);
  Request req{http::verb::post, "/facilitator/verify", 11};
  // Well past the limit and past what the socket buffers hold: the server refuses after the
  // header, and the client is still writing. It must get the 413, not a reset (the server
  // reads and discards the rest before closing: nginx's lingering close).
  req.body() = std::string(8 * 1024 * 1024, 'x');
  EXPECT_EQ(client.Send(req).result(), http::status::payload_too_large);
}

TEST_F(ServerTest, MalformedRequestGets400) {
  Start();
  HttpClient client(port_);
  client.WriteRaw("GARBAGE\x01 / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(client.Read().result(), http::status::bad_request);
}

TEST_F(ServerTest, SlowHeaderSenderIsDroppedWhileOthersAreServed) {
  Start();
  HttpClient slow(port_);
  slow.WriteRaw("GET /api/data HTTP/1.1\r\nHost: x\r\n");  // never finishes its header
  EXPECT_EQ(Get(port_, "/__x402/health").result(), http::status::ok);
  EXPECT_TRUE(slow.ServerClosed(std::chrono::seconds(15)));
}

TEST_F(ServerTest, CorsPreflightOverHttp) {
  Start();
  HttpClient client(port_);
  Request req{http::verb::options, "/api/data", 11};
  req.set(http::field::origin, "http://localhost:5173");
  req.set(http::field::access_control_request_method, "GET");
  req.set(http::field::access_control_request_headers, "x-payment");
  const Response r = client.Send(req);
  EXPECT_EQ(r.result(), http::status::no_content);
  EXPECT_EQ(r[http::field::access_control_allow_origin], "*");
}

TEST_F(ServerTest, SigtermLetsAnInFlightRequestFinish) {
  WriteConfig("mock_server:\n  simulation_mode: timeout\n  timeout_delay_ms: 1000\n");
  Start();
  auto slow = std::async(std::launch::async, [&] {
    return Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader()}});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server_->Signal(SIGTERM);
  EXPECT_EQ(slow.get().result(), http::status::request_timeout);  // answered, not dropped
  EXPECT_EQ(server_->Wait(), 0);
  EXPECT_NE(server_->Stderr().find("stopping (SIGTERM)"), std::string::npos);
  server_.reset();
}

TEST_F(ServerTest, SighupReloadsValidConfigAndKeepsOldOnInvalid) {
  WriteConfig("mock_server:\n  pricing:\n    default: 0.02\n");
  Start();
  auto amount = [&] {
    const json::object v1 = json::parse(Get(port_, "/anything").body()).as_object();
    return std::string(v1.at("accepts").as_array()[0].as_object().at("maxAmountRequired").as_string());
  };
  EXPECT_EQ(amount(), "20000");
  WriteConfig("mock_server:\n  pricing:\n    default: 0.03\n");
  server_->Signal(SIGHUP);
  EXPECT_TRUE(server_->WaitForStderr("reload accepted"));
  EXPECT_EQ(amount(), "30000");
  WriteConfig("mock_server:\n  pricing:\n    default: -1\n");
  server_->Signal(SIGHUP);
  EXPECT_TRUE(server_->WaitForStderr("reload refused"));
  EXPECT_EQ(amount(), "30000");
}

// Issue 29: what the extensions keep (the answers of payments with an id, the discovery
// catalog) is the server's, not the configuration's: a reload keeps it.
TEST_F(ServerTest, AReloadKeepsPaymentIdsAndTheDiscoveryCatalog) {
  WriteConfig("mock_server:\n  payment_identifier: optional\n");
  Start();
  const std::string url = "http://127.0.0.1:" + std::to_string(port_) + "/orders";
  const PaymentRequirements option = Paywall(PaywallConfig{}).RequirementsFor("/orders", url).front();
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  json::object payment = {
      {"x402Version", 2},
      {"resource", {{"url", url}}},
      {"accepted", RequirementsObjectV2(option)},
      {"payload",
       {{"signature", ""},
        {"authorization",
         {{"from", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"},
          {"to", option.pay_to},
          {"value", "10000"},
          {"validAfter", "0"},
          {"validBefore", std::to_string(now + 300)},
          {"nonce", "0x" + std::string(64, '7')}}}}},
      {"extensions",
       {{"payment-identifier", {{"info", {{"required", false}, {"id", "pay_kept_across_reload_1"}}}}},
        {"bazaar", {{"info", {{"input", {{"type", "http"}, {"method", "GET"}}}}}}}}}};
  SignPayment(payment, option);
  const std::string header = Base64Encode(json::serialize(payment));
  const Response first = Get(port_, "/orders", {{"PAYMENT-SIGNATURE", header}});
  ASSERT_EQ(first.result(), http::status::ok) << first.body();
  // The facilitator catalogs what it verifies.
  HttpClient client(port_);
  Request verify{http::verb::post, "/facilitator/verify", 11};
  verify.set(http::field::content_type, "application/json");
  verify.body() = json::serialize(json::object{
      {"x402Version", 2}, {"paymentPayload", payment}, {"paymentRequirements", RequirementsObjectV2(option)}});
  verify.prepare_payload();
  ASSERT_EQ(client.Send(std::move(verify)).result(), http::status::ok);

  WriteConfig("mock_server:\n  payment_identifier: optional\n  pricing:\n    default: 0.02\n");
  server_->Signal(SIGHUP);
  ASSERT_TRUE(server_->WaitForStderr("reload accepted")) << server_->Stderr();
  const Response again = Get(port_, "/orders", {{"PAYMENT-SIGNATURE", header}});
  EXPECT_EQ(again.result(), http::status::ok) << again.body();  // the first answer, though the price changed since
  EXPECT_EQ(again["PAYMENT-RESPONSE"], first["PAYMENT-RESPONSE"]);
  const json::object listed = json::parse(Get(port_, "/facilitator/discovery/resources").body()).as_object();
  ASSERT_EQ(listed.at("items").as_array().size(), 1u);
  EXPECT_EQ(listed.at("items").at(0).at("resource"), json::value(url));
}

// Each connection lives on one server thread, and each thread keeps its own copy of the
// configuration and its own cache of unpaid answers: a reload must reach all of them, including
// keep-alive connections opened before it.
TEST_F(ServerTest, ReloadReachesKeepAliveConnectionsOnEveryThread) {
  WriteConfig("mock_server:\n  pricing:\n    default: 0.02\n");
  Start();  // --threads 2: four connections are spread over both threads
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < 4; ++i) clients.push_back(std::make_unique<HttpClient>(port_));
  auto amount = [](HttpClient& client) {
    const Response r = client.Send(Request{http::verb::get, "/anything", 11});
    const json::object v1 = json::parse(r.body()).as_object();
    return std::string(v1.at("accepts").as_array()[0].as_object().at("maxAmountRequired").as_string());
  };
  for (auto& client : clients) EXPECT_EQ(amount(*client), "20000");
  WriteConfig("mock_server:\n  pricing:\n    default: 0.03\n");
  server_->Signal(SIGHUP);
  server_->WaitForStderr("reload accepted", std::chrono::seconds(2));
  for (auto& client : clients) EXPECT_EQ(amount(*client), "30000");
}

// Idle keep-alive connections on every thread are closed at once by a graceful stop: the
// server exits well before its drain timeout (9 s), and every client sees the close.
TEST_F(ServerTest, SigtermClosesIdleKeepAliveConnectionsOnEveryThread) {
  Start();
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(std::make_unique<HttpClient>(port_));
    EXPECT_EQ(clients.back()->Send(Request{http::verb::get, "/api/data", 11}).result(),
              http::status::payment_required);
  }
  const auto begin = std::chrono::steady_clock::now();
  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->Wait(), 0) << server_->Stderr();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(3));
  for (auto& client : clients) EXPECT_TRUE(client->ServerClosed(std::chrono::seconds(1)));
  // The summary counts the answers of every thread (the health checks of Start() included).
  std::smatch summary;
  const std::string err = server_->Stderr();
  ASSERT_TRUE(std::regex_search(err, summary,
                                std::regex(R"(stopped: (\d+) answers written; (\d+) connections cut off)")))
      << err;
  EXPECT_GE(std::stoi(summary[1].str()), 4);
  EXPECT_EQ(summary[2].str(), "0");
  server_.reset();
}

TEST(ServerStartupTest, PortInUseExits2NamingThePortAndHolder) {
  TempDir home;
  boost::asio::io_context ioc;
  using tcp = boost::asio::ip::tcp;
  tcp::acceptor holder(ioc, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const std::string port = std::to_string(holder.local_endpoint().port());
  const RunResult r = RunX402Dev(home.path(), {"mock", "--port", port});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("port " + port + " is in use by PID " + std::to_string(::getpid())),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("hint:"), std::string::npos);
}

TEST(ServerStartupTest, InvalidConfigExits3NamingFileKeyAndLine) {
  TempDir home;
  std::ofstream(home.path() / ".x402dev.yaml") << "mock_server:\n  port: 3402\n  simulation_mode: sucess\n";
  const RunResult r = RunX402Dev(home.path(), {"mock"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(".x402dev.yaml:3: mock_server.simulation_mode"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean 'success'?"), std::string::npos) << r.err;
}

TEST(ServerStartupTest, HostThatIsNotAnAddressExits3) {
  TempDir home;
  const RunResult r = RunX402Dev(home.path(), {"mock", "--host", "not-an-ip", "--port", "1"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not an IP address"), std::string::npos) << r.err;
}

// --- the CLI's exit codes and messages ----------------------------------------------------

TEST(CliProcessTest, ConfigShowShowsEachLayerWinning) {
  TempDir home;
  std::filesystem::create_directories(home.path() / ".x402dev");
  std::ofstream(home.path() / ".x402dev" / "config.yaml")
      << "log_level: warn\nmock_server:\n  port: 4001\n  host: 0.0.0.0\n  timeout_delay_ms: 100\n";
  std::ofstream(home.path() / ".x402dev.yaml") << "mock_server:\n  port: 4002\n  host: ::1\n";
  auto show = [&](std::vector<std::string> args, std::vector<std::string> env) {
    args.insert(args.begin(), {"config", "show", "--json"});
    const RunResult r = RunX402Dev(home.path(), args, env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out).as_object().at("settings").as_object();
  };
  auto source = [](const json::object& settings, const char* key) {
    return std::string(settings.at(key).as_object().at("source").as_string());
  };
  auto value = [](const json::object& settings, const char* key) {
    return std::string(settings.at(key).as_object().at("value").as_string());
  };
  // default < global file < project file < env < flag, one layer at a time.
  const json::object files = show({}, {});
  EXPECT_EQ(source(files, "mock_server.timeout_delay_ms"), "global file");
  EXPECT_EQ(value(files, "log_level"), "warn");
  EXPECT_EQ(source(files, "mock_server.pricing.default"), "default");
  EXPECT_EQ(value(files, "mock_server.port"), "4002");
  EXPECT_EQ(source(files, "mock_server.port"), "project file");
  EXPECT_EQ(value(files, "mock_server.host"), "::1");
  const json::object env = show({}, {"X402_DEV_PORT=4003"});
  EXPECT_EQ(value(env, "mock_server.port"), "4003");
  EXPECT_EQ(source(env, "mock_server.port"), "env");
  const json::object flag = show({"--port", "4004"}, {"X402_DEV_PORT=4003"});
  EXPECT_EQ(value(flag, "mock_server.port"), "4004");
  EXPECT_EQ(source(flag, "mock_server.port"), "flag");
}

TEST(CliProcessTest, UnknownCommandExits3WithSuggestion) {
  TempDir home;
  const RunResult r = RunX402Dev(home.path(), {"mokc"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("error: unknown command 'mokc'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hint: did you mean 'mock'?"), std::string::npos) << r.err;
}

TEST(CliProcessTest, HelpAndVersionExit0) {
  TempDir home;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"mock", "--help"}, {"config", "--help"}, {"init", "--help"}, {"--version"}}) {
    const RunResult r = RunX402Dev(home.path(), args);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_FALSE(r.out.empty());
  }
  const RunResult version = RunX402Dev(home.path(), {"version"});
  EXPECT_NE(version.out.find("compiler:"), std::string::npos);
  EXPECT_NE(version.out.find("build type:"), std::string::npos);
}

TEST(CliProcessTest, InitWritesAValidFileAndNeverOverwritesWithoutForce) {
  TempDir home;
  RunResult r = RunX402Dev(home.path(), {"init", "--yes", "--port", "4555", "--pricing", "0.2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunX402Dev(home.path(), {"config", "validate"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunX402Dev(home.path(), {"config", "show", "--json"});
  const json::object settings = json::parse(r.out).as_object().at("settings").as_object();
  EXPECT_EQ(settings.at("mock_server.port").as_object().at("value"), "4555");
  EXPECT_EQ(settings.at("mock_server.port").as_object().at("source"), "project file");
  r = RunX402Dev(home.path(), {"init", "--yes"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("already exists"), std::string::npos);
  EXPECT_EQ(RunX402Dev(home.path(), {"init", "--yes", "--force"}).exit_code, 0);
}

TEST(CliProcessTest, ConfigValidateReportsErrors) {
  TempDir home;
  std::ofstream(home.path() / "bad.yaml") << "mock_server:\n  pricing:\n    default: free\n";
  const RunResult r = RunX402Dev(home.path(), {"config", "validate", "bad.yaml"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("bad.yaml:3: mock_server.pricing.default"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace x402::testing
