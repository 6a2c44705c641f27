#include "x402/money.h"

#include <gtest/gtest.h>

namespace x402 {
namespace {

TEST(MoneyTest, ConvertsUsdToAtomicUnitsExactly) {
  EXPECT_EQ(ParseUsd("0.01")->units, 10'000u);
  EXPECT_EQ(ParseUsd("0.1")->units, 100'000u);
  EXPECT_EQ(ParseUsd("0.10")->units, 100'000u);
  EXPECT_EQ(ParseUsd("1")->units, 1'000'000u);
  EXPECT_EQ(ParseUsd(".5")->units, 500'000u);
  EXPECT_EQ(ParseUsd("0.000001")->units, 1u);
  EXPECT_EQ(ParseUsd("$0.05")->units, 50'000u);
  EXPECT_EQ(ParseUsd("0")->units, 0u);
  // Values that binary floating point cannot represent still convert exactly.
  EXPECT_EQ(ParseUsd("0.3")->units, 300'000u);
  EXPECT_EQ(ParseUsd("1234567.890123")->units, 1'234'567'890'123u);
  EXPECT_EQ(ParseUsd("0.0100000")->units, 10'000u);
}

TEST(MoneyTest, RejectsWhatCannotBeAPrice) {
  UsdParseError error = UsdParseError::kNone;
  EXPECT_FALSE(ParseUsd("-0.01", &error));
  EXPECT_EQ(error, UsdParseError::kNegative);
  EXPECT_FALSE(ParseUsd("0.0000001", &error));
  EXPECT_EQ(error, UsdParseError::kTooPrecise);
  EXPECT_FALSE(ParseUsd("1e-2", &error));
  EXPECT_EQ(error, UsdParseError::kNotANumber);
  EXPECT_FALSE(ParseUsd("abc", &error));
  EXPECT_EQ(error, UsdParseError::kNotANumber);
  EXPECT_FALSE(ParseUsd("", &error));
  EXPECT_EQ(error, UsdParseError::kEmpty);
  EXPECT_FALSE(ParseUsd(".", &error));
  EXPECT_FALSE(ParseUsd("99999999999999999999", &error));
  EXPECT_EQ(error, UsdParseError::kTooLarge);
}

TEST(MoneyTest, FormatsWithoutTrailingZeros) {
  EXPECT_EQ(FormatUsd(AtomicAmount{10'000}), "0.01");
  EXPECT_EQ(FormatUsd(AtomicAmount{1'500'000}), "1.5");
  EXPECT_EQ(FormatUsd(AtomicAmount{1}), "0.000001");
  EXPECT_EQ(FormatUsd(AtomicAmount{0}), "0");
  EXPECT_EQ(AtomicString(AtomicAmount{10'000}), "10000");
}

TEST(MoneyTest, ParsesWireAmountsAsPlainDigits) {
  EXPECT_EQ(ParseAtomic("50000")->units, 50'000u);
  EXPECT_FALSE(ParseAtomic("-1"));
  EXPECT_FALSE(ParseAtomic("1.0"));
  EXPECT_FALSE(ParseAtomic(" 1"));
  EXPECT_FALSE(ParseAtomic(""));
  EXPECT_FALSE(ParseAtomic("99999999999999999999999"));
}

}  // namespace
}  // namespace x402
