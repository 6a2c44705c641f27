#include "cli/log_filter.h"

#include <gtest/gtest.h>

namespace x402 {
namespace {

// 2026-11-30T03:00:00Z in Unix ms (checked with `date -u -d 2026-11-30T03:00:00Z +%s`).
constexpr int64_t kThreeAm = 1796007600LL * 1000;

TEST(ParseSince, DurationsCountBackFromNow) {
  std::string problem;
  EXPECT_EQ(ParseSince("90s", kThreeAm, &problem), kThreeAm - 90'000);
  EXPECT_EQ(ParseSince("10m", kThreeAm, &problem), kThreeAm - 600'000);
  EXPECT_EQ(ParseSince("2h", kThreeAm, &problem), kThreeAm - 7'200'000);
  EXPECT_EQ(ParseSince("1d", kThreeAm, &problem), kThreeAm - 86'400'000);
  EXPECT_EQ(ParseSince("1h30m", kThreeAm, &problem), kThreeAm - 5'400'000);
  EXPECT_EQ(ParseSince("500ms", kThreeAm, &problem), kThreeAm - 500);
  EXPECT_EQ(ParseSince("0s", kThreeAm, &problem), kThreeAm);
}

TEST(ParseSince, TimesAreUtcUnlessTheyCarryAnOffset) {
  std::string problem;
  EXPECT_EQ(ParseSince("2026-11-30T03:00:00Z", 0, &problem), kThreeAm);
  EXPECT_EQ(ParseSince("2026-11-30 03:00", 0, &problem), kThreeAm);
  EXPECT_EQ(ParseSince("2026-11-30T03:00", 0, &problem), kThreeAm);
  EXPECT_EQ(ParseSince("2026-11-30", 0, &problem), kThreeAm - 3 * 3'600'000);
  EXPECT_EQ(ParseSince("2026-11-30T03:00:05.250Z", 0, &problem), kThreeAm + 5'250);
  EXPECT_EQ(ParseSince("2026-11-30T04:00:00+01:00", 0, &problem), kThreeAm);
  EXPECT_EQ(ParseSince("2026-11-30T02:30:00-00:30", 0, &problem), kThreeAm);
  EXPECT_EQ(ParseSince("1970-01-01", 0, &problem), 0);
  EXPECT_EQ(ParseSince("2024-02-29T00:00:00Z", 0, &problem), 1709164800LL * 1000);
}

TEST(ParseSince, RefusesWhatIsNeither) {
  for (const char* bad : {"", "10", "10x", "m", "-5m", "yesterday", "2026-13-01", "2026-11-31x",
                          "2026-11-30 25:00", "2026-11-30T03", "2026/11/30", "03:00"}) {
    std::string problem;
    EXPECT_FALSE(ParseSince(bad, kThreeAm, &problem).has_value()) << bad;
    EXPECT_NE(problem.find("--since"), std::string::npos) << bad;
  }
}

TEST(ParseLogLineHead, ReadsTheTimeAndLevelOfTheServerLogFormat) {
  const auto head = ParseLogLineHead("2026-11-30T03:00:01.500Z WARN reload refused: bad price");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->time_ms, kThreeAm + 1'500);
  EXPECT_EQ(head->level, LogLevel::kWarn);
  EXPECT_EQ(ParseLogLineHead("2026-11-30T03:00:01.500Z ERROR x")->level, LogLevel::kError);
  EXPECT_EQ(ParseLogLineHead("2026-11-30T03:00:01.500Z DEBUG x")->level, LogLevel::kDebug);
  EXPECT_FALSE(ParseLogLineHead("  at the second line of a message"));
  EXPECT_FALSE(ParseLogLineHead("2026-11-30T03:00:01.500Z NOTICE x"));
  EXPECT_FALSE(ParseLogLineHead(""));
}

TEST(LogFilter, KeepsRecordsAtLeastAsSevereAsTheLevel) {
  LogFilter warn(std::nullopt, LogLevel::kWarn);
  EXPECT_FALSE(warn.Accept("2026-11-30T03:00:00.000Z INFO listening"));
  EXPECT_TRUE(warn.Accept("2026-11-30T03:00:00.000Z WARN slow"));
  EXPECT_TRUE(warn.Accept("2026-11-30T03:00:00.000Z ERROR broken"));
  EXPECT_FALSE(warn.Accept("2026-11-30T03:00:00.000Z DEBUG detail"));
  LogFilter debug(std::nullopt, LogLevel::kDebug);
  EXPECT_TRUE(debug.Accept("2026-11-30T03:00:00.000Z DEBUG detail"));
}

TEST(LogFilter, KeepsRecordsFromTheStartOfTheWindow) {
  LogFilter filter(kThreeAm, LogLevel::kDebug);
  EXPECT_FALSE(filter.Accept("2026-11-30T02:59:59.999Z INFO before"));
  EXPECT_TRUE(filter.Accept("2026-11-30T03:00:00.000Z INFO at"));
  EXPECT_TRUE(filter.Accept("2026-11-30T03:10:00.000Z INFO after"));
}

TEST(LogFilter, AContinuationLineGoesWithItsRecord) {
  LogFilter filter(kThreeAm, LogLevel::kWarn);
  EXPECT_FALSE(filter.Accept("a line cut by rotation, time unknown"));
  EXPECT_FALSE(filter.Accept("2026-11-30T03:01:00.000Z INFO hidden"));
  EXPECT_FALSE(filter.Accept("  hidden's second line"));
  EXPECT_TRUE(filter.Accept("2026-11-30T03:02:00.000Z ERROR shown"));
  EXPECT_TRUE(filter.Accept("  shown's second line"));
  LogFilter no_window(std::nullopt, LogLevel::kDebug);
  EXPECT_TRUE(no_window.Accept("a line cut by rotation, time unknown"));
}

}  // namespace
}  // namespace x402
