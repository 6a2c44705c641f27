#include "server/access_log.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace x402 {
namespace {

namespace json = boost::json;

RequestRecord Paid() {
  RequestRecord r;
  r.method = "GET";
  r.path = "/weather";
  r.query = "city=x";
  r.status = 200;
  r.duration_us = 210;
  r.outcome.verdict = Verdict::kPaid;
  r.outcome.x402_version = 2;
  r.outcome.payer = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";
  r.outcome.amount = "10000";
  return r;
}

TEST(AccessLogTest, TextLineNamesEverything) {
  EXPECT_EQ(AccessLogText(Paid()),
            "access GET /weather?city=x 200 HTTP/1.1 x402v2 paid "
            "payer=0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf amount=10000 0.210ms");
  RequestRecord rejected = Paid();
  rejected.status = 402;
  rejected.query.clear();
  rejected.http_version = 10;
  rejected.outcome.verdict = Verdict::kRejected;
  rejected.outcome.reason = "invalid_exact_evm_payload_signature";
  rejected.outcome.payer.clear();
  EXPECT_EQ(AccessLogText(rejected),
            "access GET /weather 402 HTTP/1.0 x402v2 rejected (invalid_exact_evm_payload_signature) "
            "amount=10000 0.210ms");
}

TEST(AccessLogTest, JsonFieldsAreValidJson) {
  const json::value v = json::parse("{" + AccessLogJsonFields(Paid()) + "}");
  EXPECT_EQ(v.at("event").as_string(), "access");
  EXPECT_EQ(v.at("status").as_int64(), 200);
  EXPECT_EQ(v.at("payer").as_string(), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  EXPECT_EQ(v.at("verdict").as_string(), "paid");
  EXPECT_DOUBLE_EQ(v.at("duration_ms").as_double(), 0.21);
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(AccessLogTest, JsonLogFormatWritesOneObjectPerLine) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("x402-access-log-json-" + std::to_string(std::random_device{}()));
  std::filesystem::remove_all(dir);
  const auto file = dir / "server.log";
  {
    Logger logger(nullptr, LogLevel::kInfo);
    ASSERT_TRUE(logger.OpenFile(file.string(), 1024 * 1024, 2).ok());
    logger.set_format(LogFormat::kJson);
    logger.Info("ready: \"quoted\"");
    WriteAccessLog(logger, Paid());
  }
  std::istringstream lines(ReadAll(file));
  std::string line;
  std::vector<json::value> parsed;
  while (std::getline(lines, line)) parsed.push_back(json::parse(line));
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0].at("level").as_string(), "info");
  EXPECT_EQ(parsed[0].at("msg").as_string(), "ready: \"quoted\"");
  EXPECT_EQ(parsed[1].at("event").as_string(), "access");
  EXPECT_EQ(parsed[1].at("path").as_string(), "/weather");
  EXPECT_EQ(parsed[1].at("msg").as_string(), "access GET /weather 200");
  std::filesystem::remove_all(dir);
}

TEST(AccessLogTest, NothingBelowInfo) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("x402-access-log-warn-" + std::to_string(std::random_device{}()));
  std::filesystem::remove_all(dir);
  const auto file = dir / "server.log";
  {
    Logger logger(nullptr, LogLevel::kWarn);
    ASSERT_TRUE(logger.OpenFile(file.string(), 1024 * 1024, 2).ok());
    WriteAccessLog(logger, Paid());
  }
  EXPECT_EQ(ReadAll(file), "");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace x402
