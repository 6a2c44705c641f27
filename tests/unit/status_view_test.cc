#include "cli/status_view.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace x402 {
namespace {

constexpr int64_t kNow = 1'796'007'600;

InstanceReport RunningReport() {
  InstanceReport report;
  report.running = true;
  report.pid = 4711;
  ServerState state;
  state.pid = 4711;
  state.host = "127.0.0.1";
  state.port = 3402;
  state.url = "http://127.0.0.1:3402";
  state.backend = "direct";
  state.started_at = kNow - 65;
  state.log_file = "/home/u/.x402dev/logs/mock-server.log";
  state.version = "0.9.0";
  state.reload_count = 2;
  state.last_reload_ok = false;
  state.last_reload_message = "pricing.default: not a price";
  report.state = state;
  return report;
}

LiveStatus AnsweringServer() {
  LiveStatus live;
  live.answering = true;
  live.health = boost::json::parse(R"({"status":"ok","simulation_mode":"failure",
      "verification":"strict","counters":{"requests":9,"unpaid":3,"paid":4,"rejected":2,
      "simulated_failure":0,"simulated_timeout":0,"errors":0,
      "rejected_by_reason":{"invalid_signature":2}}})").as_object();
  live.config = boost::json::parse(R"({"network":"base-sepolia",
      "default_price":{"usd":"0.01","amount":"10000"},
      "pricing":[{"path":"/api/premium/*","price":{"usd":"0.10","amount":"100000"}},
                 {"path":"/plain","price":"7"}]})").as_object();
  return live;
}

std::string Printed(const InstanceReport& report, const LiveStatus* live) {
  const Console console(/*no_color=*/true, Verbosity::kNormal);
  ::testing::internal::CaptureStdout();
  PrintStatus(console, report, kNow, live);
  return ::testing::internal::GetCapturedStdout();
}

TEST(StatusView, AnAnsweringServerShowsItsCountersModesAndPricing) {
  const LiveStatus live = AnsweringServer();
  const std::string text = Printed(RunningReport(), &live);
  EXPECT_NE(text.find("mock server: running\n"), std::string::npos) << text;
  EXPECT_NE(text.find("requests: 9 (4 paid, 3 unpaid, 2 rejected)"), std::string::npos) << text;
  EXPECT_NE(text.find("rejected: invalid_signature 2"), std::string::npos) << text;
  EXPECT_NE(text.find("simulation: failure"), std::string::npos) << text;
  EXPECT_NE(text.find("verification: strict"), std::string::npos) << text;
  // An older server's /__x402/config names one network and no "accepts": shown as the option.
  EXPECT_NE(text.find("accepts:  base-sepolia\n"), std::string::npos) << text;
  EXPECT_NE(text.find("pricing:  default  0.01 USD (10000)\n"
                      "            /api/premium/*  0.10 USD (100000)\n            /plain  7\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("reloads:  2, the last one refused: pricing.default: not a price"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("dashboard: http://127.0.0.1:3402/__x402/"), std::string::npos) << text;
}

TEST(StatusView, AServerThatDoesNotAnswerSaysSo) {
  LiveStatus live;
  live.problem = "no answer from http://127.0.0.1:3402/__x402/health within 1 s";
  const std::string text = Printed(RunningReport(), &live);
  EXPECT_NE(text.find("mock server: running, not answering (no answer from"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("requests:"), std::string::npos) << text;
  EXPECT_EQ(text.find("dashboard:"), std::string::npos) << text;
  EXPECT_NE(text.find("PID:      4711"), std::string::npos) << text;
}

TEST(StatusView, NotAskedIsTheOldView) {
  const std::string text = Printed(RunningReport(), nullptr);
  EXPECT_NE(text.find("mock server: running\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("requests:"), std::string::npos) << text;
}

TEST(StatusView, JsonCarriesWhatTheTextShowsAndTheReloads) {
  const LiveStatus live = AnsweringServer();
  const boost::json::object o = StatusJson(RunningReport(), kNow, &live);
  EXPECT_EQ(o.at("running"), true);
  EXPECT_EQ(o.at("answering"), true);
  EXPECT_EQ(o.at("state"), "listening");
  EXPECT_EQ(o.at("uptime_s"), 65);
  EXPECT_EQ(o.at("counters").at("paid"), 4);
  EXPECT_EQ(o.at("counters").at("rejected_by_reason").at("invalid_signature"), 2);
  EXPECT_EQ(o.at("simulation_mode"), "failure");
  EXPECT_EQ(o.at("verification"), "strict");
  EXPECT_EQ(o.at("pricing").at(0).at("path"), "/api/premium/*");
  EXPECT_EQ(o.at("config").at("network"), "base-sepolia");
  EXPECT_EQ(o.at("reloads").at("count"), 2);
  EXPECT_EQ(o.at("reloads").at("last_ok"), false);
  EXPECT_EQ(o.at("reloads").at("last_message"), "pricing.default: not a price");
  EXPECT_EQ(o.at("dashboard"), "http://127.0.0.1:3402/__x402/");
}

TEST(StatusView, JsonOfAServerThatDoesNotAnswer) {
  LiveStatus live;
  live.problem = "no answer within 1 s";
  const boost::json::object o = StatusJson(RunningReport(), kNow, &live);
  EXPECT_EQ(o.at("answering"), false);
  EXPECT_EQ(o.at("state"), "not_answering");
  EXPECT_EQ(o.at("problem"), "no answer within 1 s");
  EXPECT_FALSE(o.contains("counters"));
}

TEST(StatusView, ModesFallBackToTheConfigWhenHealthDoesNotSay) {
  LiveStatus live;
  live.answering = true;
  live.config = boost::json::parse(R"({"simulation_mode":"timeout"})").as_object();
  const boost::json::object o = StatusJson(RunningReport(), kNow, &live);
  EXPECT_EQ(o.at("simulation_mode"), "timeout");
  EXPECT_FALSE(o.contains("verification"));
  EXPECT_FALSE(o.contains("pricing"));
}

TEST(StatusView, ListRowsDoNotClaimToHaveAsked) {
  const boost::json::object o = StatusJson(RunningReport(), kNow);
  EXPECT_FALSE(o.contains("answering"));
  EXPECT_EQ(o.at("reloads").at("count"), 2);
}

// Issue 25, item 4: what answers on the port (or a state file) cannot write escape
// sequences to the terminal through `mock status`.
TEST(StatusView, TextFromTheServerIsEscapedForTheTerminal) {
  InstanceReport report = RunningReport();
  report.state->last_reload_message = "bad \x1b[2J value";
  report.manager_lines = {"journal: \x1b]0;owned\x07"};
  LiveStatus live = AnsweringServer();
  live.health["simulation_mode"] = "\xC2\x9B" "31mfailure";
  live.config->at("pricing").as_array()[1].as_object()["path"] = "/x\x1b[5m";
  const std::string text = Printed(report, &live);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\x07'), std::string::npos) << text;
  EXPECT_EQ(text.find("\xC2\x9B"), std::string::npos) << text;
  EXPECT_NE(text.find("bad \\x1b[2J value"), std::string::npos) << text;
  EXPECT_NE(text.find("simulation: \\xc2\\x9b31mfailure"), std::string::npos) << text;
}

}  // namespace
}  // namespace x402
