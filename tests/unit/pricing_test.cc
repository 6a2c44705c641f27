#include "x402/pricing.h"

#include <gtest/gtest.h>

namespace x402 {
namespace {

PricingConfig Rules() {
  PricingConfig p;
  p.default_price = AtomicAmount{10'000};
  p.per_resource = {PriceRule::Priced("/api/data", AtomicAmount{50'000}),
                    PriceRule::Priced("/api/*", AtomicAmount{20'000}),
                    PriceRule::Priced("/api/premium/*", AtomicAmount{100'000}),
                    PriceRule::Priced("/api/premium/cheap", AtomicAmount{1'000})};
  return p;
}

TEST(PricingTest, ExactRuleWins) {
  EXPECT_EQ(PriceFor(Rules(), "/api/data").price.units, 50'000u);
  EXPECT_EQ(PriceFor(Rules(), "/api/premium/cheap").price.units, 1'000u);
}

TEST(PricingTest, LongestPrefixBeatsShorterPrefixWhateverTheOrder) {
  EXPECT_EQ(PriceFor(Rules(), "/api/premium/report").price.units, 100'000u);
  EXPECT_EQ(PriceFor(Rules(), "/api/premium").price.units, 100'000u);
  EXPECT_EQ(PriceFor(Rules(), "/api/other").price.units, 20'000u);
}

TEST(PricingTest, PrefixMatchesWholeSegmentsOnly) {
  EXPECT_EQ(PriceFor(Rules(), "/api/premiumx").price.units, 20'000u);
  EXPECT_EQ(PriceFor(Rules(), "/apix").price.units, 10'000u);
}

TEST(PricingTest, DefaultAppliesOtherwise) {
  const PriceMatch m = PriceFor(Rules(), "/weather");
  EXPECT_EQ(m.price.units, 10'000u);
  EXPECT_EQ(m.rule, nullptr);
}

TEST(PricingTest, RootPrefixCoversEverything) {
  PricingConfig p;
  p.per_resource = {PriceRule::Priced("/*", AtomicAmount{7})};
  EXPECT_EQ(PriceFor(p, "/anything/at/all").price.units, 7u);
}

}  // namespace
}  // namespace x402
