// The simulated chain: the used-authorization set (bounds, eviction, concurrency), the ledger,
// and Settle()/CheckOnChainState() that the paywall and the mock facilitator share.
#include "x402/settle_step.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "x402/exact_rules.h"
#include "x402/paywall.h"

namespace x402 {
namespace {

using Digest = UsedAuthorizations::Digest;

Digest D(int i) {
  return UsedAuthorizations::DigestOf("eip155:84532", "0xasset", "0xfrom", "0x" + std::to_string(i));
}

TEST(UsedAuthorizationsTest, RecordsOnceAndIgnoresCase) {
  UsedAuthorizations used;
  const Digest a = UsedAuthorizations::DigestOf("eip155:84532", "0xAbC", "0xDeF", "0xAA");
  EXPECT_EQ(a, UsedAuthorizations::DigestOf("EIP155:84532", "0xabc", "0xdef", "0xaa"));
  EXPECT_NE(a, UsedAuthorizations::DigestOf("eip155:8453", "0xabc", "0xdef", "0xaa"));  // network
  EXPECT_NE(a, UsedAuthorizations::DigestOf("eip155:84532", "0xabd", "0xdef", "0xaa"));  // asset
  EXPECT_FALSE(used.Contains(a));
  EXPECT_TRUE(used.Record(a));
  EXPECT_TRUE(used.Contains(a));
  EXPECT_FALSE(used.Record(a));
  used.Forget(a);
  EXPECT_TRUE(used.Record(a));
}

TEST(UsedAuthorizationsTest, StaysWithinItsBoundAndForgetsTheOldestFirst) {
  UsedAuthorizations used(/*capacity=*/64);
  ASSERT_EQ(used.capacity(), 64u);
  for (int i = 0; i < 10'000; ++i) ASSERT_TRUE(used.Record(D(i)));
  EXPECT_LE(used.size(), 64u);
  EXPECT_GE(used.size(), 48u);  // every shard full or nearly
  // The newest is still refused; the oldest has been forgotten.
  EXPECT_TRUE(used.Contains(D(9'999)));
  EXPECT_FALSE(used.Contains(D(0)));
}

TEST(UsedAuthorizationsTest, ConcurrentSettlesOfOneAuthorizationLetExactlyOneThrough) {
  UsedAuthorizations used;
  constexpr int kThreads = 8, kPerThread = 2'000;
  std::atomic<int> recorded{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every thread tries the same kPerThread authorizations, plus its own distinct ones.
        if (used.Record(D(i))) recorded.fetch_add(1);
        if (used.Record(D(1'000'000 + t * kPerThread + i))) recorded.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(recorded.load(), kPerThread + kThreads * kPerThread);
  EXPECT_EQ(used.size(), static_cast<std::size_t>(kPerThread + kThreads * kPerThread));
}

AtomicAmount Usd(uint64_t cents) { return AtomicAmount{cents * 10'000}; }

TEST(LedgerTest, DebitsUntilTheBalanceRunsOut) {
  Ledger ledger;
  LedgerConfig config;
  config.starting_balance = Usd(2);
  Ledger::Account account;
  EXPECT_EQ(ledger.Debit("0xAA", Usd(1), config, &account), Ledger::Outcome::kDebited);
  EXPECT_EQ(ledger.Debit("0xaa", Usd(1), config, &account), Ledger::Outcome::kDebited);
  EXPECT_EQ(account.balance, Usd(0));
  EXPECT_EQ(account.spent, Usd(2));
  EXPECT_EQ(account.payments, 2u);
  EXPECT_EQ(ledger.Debit("0xAA", Usd(1), config, &account), Ledger::Outcome::kInsufficient);
  EXPECT_EQ(account.payments, 2u);
  EXPECT_EQ(ledger.RenderJson(), R"({"0xaa":{"balance":"0","spent":"0.02","payments":2}})");
}

TEST(LedgerTest, NamedPayersOpenWithTheirOwnBalanceAndOthersAreNotTrackedWithoutADefault) {
  Ledger ledger;
  LedgerConfig config;
  config.balances["0xbb"] = Usd(5);
  Ledger::Account account;
  EXPECT_EQ(ledger.Debit("0xCC", Usd(100), config, &account), Ledger::Outcome::kNotTracked);
  EXPECT_EQ(ledger.Debit("0xBB", Usd(3), config, &account), Ledger::Outcome::kDebited);
  EXPECT_EQ(account.balance, Usd(2));
  // A reload with new balances: a payer already seen keeps its running balance.
  config.balances["0xbb"] = Usd(50);
  EXPECT_EQ(ledger.Debit("0xBB", Usd(3), config, &account), Ledger::Outcome::kInsufficient);
}

class SettleTest : public ::testing::Test {
 protected:
  PaymentVerdict Valid(int version, std::string nonce = "0x01") {
    PaymentVerdict v;
    v.valid = true;
    v.version = version;
    v.payer = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";
    v.nonce = std::move(nonce);
    v.value = "10000";
    return v;
  }
  PaymentRequirements req_ =
      Paywall(PaywallConfig{}).RequirementsFor("/x", "http://127.0.0.1:3402/x");
  SettlementState state_;
  LedgerConfig no_ledger_;
};

TEST_F(SettleTest, AReplayIsRefusedWithTheVersionsReason) {
  for (int version : {1, 2}) {
    PaymentVerdict first = Valid(version, "0x0" + std::to_string(version));
    Settle(state_, Verification::kStrict, no_ledger_, req_, &first);
    EXPECT_TRUE(first.valid) << first.message;
    PaymentVerdict looked = Valid(version, first.nonce);
    CheckOnChainState(state_, Verification::kStrict, no_ledger_, req_, &looked);
    EXPECT_EQ(looked.reason, UsedAuthorizationReason(version));
    PaymentVerdict again = Valid(version, first.nonce);
    Settle(state_, Verification::kStrict, no_ledger_, req_, &again);
    EXPECT_FALSE(again.valid);
    EXPECT_EQ(again.reason, UsedAuthorizationReason(version));
    EXPECT_NE(again.message.find("already settled"), std::string::npos);
  }
}

TEST_F(SettleTest, CheckingDoesNotRecordAndShapeModeRemembersNothing) {
  PaymentVerdict looked = Valid(2);
  CheckOnChainState(state_, Verification::kStrict, no_ledger_, req_, &looked);
  EXPECT_TRUE(looked.valid);
  for (int i = 0; i < 3; ++i) {
    PaymentVerdict v = Valid(2);
    Settle(state_, Verification::kShape, no_ledger_, req_, &v);
    EXPECT_TRUE(v.valid);
  }
  EXPECT_EQ(state_.used.size(), 0u);
}

TEST_F(SettleTest, TheLedgerRunsAPayerDryAndARefusedPaymentStaysUnused) {
  LedgerConfig ledger;
  ledger.starting_balance = Usd(2);
  for (int i = 0; i < 2; ++i) {
    PaymentVerdict v = Valid(1, "0x1" + std::to_string(i));
    Settle(state_, Verification::kStrict, ledger, req_, &v);
    EXPECT_TRUE(v.valid) << v.message;
  }
  PaymentVerdict third = Valid(1, "0x12");
  Settle(state_, Verification::kStrict, ledger, req_, &third);
  EXPECT_FALSE(third.valid);
  EXPECT_EQ(third.reason, "insufficient_funds");
  EXPECT_NE(third.message.find("0 USD left"), std::string::npos) << third.message;
  EXPECT_FALSE(state_.used.Contains(
      UsedAuthorizations::DigestOf(req_.caip2, req_.asset, third.payer, third.nonce)));
  PaymentVerdict v2 = Valid(2, "0x13");
  Settle(state_, Verification::kStrict, ledger, req_, &v2);
  EXPECT_EQ(v2.reason, "invalid_exact_evm_insufficient_balance");
  // A verify sees the empty balance too, and opens no account for a payer it has not seen.
  PaymentVerdict looked = Valid(1, "0x14");
  CheckOnChainState(state_, Verification::kStrict, ledger, req_, &looked);
  EXPECT_EQ(looked.reason, "insufficient_funds");
  PaymentVerdict stranger = Valid(1, "0x15");
  stranger.payer = "0x000000000000000000000000000000000000bEEF";
  CheckOnChainState(state_, Verification::kStrict, ledger, req_, &stranger);
  EXPECT_TRUE(stranger.valid) << stranger.message;
  EXPECT_EQ(state_.ledger.RenderJson().find("beef"), std::string::npos);
}

}  // namespace
}  // namespace x402
