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

// Issue 26: an option's amount is the USD price in its asset's units. 10 USD at 18 decimals
// (10^19) is past uint64_t; 10^12 USD (the largest price) at 36 decimals is 10^48.
TEST(MoneyTest, ConvertsUsdToTheUnitsOfAnAssetOfAnyDecimals) {
  const AtomicAmount ten_usd = *ParseUsd("10");
  EXPECT_EQ(UsdToAssetUnits(ten_usd, 18)->ToDecimal(), "10000000000000000000");
  EXPECT_EQ(UsdToAssetUnits(*ParseUsd("0.01"), 6)->ToDecimal(), "10000");
  EXPECT_EQ(UsdToAssetUnits(*ParseUsd("0.01"), 18)->ToDecimal(), "10000000000000000");
  EXPECT_EQ(UsdToAssetUnits(*ParseUsd("0.000001"), 18)->ToDecimal(), "1000000000000");
  EXPECT_EQ(UsdToAssetUnits(*ParseUsd("1000000000000"), 36)->ToDecimal(), "1" + std::string(48, '0'));
  EXPECT_EQ(UsdToAssetUnits(*ParseUsd("0.05"), 2)->ToDecimal(), "5");
  EXPECT_EQ(UsdToAssetUnits(*ParseUsd("12"), 0)->ToDecimal(), "12");
  // Finer than the asset's smallest unit: not a price it can be paid in.
  EXPECT_FALSE(UsdToAssetUnits(*ParseUsd("0.001"), 2));
  EXPECT_FALSE(UsdToAssetUnits(*ParseUsd("0.5"), 0));
  EXPECT_FALSE(UsdToAssetUnits(ten_usd, -1));
  EXPECT_FALSE(UsdToAssetUnits(ten_usd, 78));
}

TEST(MoneyTest, FormatsUnitsOfAnyDecimalsExactly) {
  EXPECT_EQ(FormatUnits(Uint256(50'000), 6), "0.05");
  EXPECT_EQ(FormatUnits(*Uint256::ParseDecimal("10000000000000000000"), 18), "10");
  EXPECT_EQ(FormatUnits(*Uint256::ParseDecimal("10000000000000001"), 18), "0.010000000000000001");
  EXPECT_EQ(FormatUnits(Uint256(0), 18), "0");
  EXPECT_EQ(FormatUnits(Uint256(7), 0), "7");
  EXPECT_EQ(FormatUnits(Uint256(1), 6), "0.000001");
  // The largest amount a client can send, at 18 decimals: every digit kept.
  EXPECT_EQ(FormatUnits(Uint256::Max(), 18),
            "115792089237316195423570985008687907853269984665640564039457.584007913129639935");
}

TEST(MoneyTest, ParsesWireAmountsAsPlainDigits) {
  EXPECT_EQ(ParseAtomic("50000")->units, 50'000u);
  EXPECT_FALSE(ParseAtomic("-1"));
  EXPECT_FALSE(ParseAtomic("1.0"));
  EXPECT_FALSE(ParseAtomic(" 1"));
  EXPECT_FALSE(ParseAtomic(""));
  // Issue 25, item 8: the references compare amounts as BigInt (uint256 on chain): past 2^64
  // is an amount, past 2^256 - 1 is not.
  EXPECT_EQ(ParseAtomic("99999999999999999999999")->units.ToDecimal(), "99999999999999999999999");
  const std::string max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  EXPECT_EQ(ParseAtomic(max)->units, Uint256::Max());
  EXPECT_FALSE(ParseAtomic("115792089237316195423570985008687907853269984665640564039457584007913129639936"));
  EXPECT_EQ(ParseAtomic("007")->units, 7u);  // as BigInt("007")
  EXPECT_EQ(FormatUsd(AtomicAmount{*Uint256::ParseDecimal("18446744073709551616000000")}),
            "18446744073709551616");  // 2^64 USD
}

TEST(Uint256Test, ArithmeticAndForms) {
  const Uint256 two64 = *Uint256::ParseDecimal("18446744073709551616");
  EXPECT_FALSE(two64.FitsUint64());
  EXPECT_EQ(two64.SaturatedInt64(), INT64_MAX);
  EXPECT_EQ(Uint256(UINT64_MAX).CheckedAdd(1), two64);
  EXPECT_EQ(two64 - 1, Uint256(UINT64_MAX));
  EXPECT_FALSE(Uint256::Max().CheckedAdd(1));
  EXPECT_FALSE(Uint256::Max().CheckedMul(2));
  EXPECT_EQ(Uint256::Pow10(18).CheckedMul(10)->ToDecimal(), "10000000000000000000");  // 10 USD at 18 decimals
  EXPECT_LT(Uint256(5), two64);
  EXPECT_EQ(Uint256::FromBigEndian(two64.ToBigEndian()), two64);
  EXPECT_EQ(two64.ToBigEndian()[23], 1);  // 2^64: byte 8 from the right
  Uint256 v = *Uint256::ParseDecimal("123456789012345678901234567890");
  EXPECT_EQ(v.DivMod(1'000'000), 567890u);
  EXPECT_EQ(v.ToDecimal(), "123456789012345678901234");
}

}  // namespace
}  // namespace x402
