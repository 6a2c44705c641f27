// The simulated chain: the used-authorization set (bounds, eviction, concurrency), the ledger,
// and Settle()/CheckOnChainState() that the paywall and the mock facilitator share.
#include "x402/settle_step.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "x402/evm/exact/eip3009_rules.h"
#include "x402/paywall.h"

namespace x402 {
namespace {

using Digest = UsedAuthorizations::Digest;

Digest D(int i) {
  return UsedAuthorizations::DigestOf("eip155:84532", "0xasset", "0xfrom", "0x" + std::to_string(i));
}

using Outcome = UsedAuthorizations::Outcome;
constexpr int64_t kT = 1'800'000'000;  // "now" in these tests

TEST(UsedAuthorizationsTest, RecordsOnceAndIgnoresCase) {
  UsedAuthorizations used;
  const Digest a = UsedAuthorizations::DigestOf("eip155:84532", "0xAbC", "0xDeF", "0xAA");
  EXPECT_EQ(a, UsedAuthorizations::DigestOf("EIP155:84532", "0xabc", "0xdef", "0xaa"));
  EXPECT_NE(a, UsedAuthorizations::DigestOf("eip155:8453", "0xabc", "0xdef", "0xaa"));  // network
  EXPECT_NE(a, UsedAuthorizations::DigestOf("eip155:84532", "0xabd", "0xdef", "0xaa"));  // asset
  EXPECT_FALSE(used.Contains(a));
  EXPECT_EQ(used.Record(a, kT + 300, kT), Outcome::kRecorded);
  EXPECT_TRUE(used.Contains(a));
  EXPECT_EQ(used.Record(a, kT + 300, kT), Outcome::kAlreadyUsed);
  used.Forget(a);
  EXPECT_EQ(used.Record(a, kT + 300, kT), Outcome::kRecorded);
}

// Issue 25, item 5. Before, a full shard forgot its oldest entry (FIFO) to take a new one, so
// filling one shard with fresh payments flushed an authorization out and it paid a second
// time. Now a live entry is never dropped: the new payments are refused instead, and the old
// authorization stays refused.
TEST(UsedAuthorizationsTest, FillingTheSetNeverFlushesALiveAuthorization) {
  UsedAuthorizations used;
  constexpr std::size_t kCapacity = 64;
  const Digest old = D(0);
  ASSERT_EQ(used.Record(old, kT + 300, kT, kCapacity), Outcome::kRecorded);
  // Fill old's own shard first (what an attacker would aim at), then every other.
  std::size_t recorded = 1, refused = 0;
  for (int i = 1; i < 10'000; ++i) {
    const Digest d = D(i);
    if (d.high % UsedAuthorizations::kShards != old.high % UsedAuthorizations::kShards && i < 5'000) continue;
    const Outcome outcome = used.Record(d, kT + 300, kT + 1, kCapacity);
    (outcome == Outcome::kRecorded ? recorded : refused) += 1;
    ASSERT_NE(outcome, Outcome::kAlreadyUsed);
  }
  EXPECT_EQ(recorded, kCapacity);
  EXPECT_GT(refused, 0u);
  EXPECT_EQ(used.size(), kCapacity);
  // The replay of the oldest authorization is still refused as used.
  EXPECT_EQ(used.Record(old, kT + 300, kT + 2, kCapacity), Outcome::kAlreadyUsed);
  EXPECT_TRUE(used.Contains(old));
}

TEST(UsedAuthorizationsTest, AnEntryGoesOnlyOnceItsAuthorizationHasExpired) {
  UsedAuthorizations used;
  constexpr std::size_t kCapacity = 32;
  for (int i = 0; i < 32; ++i) ASSERT_EQ(used.Record(D(i), kT + 10 + i, kT, kCapacity), Outcome::kRecorded);
  EXPECT_EQ(used.Record(D(100), kT + 100, kT + 5, kCapacity), Outcome::kFull);
  // At kT + 12, the entries valid before kT+10, +11, +12 have expired: three places.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(used.Record(D(100 + i), kT + 100, kT + 12, kCapacity), Outcome::kRecorded) << i;
  }
  EXPECT_EQ(used.Record(D(103), kT + 100, kT + 12, kCapacity), Outcome::kFull);
  EXPECT_FALSE(used.Contains(D(0)));
  EXPECT_TRUE(used.Contains(D(3)));  // valid before kT + 13: still live
  EXPECT_EQ(used.size(), kCapacity);
}

TEST(UsedAuthorizationsTest, ForgottenEntriesDoNotPileUp) {
  UsedAuthorizations used;
  for (int i = 0; i < 100'000; ++i) {
    ASSERT_EQ(used.Record(D(i), kT + 300, kT, 1024), Outcome::kRecorded);
    used.Forget(D(i));
  }
  EXPECT_EQ(used.size(), 0u);
  EXPECT_EQ(used.Record(D(1), kT + 300, kT, 1024), Outcome::kRecorded);
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
        if (used.Record(D(i), kT + 300, kT) == Outcome::kRecorded) recorded.fetch_add(1);
        if (used.Record(D(1'000'000 + t * kPerThread + i), kT + 300, kT) == Outcome::kRecorded) {
          recorded.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(recorded.load(), kPerThread + kThreads * kPerThread);
  EXPECT_EQ(used.size(), static_cast<std::size_t>(kPerThread + kThreads * kPerThread));
}

TEST(UsedAuthorizationsTest, TheBoundHoldsUnderConcurrentRecords) {
  UsedAuthorizations used;
  constexpr std::size_t kCapacity = 1000;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1'000; ++i) (void)used.Record(D(t * 1'000 + i), kT + 300, kT, kCapacity);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(used.size(), kCapacity);
}

AtomicAmount Usd(uint64_t cents) { return AtomicAmount{cents * 10'000}; }

// Base Sepolia USDC as the ledger keeps it (6 decimals: a USD cent is 10'000 units).
const LedgerAsset kUsdc{"eip155:84532/erc20:0x036cbd53842c5426634e7929541ec2318f3dcf7e", "USDC", 6};

// A payer as the EVM exact scheme hands it to the ledger (EVM addresses ignore letter case).
std::string Evm(std::string_view payer) {
  return SchemeRegistry::BuiltIn().Find("exact", "eip155")->CanonicalAccount(payer);
}

TEST(LedgerTest, DebitsUntilTheBalanceRunsOut) {
  Ledger ledger;
  LedgerConfig config;
  config.starting_balance = Usd(2);
  Ledger::Account account;
  EXPECT_EQ(ledger.Debit(Evm("0xAA"), kUsdc, Usd(1), config, &account), Ledger::Outcome::kDebited);
  EXPECT_EQ(ledger.Debit(Evm("0xaa"), kUsdc, Usd(1), config, &account), Ledger::Outcome::kDebited);
  EXPECT_EQ(account.balance, Usd(0));
  EXPECT_EQ(account.spent, Usd(2));
  EXPECT_EQ(account.payments, 2u);
  EXPECT_EQ(ledger.Debit(Evm("0xAA"), kUsdc, Usd(1), config, &account), Ledger::Outcome::kInsufficient);
  EXPECT_EQ(account.payments, 2u);
  EXPECT_EQ(ledger.RenderJson(), R"({"0xaa":{"eip155:84532/erc20:0x036cbd53842c5426634e7929541ec2318f3dcf7e":)"
            R"({"symbol":"USDC","balance":"0","spent":"0.02","payments":2}}})");
}

TEST(LedgerTest, NamedPayersOpenWithTheirOwnBalanceAndOthersAreNotTrackedWithoutADefault) {
  Ledger ledger;
  LedgerConfig config;
  config.balances["0xbb"] = Usd(5);
  Ledger::Account account;
  EXPECT_EQ(ledger.Debit(Evm("0xCC"), kUsdc, Usd(100), config, &account), Ledger::Outcome::kNotTracked);
  EXPECT_EQ(ledger.Debit(Evm("0xBB"), kUsdc, Usd(3), config, &account), Ledger::Outcome::kDebited);
  EXPECT_EQ(account.balance, Usd(2));
  // A reload with new balances: a payer already seen keeps its running balance.
  config.balances["0xbb"] = Usd(50);
  EXPECT_EQ(ledger.Debit(Evm("0xBB"), kUsdc, Usd(3), config, &account), Ledger::Outcome::kInsufficient);
}

// Issue 25, item 7: strangers filling the ledger (one new address each) cannot lock out the
// payers the configuration names.
TEST(LedgerTest, AFullLedgerRefusesNewPayersButNotNamedOnes) {
  Ledger ledger;
  LedgerConfig config;
  config.starting_balance = Usd(1);
  config.balances["0x00000000000000000000000000000000000000aa"] = Usd(3);
  Ledger::Account account;
  for (std::size_t i = 0; i < Ledger::kMaxAccounts; ++i) {
    ASSERT_EQ(ledger.Debit(Evm("0xstranger" + std::to_string(i)), kUsdc, Usd(1), config, &account),
              Ledger::Outcome::kDebited);
  }
  EXPECT_EQ(ledger.Debit(Evm("0xonemore"), kUsdc, Usd(1), config, &account), Ledger::Outcome::kFull);
  EXPECT_EQ(ledger.Look(Evm("0xonemore"), kUsdc, Usd(1), config, &account), Ledger::Outcome::kFull);
  EXPECT_EQ(ledger.Look(Evm("0x00000000000000000000000000000000000000AA"), kUsdc, Usd(1), config, &account),
            Ledger::Outcome::kDebited);
  EXPECT_EQ(ledger.Debit(Evm("0x00000000000000000000000000000000000000AA"), kUsdc, Usd(2), config, &account),
            Ledger::Outcome::kDebited);
  EXPECT_EQ(account.balance, Usd(1));
}

class SettleTest : public ::testing::Test {
 protected:
  // A payment the scheme found valid for |req_|: the verdict the settle step is handed.
  PaymentVerdict Valid(int version, std::string nonce = "0x01",
                       std::string payer = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf") {
    PaymentVerdict v;
    v.valid = true;
    v.version = version;
    v.payer = std::move(payer);
    v.amount = "10000";
    v.valid_before = kT + 300;
    v.replay_key = UsedAuthorizations::DigestOf(req_.caip2, req_.asset, v.payer, nonce);
    v.details = {{"nonce", std::move(nonce)}};
    v.option = &req_;
    v.chain = &Eip3009ChainReasons(version);
    return v;
  }
  PaywallConfig With(Verification verification, LedgerConfig ledger = {}) {
    PaywallConfig config;
    config.verification = verification;
    config.ledger = std::move(ledger);
    return config;
  }
  PaymentRequirements req_ =
      Paywall(PaywallConfig{}).RequirementsFor("/x", "http://127.0.0.1:3402/x").front();
  SettlementState state_;
  const PaywallConfig strict_ = With(Verification::kStrict);
};

TEST_F(SettleTest, AReplayIsRefusedWithTheVersionsReason) {
  for (int version : {1, 2}) {
    PaymentVerdict first = Valid(version, "0x0" + std::to_string(version));
    Settle(state_, strict_, kT, &first);
    EXPECT_TRUE(first.valid) << first.message;
    PaymentVerdict looked = Valid(version, first.Detail("nonce"));
    CheckOnChainState(state_, strict_, kT, &looked);
    EXPECT_EQ(looked.reason, UsedAuthorizationReason(version));
    PaymentVerdict again = Valid(version, first.Detail("nonce"));
    Settle(state_, strict_, kT, &again);
    EXPECT_FALSE(again.valid);
    EXPECT_EQ(again.reason, UsedAuthorizationReason(version));
    EXPECT_NE(again.message.find("already settled"), std::string::npos);
  }
}

TEST_F(SettleTest, CheckingDoesNotRecordAndShapeModeRemembersNothing) {
  PaymentVerdict looked = Valid(2);
  CheckOnChainState(state_, strict_, kT, &looked);
  EXPECT_TRUE(looked.valid);
  for (int i = 0; i < 3; ++i) {
    PaymentVerdict v = Valid(2);
    Settle(state_, With(Verification::kShape), kT, &v);
    EXPECT_TRUE(v.valid);
  }
  EXPECT_EQ(state_.used.size(), 0u);
}

TEST_F(SettleTest, TheLedgerRunsAPayerDryAndARefusedPaymentStaysUnused) {
  LedgerConfig ledger;
  ledger.starting_balance = Usd(2);
  for (int i = 0; i < 2; ++i) {
    PaymentVerdict v = Valid(1, "0x1" + std::to_string(i));
    Settle(state_, With(Verification::kStrict, ledger), kT, &v);
    EXPECT_TRUE(v.valid) << v.message;
  }
  PaymentVerdict third = Valid(1, "0x12");
  Settle(state_, With(Verification::kStrict, ledger), kT, &third);
  EXPECT_FALSE(third.valid);
  EXPECT_EQ(third.reason, "insufficient_funds");
  EXPECT_NE(third.message.find("0 USDC left"), std::string::npos) << third.message;
  EXPECT_FALSE(state_.used.Contains(
      UsedAuthorizations::DigestOf(req_.caip2, req_.asset, third.payer, third.Detail("nonce"))));
  PaymentVerdict v2 = Valid(2, "0x13");
  Settle(state_, With(Verification::kStrict, ledger), kT, &v2);
  EXPECT_EQ(v2.reason, "invalid_exact_evm_insufficient_balance");
  // The payer in another letter case is the same account: EVM addresses ignore case.
  PaymentVerdict lower = Valid(2, "0x16", "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf");
  Settle(state_, With(Verification::kStrict, ledger), kT, &lower);
  EXPECT_EQ(lower.reason, "invalid_exact_evm_insufficient_balance");
  // A verify sees the empty balance too, and opens no account for a payer it has not seen.
  PaymentVerdict looked = Valid(1, "0x14");
  CheckOnChainState(state_, With(Verification::kStrict, ledger), kT, &looked);
  EXPECT_EQ(looked.reason, "insufficient_funds");
  PaymentVerdict stranger = Valid(1, "0x15", "0x000000000000000000000000000000000000bEEF");
  CheckOnChainState(state_, With(Verification::kStrict, ledger), kT, &stranger);
  EXPECT_TRUE(stranger.valid) << stranger.message;
  EXPECT_EQ(state_.ledger.RenderJson().find("beef"), std::string::npos);
}

// The window bound that keeps the replay set's size at rate × window: the real clients sign
// validBefore = now + maxTimeoutSeconds, which passes; further ahead is refused, at verify and
// at settle, and nothing is recorded.
TEST_F(SettleTest, AnAuthorizationValidForLongerThanTheOfferAllowsIsRefused) {
  PaymentVerdict client = Valid(2, "0x21");
  client.valid_before = kT + req_.max_timeout_seconds;
  Settle(state_, strict_, kT, &client);
  EXPECT_TRUE(client.valid) << client.message;
  for (int64_t ahead : {int64_t{req_.max_timeout_seconds} + kClockSkewSeconds + 1, int64_t{9'000'000'000}}) {
    PaymentVerdict looked = Valid(2, "0x22");
    looked.valid_before = kT + ahead;
    CheckOnChainState(state_, strict_, kT, &looked);
    EXPECT_EQ(looked.reason, "invalid_exact_evm_payload_authorization_valid_before");
    PaymentVerdict far = Valid(1, "0x22");
    far.valid_before = kT + ahead;
    Settle(state_, strict_, kT, &far);
    EXPECT_FALSE(far.valid);
    EXPECT_NE(far.message.find("maxTimeoutSeconds"), std::string::npos) << far.message;
  }
  EXPECT_EQ(state_.used.size(), 1u);
}

TEST_F(SettleTest, AFullReplaySetRefusesNewPaymentsAsTheMocksOwnLimit) {
  PaywallConfig small = strict_;
  small.replay_set_size = 2;
  for (int i = 0; i < 2; ++i) {
    PaymentVerdict v = Valid(2, "0x3" + std::to_string(i));
    Settle(state_, small, kT, &v);
    ASSERT_TRUE(v.valid) << v.message;
  }
  PaymentVerdict third = Valid(2, "0x39");
  Settle(state_, small, kT, &third);
  EXPECT_FALSE(third.valid);
  EXPECT_TRUE(third.mock_limit);
  EXPECT_EQ(third.reason, "unexpected_settle_error");
  EXPECT_NE(third.message.find("mock_server.replay_set_size"), std::string::npos) << third.message;
  // Once the first two have expired there is room again.
  PaymentVerdict later = Valid(2, "0x39");
  later.valid_before = kT + 700;
  Settle(state_, small, kT + 400, &later);
  EXPECT_TRUE(later.valid) << later.message;
}

}  // namespace
}  // namespace x402
