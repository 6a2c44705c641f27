#include "server/connection_limit.h"

#include <gtest/gtest.h>

#include "server/repeated_warning.h"

namespace x402 {
namespace {

using namespace std::chrono_literals;

TEST(ConnectionLimitTest, TheDefaultHoldsWhenDescriptorsAreAmple) {
  const ConnectionLimit limit = ChooseConnectionLimit(0, 1'048'576, 2);
  EXPECT_EQ(limit.max, kDefaultMaxConnections);
  EXPECT_EQ(limit.warning, "");
}

TEST(ConnectionLimitTest, TheDefaultShrinksToWhatTheOpenFileLimitLeaves) {
  // 1024 descriptors, of which the server keeps 16 + 3 per thread + the refusal slots.
  const ConnectionLimit limit = ChooseConnectionLimit(0, 1024, 2);
  EXPECT_EQ(limit.max, 1024u - 16 - 6 - kRefusalSlots);
  EXPECT_NE(limit.warning.find("open-file limit (1024)"), std::string::npos) << limit.warning;
}

TEST(ConnectionLimitTest, AnExplicitLimitIsKeptButWarnedAbout) {
  const ConnectionLimit limit = ChooseConnectionLimit(1000, 40, 1);
  EXPECT_EQ(limit.max, 1000u);
  EXPECT_NE(limit.warning.find("max_connections 1000"), std::string::npos) << limit.warning;
}

TEST(ConnectionLimitTest, NoLimitKnownKeepsWhatWasAsked) {
  EXPECT_EQ(ChooseConnectionLimit(0, std::nullopt, 4).max, kDefaultMaxConnections);
  EXPECT_EQ(ChooseConnectionLimit(7, std::nullopt, 4).max, 7u);
}

TEST(ConnectionLimitTest, ATinyOpenFileLimitStillLeavesOneConnection) {
  EXPECT_EQ(ChooseConnectionLimit(0, 10, 8).max, 1u);
}

TEST(RepeatedWarningTest, TheFirstOccurrenceIsSaidAndTheRestCountedPerInterval) {
  RepeatedWarning warning("accept failed", "pausing", 10s);
  const auto t0 = RepeatedWarning::Clock::time_point{} + 1h;
  auto first = warning.Occurred(t0);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->rfind("accept failed; pausing", 0), 0u) << *first;
  int lines = 0;
  for (int i = 1; i <= 1000; ++i) lines += warning.Occurred(t0 + i * 5ms).has_value();  // 5 s
  EXPECT_EQ(lines, 0);
  auto summary = warning.Occurred(t0 + 10s);
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(*summary, "accept failed: 1001 more times in the last 10.0 s; pausing");
  EXPECT_EQ(warning.total(), 1002u);
}

TEST(RepeatedWarningTest, TheEndIsReportedOnceWithTheTotal) {
  RepeatedWarning warning("at the connection limit", "refusing", 10s);
  const auto t0 = RepeatedWarning::Clock::time_point{} + 1h;
  EXPECT_FALSE(warning.Ended(t0).has_value()) << "nothing happened yet";
  warning.Occurred(t0);
  warning.Occurred(t0 + 1s);
  auto ended = warning.Ended(t0 + 2500ms);
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(*ended, "at the connection limit: over after 2 times in 2.5 s");
  EXPECT_FALSE(warning.Ended(t0 + 3s).has_value());
  // A new spell is said at once again.
  EXPECT_TRUE(warning.Occurred(t0 + 4s).has_value());
}

}  // namespace
}  // namespace x402
