#include "base/text.h"

#include <gtest/gtest.h>

namespace x402 {
namespace {

TEST(TextTest, EditDistanceCountsTranspositionAsOne) {
  EXPECT_EQ(EditDistance("start", "start"), 0u);
  EXPECT_EQ(EditDistance("strat", "start"), 1u);
  EXPECT_EQ(EditDistance("prot", "port"), 1u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(TextTest, ClosestMatchSuggestsOnlyLikelyTypos) {
  const std::vector<std::string> commands = {"mock", "config", "init", "version"};
  EXPECT_EQ(ClosestMatch("mok", commands), "mock");
  EXPECT_EQ(ClosestMatch("confg", commands), "config");
  EXPECT_EQ(ClosestMatch("versoin", commands), "version");
  EXPECT_EQ(ClosestMatch("deploy", commands), std::nullopt);
}

TEST(TextTest, JsonEscapeEscapesQuotesAndControls) {
  EXPECT_EQ(JsonEscape("a\"b\\c\n\x01"), "a\\\"b\\\\c\\n\\u0001");
}

}  // namespace
}  // namespace x402
