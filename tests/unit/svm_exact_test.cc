// The Solana exact scheme's checks (svm/exact/exact_svm_rules.h), row by row with the
// reference's reason names, on transactions built as the real client builds them
// (svm_payment.h) and then broken one way each; the wire parser on hostile bytes; and the
// stand-in RPC (svm/solana_rpc.h). The real clients' own transactions are paid in
// tests/e2e/solana.test.mjs.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "base/base64.h"
#include "svm_payment.h"
#include "x402/hash32.h"
#include "x402/json_fields.h"
#include "x402/payment.h"
#include "x402/paywall.h"
#include "x402/settle_step.h"
#include "x402/svm/base58.h"
#include "x402/svm/program_address.h"
#include "x402/svm/solana_rpc.h"
#include "x402/svm/transaction.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1'800'000'000;

class SvmExactTest : public ::testing::Test {
 protected:
  void SetUp() override { UseOffer("solana-devnet", ""); }

  void UseOffer(const std::string& network, const std::string& asset) {
    PaywallConfig config;
    OptionSpec spec;
    spec.network = network;
    spec.asset = asset;
    config.accepts = {spec};
    paywall_ = std::make_unique<Paywall>(config);
    option_ = paywall_->RequirementsFor("/r", "http://127.0.0.1:3402/r", kNow).front();
  }

  testing::SvmPaymentParts Parts(int serial = 1) const { return testing::SvmPaymentFor(option_, payer_, serial, kNow); }

  PaymentVerdict Verify(const std::vector<uint8_t>& wire, int version = 2) const {
    json::object payment;
    if (version == 1) {
      payment = {{"x402Version", 1}, {"scheme", "exact"}, {"network", option_.network}};
    } else {
      payment = {{"x402Version", 2}, {"accepted", RequirementsObjectV2(option_)}};
    }
    payment["payload"] = testing::SvmPayload(wire);
    return VerifyPaymentPayload(payment, version, OneOption(option_), PaymentCheck{kNow});
  }
  PaymentVerdict Verify(const testing::SvmPaymentParts& parts, int version = 2) const {
    return Verify(testing::BuildSvmTransaction(parts, payer_), version);
  }

  svm::Keypair payer_ = testing::SvmTestKey(7);
  std::unique_ptr<Paywall> paywall_;
  PaymentRequirements option_;
};

TEST_F(SvmExactTest, TheOfferNamesTheFeePayerAndAFreshBlockhash) {
  EXPECT_EQ(option_.caip2, "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1");
  EXPECT_EQ(option_.asset, "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU");
  EXPECT_EQ(option_.pay_to, "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH");
  EXPECT_EQ(TextField(option_.extra, "feePayer"), svm::SolanaChain::Get().fee_payer().address());
  EXPECT_EQ(TextField(option_.extra, "recentBlockhash"), svm::SolanaChain::Get().Latest(kNow).text);
  EXPECT_TRUE(option_.in_v1_offers);
}

TEST_F(SvmExactTest, AcceptsTheClientsPaymentInBothVersionsAndCoSignsIt) {
  for (int version : {1, 2}) {
    const auto wire = testing::BuildSvmTransaction(Parts(version), payer_);
    const PaymentVerdict v = Verify(wire, version);
    ASSERT_TRUE(v.valid) << v.reason << ": " << v.message;
    EXPECT_EQ(v.payer, payer_.address());
    EXPECT_EQ(v.amount, "10000");  // $0.01 in USDC's 6 decimals
    EXPECT_TRUE(v.revert_reason.empty()) << v.revert_message;
    // The transaction id is the fee payer's real signature over the message.
    std::string problem;
    const auto tx = svm::ParseTransaction(wire, &problem);
    ASSERT_TRUE(tx);
    const auto signature = svm::Base58Decode(option_.scheme_impl->SimulatedTransaction(v));
    ASSERT_TRUE(signature && signature->size() == 64);
    svm::Signature sig;
    std::copy(signature->begin(), signature->end(), sig.begin());
    EXPECT_TRUE(svm::VerifyEd25519(svm::SolanaChain::Get().fee_payer().public_key(), tx->message, sig));
  }
}

TEST_F(SvmExactTest, EachAlterationIsRefusedWithTheReferencesReason) {
  struct Case {
    const char* what;
    std::function<void(testing::SvmPaymentParts&)> alter;
    const char* reason;
  };
  const svm::PublicKey other = testing::SvmTestKey(9).public_key();
  const std::vector<Case> cases = {
      {"amount above", [](auto& p) { p.amount += 1; }, "invalid_exact_svm_payload_amount_mismatch"},
      {"amount below", [](auto& p) { p.amount -= 1; }, "invalid_exact_svm_payload_amount_mismatch"},
      {"another mint", [&](auto& p) { p.mint = other; }, "invalid_exact_svm_payload_mint_mismatch"},
      {"another destination", [&](auto& p) { p.destination = other; }, "invalid_exact_svm_payload_recipient_mismatch"},
      {"another fee payer", [&](auto& p) { p.fee_payer = other; }, "invalid_exact_svm_fee_payer_mismatch"},
      {"price too high", [](auto& p) { p.micro_lamports = 5'000'001; },
       "invalid_exact_svm_payload_transaction_instructions_compute_price_instruction_too_high"},
      {"an unknown 5th instruction", [&](auto& p) { p.extra_instructions.push_back({other, {1}}); },
       "invalid_exact_svm_payload_unknown_fifth_instruction"},
      {"8 instructions",
       [](auto& p) {
         for (int i = 0; i < 4; ++i) p.extra_instructions.push_back({*svm::Base58Decode32("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"), {}});
       },
       "invalid_exact_svm_payload_transaction_instructions_length"},
  };
  for (const Case& c : cases) {
    testing::SvmPaymentParts parts = Parts();
    c.alter(parts);
    const PaymentVerdict v = Verify(parts);
    EXPECT_FALSE(v.valid) << c.what;
    EXPECT_EQ(v.reason, c.reason) << c.what << ": " << v.message;
  }
}

TEST_F(SvmExactTest, TheFeePayerCannotBeThePayerAndEveryOtherSignerMustSign) {
  // The fee payer's key signing as the transfer's owner: it would sign away its own tokens.
  testing::SvmPaymentParts parts = Parts();
  parts.payer = svm::SolanaChain::Get().fee_payer().public_key();
  parts.source = svm::AssociatedTokenAddress(parts.payer, parts.mint, parts.token_program).address;
  auto wire = testing::BuildSvmTransaction(parts, svm::SolanaChain::Get().fee_payer());
  // The fee payer is account 0 and the owner account 1: two accounts with one key. The static
  // path reads the owner's key: refused as the fee payer's own funds.
  EXPECT_EQ(Verify(wire).reason, "invalid_exact_svm_payload_transaction_fee_payer_transferring_funds");

  // The payer's signature slot left empty, then a signature by another key.
  wire = testing::BuildSvmTransaction(Parts(), payer_);
  std::fill(wire.begin() + 65, wire.begin() + 129, 0);
  EXPECT_EQ(Verify(wire).reason, "invalid_exact_svm_payload_signature_invalid");
  const svm::Keypair stranger = testing::SvmTestKey(8);
  wire = testing::BuildSvmTransaction(Parts(), stranger);
  EXPECT_EQ(Verify(wire).reason, "invalid_exact_svm_payload_signature_invalid");
}

TEST_F(SvmExactTest, AnotherFeePayerInTheRequirementsIsNotTheFacilitators) {
  option_.extra["feePayer"] = testing::SvmTestKey(9).address();
  option_.Freeze();
  const auto v = Verify(Parts());
  EXPECT_EQ(v.reason, "invalid_exact_svm_fee_payer_not_managed_by_facilitator");
  option_.extra.erase("feePayer");
  option_.Freeze();
  EXPECT_EQ(Verify(testing::BuildSvmTransaction(Parts(), payer_)).reason, "invalid_exact_svm_payload_missing_fee_payer");
}

TEST_F(SvmExactTest, WhatOnlyTheChainKnowsFailsTheSimulation) {
  SettlementState state;
  PaywallConfig config;
  auto simulate = [&](const testing::SvmPaymentParts& parts) {
    PaymentVerdict v = Verify(parts);
    EXPECT_TRUE(v.valid) << v.reason << ": " << v.message;
    CheckOnChainState(state, config, kNow, &v);
    return v;
  };
  testing::SvmPaymentParts parts = Parts();
  parts.decimals = 9;
  PaymentVerdict v = simulate(parts);
  EXPECT_EQ(v.reason, "invalid_exact_svm_transaction_simulation_failed");
  EXPECT_NE(v.message.find("MintDecimalsMismatch"), std::string::npos) << v.message;

  parts = Parts();
  parts.blockhash = svm::SolanaChain::Get().Latest(kNow - 120).hash;  // expired
  v = simulate(parts);
  EXPECT_EQ(v.reason, "invalid_exact_svm_transaction_simulation_failed");
  EXPECT_NE(v.message.find("BlockhashNotFound"), std::string::npos) << v.message;

  parts = Parts();
  parts.token_program = svm::kToken2022Program;  // USDC's mint belongs to Token
  parts.source = svm::AssociatedTokenAddress(parts.payer, parts.mint, parts.token_program).address;
  parts.destination = svm::AssociatedTokenAddress(*svm::Base58Decode32(option_.pay_to), parts.mint, parts.token_program).address;
  v = simulate(parts);
  EXPECT_NE(v.message.find("IncorrectProgramId"), std::string::npos) << v.message;

  // The v1 facilitator names the same failure its own way.
  PaymentVerdict v1 = Verify(Parts(), 1);
  ASSERT_TRUE(v1.valid);
  EXPECT_EQ(v1.chain->reverted_at_verify, "transaction_simulation_failed");
}

// Review of issue 28: what the runtime refuses before the token program runs, and the token
// program's own checks the static rows do not make: each a failed simulation, never accepted.
TEST_F(SvmExactTest, WhatTheRuntimeRefusesFailsTheSimulation) {
  SettlementState state;
  PaywallConfig config;
  auto message_of = [&](std::vector<uint8_t> wire, auto&& alter) {
    // Re-sign after altering the message bytes (the header starts after the 129 bytes of
    // signatures, at the version byte).
    std::vector<uint8_t> message(wire.begin() + 129, wire.end());
    alter(message);
    const svm::Signature sig = payer_.Sign(message);
    std::copy(sig.begin(), sig.end(), wire.begin() + 65);
    std::copy(message.begin(), message.end(), wire.begin() + 129);
    return wire;
  };
  auto simulated = [&](const std::vector<uint8_t>& wire) {
    PaymentVerdict v = Verify(wire);
    if (!v.valid) return v;
    CheckOnChainState(state, config, kNow, &v);
    return v;
  };
  const auto wire = testing::BuildSvmTransaction(Parts(), payer_);
  // Only the fee payer signs (header: 1 required signer): the owner's signature is missing.
  auto unsigned_owner = wire;
  unsigned_owner.erase(unsigned_owner.begin() + 65, unsigned_owner.begin() + 129);
  unsigned_owner[0] = 1;
  unsigned_owner[65 + 1] = 1;  // required signatures
  unsigned_owner[65 + 2] = 0;  // read-only signed
  PaymentVerdict v = simulated(unsigned_owner);
  EXPECT_EQ(v.reason, "invalid_exact_svm_transaction_simulation_failed") << v.message;
  EXPECT_NE(v.message.find("MissingRequiredSignature"), std::string::npos) << v.message;
  // A read-only fee payer, and a read-only destination.
  v = simulated(message_of(wire, [](std::vector<uint8_t>& m) { m[2] = 2; }));
  EXPECT_NE(v.message.find("the fee payer is read-only"), std::string::npos) << v.reason << ": " << v.message;
  v = simulated(message_of(wire, [](std::vector<uint8_t>& m) { m[3] = 6; }));
  EXPECT_NE(v.message.find("ReadonlyDataModified"), std::string::npos) << v.reason << ": " << v.message;
  // An account listed twice (the source's key replaced by the destination's: the static rows
  // do not look at the source).
  v = simulated(message_of(wire, [&](std::vector<uint8_t>& m) {
    std::copy(m.begin() + 5 + 3 * 32, m.begin() + 5 + 4 * 32, m.begin() + 5 + 2 * 32);
  }));
  EXPECT_EQ(v.reason, "invalid_exact_svm_transaction_simulation_failed") << v.message;
  EXPECT_NE(v.message.find("AccountLoadedTwice"), std::string::npos) << v.message;
  // A header counting more accounts than the message lists (9 read-only unsigned of 8).
  v = simulated(message_of(wire, [](std::vector<uint8_t>& m) { m[3] = 9; }));
  EXPECT_NE(v.message.find("the header counts more accounts"), std::string::npos) << v.reason << ": " << v.message;
  // The memo instruction's program is the fee payer (account 0).
  v = simulated(message_of(wire, [](std::vector<uint8_t>& m) {
    // The fourth instruction's program index: after the header (4), the count (1), 8 accounts,
    // the blockhash, the instruction count, and the first three instructions.
    const std::size_t at = 4 + 1 + 8 * 32 + 32 + 1 + (1 + 1 + 1 + 5) + (1 + 1 + 1 + 9) + (1 + 1 + 4 + 1 + 10);
    ASSERT_EQ(m[at], 7);  // the memo program
    m[at] = 0;
  }));
  EXPECT_FALSE(v.valid);  // instruction 4 runs the fee payer's key: not Memo (a static row)
  EXPECT_EQ(v.reason, "invalid_exact_svm_payload_unknown_fourth_instruction");
  // A read-only source (7 read-only unsigned: the source among them, by the header's count the
  // writable ones end at index 1).
  v = simulated(message_of(wire, [](std::vector<uint8_t>& m) { m[3] = 6; }));
  EXPECT_NE(v.message.find("ReadonlyDataModified"), std::string::npos) << v.reason << ": " << v.message;
}

// Review of issue 28: @solana/kit keys signatures by address, so a signer listed twice is
// checked against the signature of its last listing, as the reference checks it.
TEST_F(SvmExactTest, ASignerListedTwiceIsCheckedAgainstItsLastSignature) {
  // Three signers: the fee payer, the payer, the payer again (the source's key replaced by the
  // payer's and the header counting three signers); the payer signs slot 2 only.
  auto wire = testing::BuildSvmTransaction(Parts(), payer_);
  std::vector<uint8_t> message(wire.begin() + 129, wire.end());
  message[1] = 3;  // required signatures
  message[2] = 1;  // read-only signed
  message[3] = 4;  // read-only unsigned
  std::copy(payer_.public_key().begin(), payer_.public_key().end(), message.begin() + 5 + 2 * 32);
  const svm::Signature good = payer_.Sign(message);
  std::vector<uint8_t> three = {3};
  three.insert(three.end(), 64, 0);                           // fee payer: empty
  three.insert(three.end(), 64, 0x55);                        // the first listing: garbage
  three.insert(three.end(), good.begin(), good.end());        // the last listing: good
  three.insert(three.end(), message.begin(), message.end());
  const PaymentVerdict v = Verify(three);
  // Signatures pass (the last listing's); the chain then refuses the account listed twice.
  EXPECT_NE(v.reason, "invalid_exact_svm_payload_signature_invalid") << v.message;
  std::swap_ranges(three.begin() + 65, three.begin() + 129, three.begin() + 129);  // good first, garbage last
  EXPECT_EQ(Verify(three).reason, "invalid_exact_svm_payload_signature_invalid");
}

TEST_F(SvmExactTest, TheMemoIsComparedAsTextDecoderReadsIt) {
  // extra.memo "hé"; the transaction's memo bytes with a byte-order mark, and with an invalid byte.
  option_.extra["memo"] = "h\xC3\xA9";
  option_.Freeze();
  testing::SvmPaymentParts parts = Parts();
  parts.memo = "\xEF\xBB\xBFh\xC3\xA9";
  PaymentVerdict v = Verify(parts);
  EXPECT_TRUE(v.valid) << v.reason << ": " << v.message;
  parts.memo = "h\xC3";
  EXPECT_EQ(Verify(parts).reason, "invalid_exact_svm_payload_memo_mismatch");
  option_.extra["memo"] = "h\xEF\xBF\xBD";  // U+FFFD: what TextDecoder makes of the cut-short é
  option_.Freeze();
  EXPECT_TRUE(Verify(parts).valid);
  parts.extra_instructions.push_back({*svm::Base58Decode32("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"), {'x'}});
  EXPECT_EQ(Verify(parts).reason, "invalid_exact_svm_payload_memo_count");
}

TEST_F(SvmExactTest, AReplayIsADuplicateSettlementAndAShortBalanceFailsTheSimulation) {
  SettlementState state;
  PaywallConfig config;
  PaymentVerdict first = Verify(Parts(3));
  Settle(state, config, kNow, &first, Settler::kFacilitator);
  ASSERT_TRUE(first.valid) << first.message;
  PaymentVerdict again = Verify(Parts(3));
  Settle(state, config, kNow, &again, Settler::kFacilitator);
  EXPECT_EQ(again.reason, "duplicate_settlement");
  PaymentVerdict looked = Verify(Parts(3));
  CheckOnChainState(state, config, kNow, &looked);
  EXPECT_EQ(looked.reason, "invalid_exact_svm_transaction_simulation_failed");

  config.ledger.starting_balance = AtomicAmount{Uint256(5'000)};  // $0.005: short of $0.01
  PaymentVerdict poor = Verify(Parts(4));
  CheckOnChainState(state, config, kNow, &poor);
  EXPECT_EQ(poor.reason, "invalid_exact_svm_transaction_simulation_failed");
}

TEST_F(SvmExactTest, TokenTwentyTwentyTwoAssetsPayUnderTheirProgram) {
  UseOffer("solana-devnet", "4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7");  // USDG
  const testing::SvmPaymentParts parts = Parts();
  EXPECT_EQ(parts.token_program, svm::kToken2022Program);
  PaymentVerdict v = Verify(parts);
  ASSERT_TRUE(v.valid) << v.reason << ": " << v.message;
  EXPECT_TRUE(v.revert_reason.empty()) << v.revert_message;
  EXPECT_EQ(v.Detail("program"), "Token-2022");
}

TEST_F(SvmExactTest, ABlockhashFromAnEarlier402StillMatchesTheOffer) {
  // recentBlockhash is regenerated per 402 and left out of the comparison, as @x402/core does.
  json::object accepted = RequirementsObjectV2(option_);
  accepted["extra"].as_object()["recentBlockhash"] = svm::SolanaChain::Get().Latest(kNow - 20).text;
  testing::SvmPaymentParts parts = Parts();
  parts.blockhash = svm::SolanaChain::Get().Latest(kNow - 20).hash;
  json::object payment = {{"x402Version", 2},
                          {"accepted", accepted},
                          {"payload", testing::SvmPayload(testing::BuildSvmTransaction(parts, payer_))}};
  PaymentCheck check{kNow};
  check.as_facilitator = false;
  const PaymentVerdict v = VerifyPaymentPayload(payment, 2, OneOption(option_), check);
  EXPECT_TRUE(v.valid) << v.reason << ": " << v.message;
}

// A devnet USDC payment by |payer| as the client builds it, for an offer of |*config| (which
// gets that one option).
std::vector<uint8_t> DevnetUsdcPayment(const svm::Keypair& payer, PaywallConfig* config) {
  OptionSpec spec;
  spec.network = "solana-devnet";
  config->accepts = {spec};
  const PaymentRequirements option = Paywall(*config).RequirementsFor("/r", "", kNow).front();
  return testing::BuildSvmTransaction(testing::SvmPaymentFor(option, payer, 1, kNow), payer);
}

TEST(SvmChainTest, BlockhashesLiveTheirLifetimeAndDeriveFromTheKey) {
  const svm::SolanaChain chain(testing::SvmTestKey(3));
  const svm::SolanaChain::Blockhash issued = chain.Latest(kNow);
  ASSERT_TRUE(chain.ExpiryOf(issued.hash, kNow));
  EXPECT_TRUE(chain.ExpiryOf(issued.hash, kNow + 39));   // 40 to 60 s by default
  EXPECT_FALSE(chain.ExpiryOf(issued.hash, kNow + 60));
  EXPECT_FALSE(chain.ExpiryOf(issued.hash, kNow - 1));   // not issued yet
  EXPECT_EQ(issued.expires, kNow + 60);                  // kNow is a period's start
  // The same key, restarted: the same blockhashes; another key: others.
  EXPECT_EQ(svm::SolanaChain(testing::SvmTestKey(3)).Latest(kNow).hash, issued.hash);
  EXPECT_FALSE(svm::SolanaChain(testing::SvmTestKey(4)).ExpiryOf(issued.hash, kNow));
  // mock_server.solana_blockhash_seconds: a day.
  const svm::SolanaChain slow(testing::SvmTestKey(3), 86'400);
  const auto day = slow.Latest(kNow);
  EXPECT_TRUE(slow.ExpiryOf(day.hash, kNow + 57'000));
  EXPECT_FALSE(slow.ExpiryOf(day.hash, kNow + 86'400));
  EXPECT_EQ(svm::SolanaChain(testing::SvmTestKey(3), 1).blockhash_lifetime(), 3);    // clamped
  EXPECT_EQ(svm::SolanaChain(testing::SvmTestKey(3), 61).blockhash_lifetime(), 63);  // rounded up
}

TEST(SvmTransactionTest, HostileBytesAreRefusedNeverRead) {
  const svm::Keypair payer = testing::SvmTestKey(7);
  PaywallConfig config;
  const auto wire = DevnetUsdcPayment(payer, &config);
  std::string problem;
  ASSERT_TRUE(svm::ParseTransaction(wire, &problem)) << problem;
  // Every truncation short of the last instruction (kit's own prefixes are compared with the
  // parser's on real transactions below): refused, saying why.
  for (std::size_t n = 0; n < 400; ++n) {
    problem.clear();
    EXPECT_FALSE(svm::ParseTransaction(std::span(wire.data(), n), &problem)) << "accepted " << n << " bytes";
    EXPECT_FALSE(problem.empty());
  }
  // A signature count that lies (255 signatures in a short transaction, 0xffff), a version
  // that does not exist, a count of accounts past the end.
  auto patched = [&](std::size_t at, std::vector<uint8_t> bytes) {
    std::vector<uint8_t> w = wire;
    std::copy(bytes.begin(), bytes.end(), w.begin() + static_cast<std::ptrdiff_t>(at));
    return w;
  };
  EXPECT_FALSE(svm::ParseTransaction(patched(0, {0xff, 0x01}), &problem));
  EXPECT_FALSE(svm::ParseTransaction(patched(0, {0xff, 0xff, 0x03}), &problem));
  EXPECT_FALSE(svm::ParseTransaction(patched(0, {0xff, 0xff, 0xff}), &problem));
  EXPECT_FALSE(svm::ParseTransaction(patched(129, {0x81}), &problem));  // version 1
  EXPECT_NE(problem.find("version 1"), std::string::npos);
  EXPECT_FALSE(svm::ParseTransaction(patched(133, {0xff, 0x7f}), &problem));  // accounts
  std::vector<uint8_t> one_signature = patched(0, {0x01});  // 1 signature for 2 signers
  one_signature.erase(one_signature.begin() + 65, one_signature.begin() + 129);
  EXPECT_FALSE(svm::ParseTransaction(one_signature, &problem));
  EXPECT_NE(problem.find("required signers"), std::string::npos) << problem;
}

TEST(SvmRpcTest, AnswersWhatTheClientsAskAndRefusesTheRest) {
  const NetworkTable networks;
  const PaywallConfig config;
  svm::SolanaRpcContext ctx{&networks, &config, nullptr, kNow};
  auto call = [&](std::string_view body) { return json::parse(svm::AnswerSolanaRpc(body, ctx)); };

  json::value mint = call(R"({"jsonrpc":"2.0","id":1,"method":"getAccountInfo",)"
                          R"("params":["4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7",{"encoding":"base64"}]})");
  const json::object& account = mint.at("result").at("value").as_object();
  EXPECT_EQ(account.at("owner").as_string(), "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
  const std::string data = *Base64Decode(account.at("data").as_array()[0].as_string());
  ASSERT_EQ(data.size(), 82u);
  EXPECT_EQ(data[44], 6);  // decimals
  EXPECT_EQ(data[45], 1);  // initialized
  EXPECT_TRUE(call(R"({"jsonrpc":"2.0","id":2,"method":"getAccountInfo","params":["11111111111111111111111111111111"]})")
                  .at("result").at("value").is_null());
  EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":3,"method":"getLatestBlockhash"})").at("result").at("value").at("blockhash"),
            json::value(svm::SolanaChain::Get().Latest(kNow).text));

  EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":4,"method":"sendTransaction","params":[]})").at("error").at("code"), -32601);
  EXPECT_EQ(call("{not json").at("error").at("code"), -32700);
  EXPECT_EQ(call(R"({"id":5,"method":"getSlot"})").at("error").at("code"), -32600);
  EXPECT_EQ(call(R"([])").at("error").at("code"), -32600);
  EXPECT_EQ(call(std::string(svm::kMaxSolanaRpcBody + 1, ' ')).at("error").at("code"), -32600);
  EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":6,"method":"getAccountInfo","params":["0OIl"]})").at("error").at("code"), -32602);
  const json::value batch = call(R"([{"jsonrpc":"2.0","id":7,"method":"getSlot"},{"jsonrpc":"2.0","id":8,"method":"x"}])");
  ASSERT_EQ(batch.as_array().size(), 2u);
  EXPECT_EQ(batch.as_array()[0].at("result"), json::value(svm::SolanaChain::SlotAt(kNow)));
}

// Review of issue 28: a request cannot make the stand-in derive token accounts without bound,
// nor simulate a transaction larger than a packet.
TEST(SvmRpcTest, WorkPerRequestIsBounded) {
  const NetworkTable networks;
  PaywallConfig config;
  for (int i = 0; i < 64; ++i) config.ledger.balances[testing::SvmTestKey(static_cast<uint8_t>(i + 1)).address()] = AtomicAmount{};
  svm::SolanaRpcContext ctx{&networks, &config, nullptr, kNow};
  std::string batch = "[";
  for (int i = 0; i < 64; ++i) {
    batch += std::string(i ? "," : "") + R"({"jsonrpc":"2.0","id":)" + std::to_string(i) +
             R"(,"method":"getTokenAccountBalance","params":["11111111111111111111111111111111"]})";
  }
  batch += "]";
  const json::value answers = json::parse(svm::AnswerSolanaRpc(batch, ctx));
  // 64 payers × 11 mints would be 704 derivations for the first call alone: the budget stops it.
  EXPECT_EQ(answers.as_array()[0].at("error").at("code"), -32005);
  EXPECT_EQ(answers.as_array()[63].at("error").at("code"), -32005);
  // A payer the config names: its associated token account is found.
  const std::string owner = testing::SvmTestKey(1).address();
  PaywallConfig one;
  one.ledger.balances[owner] = AtomicAmount{Uint256(20'000)};  // $0.02
  svm::SolanaRpcContext small{&networks, &one, nullptr, kNow};
  const std::string ata = svm::Base58Encode(svm::AssociatedTokenAddress(testing::SvmTestKey(1).public_key(),
      *svm::Base58Decode32("4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"), svm::kTokenProgram).address);
  const json::value found = json::parse(svm::AnswerSolanaRpc(
      R"({"jsonrpc":"2.0","id":1,"method":"getTokenAccountBalance","params":[")" + ata + R"("]})", small));
  EXPECT_EQ(found.at("result").at("value").at("amount"), "1000000000000") << found;  // ledger on, no account yet: untracked
  const std::string big = R"({"jsonrpc":"2.0","id":1,"method":"simulateTransaction","params":[")" +
                          std::string(1700, 'A') + R"(",{"encoding":"base64"}]})";
  EXPECT_EQ(json::parse(svm::AnswerSolanaRpc(big, ctx)).at("error").at("code"), -32602);
  const std::string big58 = R"({"jsonrpc":"2.0","id":1,"method":"simulateTransaction","params":[")" +
                            std::string(1700, '2') + R"("]})";
  EXPECT_EQ(json::parse(svm::AnswerSolanaRpc(big58, ctx)).at("error").at("code"), -32602);
  // A batch of 65 calls, and JSON nested 17 deep.
  std::string many = "[";
  for (int i = 0; i < 65; ++i) many += std::string(i ? "," : "") + R"({"jsonrpc":"2.0","id":1,"method":"getSlot"})";
  many += "]";
  EXPECT_EQ(json::parse(svm::AnswerSolanaRpc(many, ctx)).at("error").at("code"), -32600);
  EXPECT_EQ(json::parse(svm::AnswerSolanaRpc(std::string(17, '[') + std::string(17, ']'), ctx)).at("error").at("code"),
            -32700);
}

TEST(SvmRpcTest, SimulationSaysWhatTheFacilitatorWouldMeet) {
  const svm::Keypair payer = testing::SvmTestKey(7);
  PaywallConfig config;
  const auto wire = DevnetUsdcPayment(payer, &config);
  const std::string body = R"({"jsonrpc":"2.0","id":1,"method":"simulateTransaction","params":[")" +
                           Base64Encode(std::string_view(reinterpret_cast<const char*>(wire.data()), wire.size())) +
                           R"(",{"encoding":"base64","sigVerify":false}]})";
  const NetworkTable networks;
  SettlementState state;
  svm::SolanaRpcContext ctx{&networks, &config, &state, kNow};
  json::value answer = json::parse(svm::AnswerSolanaRpc(body, ctx));
  EXPECT_TRUE(answer.at("result").at("value").at("err").is_null()) << answer;
  EXPECT_GT(answer.at("result").at("value").at("unitsConsumed").as_int64(), 6000);

  config.ledger.starting_balance = AtomicAmount{Uint256(5'000)};  // short of $0.01
  answer = json::parse(svm::AnswerSolanaRpc(body, ctx));
  EXPECT_EQ(answer.at("result").at("value").at("err"), json::parse(R"({"InstructionError":[2,{"Custom":1}]})")) << answer;
}

}  // namespace
}  // namespace x402

namespace x402 {
namespace {

// The parser on real client transactions (tests/unit/data/svm_transactions.json, written by
// tests/e2e/make_svm_transactions.mjs): it reads each as @solana/kit reads it, and the checks
// accept each (their blockhash is from the mock run that made them: only the simulation row
// refuses it, for that).
TEST(SvmClientTransactionsTest, ReadAsKitReadsThemAndPassTheStaticChecks) {
  std::ifstream in(std::string(X402_TEST_DATA_DIR) + "/svm_transactions.json");
  std::stringstream text;
  text << in.rdbuf();
  const json::object fixtures = json::parse(text.str()).as_object();
  std::array<uint8_t, 32> seed;
  seed.fill(0x11);
  svm::SolanaChain::Install(svm::Keypair::FromSeed(seed));
  const json::array& transactions = fixtures.at("transactions").as_array();
  ASSERT_EQ(transactions.size(), 4u);
  auto hex = [](std::span<const uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (uint8_t b : bytes) out += {kDigits[b >> 4], kDigits[b & 15]};
    return out;
  };
  for (const json::value& entry : transactions) {
    const std::string client(entry.at("client").as_string());
    SCOPED_TRACE(client);
    const json::object& kit = entry.at("kit").as_object();
    const auto wire = Base64Decode(entry.at("transaction").as_string());
    ASSERT_TRUE(wire);
    std::string problem;
    const auto tx = svm::ParseTransaction(BytesOf(*wire), &problem);
    ASSERT_TRUE(tx) << problem;
    EXPECT_EQ(tx->legacy, kit.at("version").is_string());
    EXPECT_EQ(json::value_from(std::vector<int>{tx->required_signatures, tx->readonly_signed, tx->readonly_unsigned}),
              kit.at("header"));
    json::array accounts;
    for (const auto& key : tx->static_accounts) accounts.emplace_back(svm::Base58Encode(key));
    EXPECT_EQ(accounts, kit.at("accounts").as_array());
    EXPECT_EQ(svm::Base58Encode(tx->recent_blockhash), kit.at("blockhash").as_string());
    ASSERT_EQ(tx->instructions.size(), kit.at("instructions").as_array().size());
    for (std::size_t i = 0; i < tx->instructions.size(); ++i) {
      const json::object& want = kit.at("instructions").as_array()[i].as_object();
      EXPECT_EQ(tx->instructions[i].program_index, want.at("program").as_int64());
      EXPECT_EQ(json::value_from(std::vector<int>(tx->instructions[i].account_indexes.begin(),
                                                  tx->instructions[i].account_indexes.end())),
                want.at("accounts"));
      EXPECT_EQ(hex(tx->instructions[i].data), want.at("data").as_string());
    }
    EXPECT_EQ(static_cast<int64_t>(tx->lookups.size()), kit.at("lookups").as_int64());
    EXPECT_EQ(static_cast<int64_t>(tx->message.size()), kit.at("message_bytes").as_int64());
    // Every prefix of it: read where kit reads it (a count missing at the very end is 0), refused
    // everywhere else.
    json::array decoded;
    for (std::size_t n = 0; n <= wire->size(); ++n) {
      if (svm::ParseTransaction(BytesOf(std::string_view(*wire).substr(0, n)), &problem)) {
        decoded.emplace_back(static_cast<int64_t>(n));
      }
    }
    EXPECT_EQ(decoded, kit.at("prefixes_decoded").as_array());
    ASSERT_EQ(tx->signatures.size(), kit.at("signatures").as_array().size());
    for (std::size_t i = 0; i < tx->signatures.size(); ++i) {
      const json::value& want = kit.at("signatures").as_array()[i];
      EXPECT_EQ(svm::Transaction::IsUnsigned(tx->signatures[i]), want.is_null());
      if (!want.is_null()) {
        EXPECT_EQ(hex(tx->signatures[i]), want.as_string());
      }
    }

    // The checks, as the version it was sent in.
    const bool v1 = client.find("V1") != std::string::npos || client.find("x402-fetch") != std::string::npos;
    const bool usdg = client.find("USDG") != std::string::npos;
    PaywallConfig config;
    OptionSpec spec;
    spec.network = "solana-devnet";
    if (usdg) spec.asset = "4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7";
    config.accepts = {spec};
    const PaymentRequirements option = Paywall(config).RequirementsFor("/tx", "http://127.0.0.1/tx").front();
    json::object payment = v1 ? json::object{{"x402Version", 1}, {"scheme", "exact"}, {"network", "solana-devnet"}}
                              : json::object{{"x402Version", 2}, {"accepted", RequirementsObjectV2(option)}};
    payment["payload"] = json::object{{"transaction", entry.at("transaction")}};
    const PaymentVerdict v = VerifyPaymentPayload(payment, v1 ? 1 : 2, OneOption(option), PaymentCheck{kNow});
    ASSERT_TRUE(v.valid) << v.reason << ": " << v.message;
    EXPECT_EQ(v.payer, fixtures.at("payer").as_string());
    EXPECT_EQ(v.Detail("program"), usdg ? "Token-2022" : "Token");
    EXPECT_NE(v.revert_message.find("BlockhashNotFound"), std::string::npos) << v.revert_message;
  }

  // A legacy message followed by bytes: taken or refused as kit takes them (it reads a lookup
  // list after every message, then drops a legacy one's).
  const json::object& legacy = fixtures.at("legacy").as_object();
  const std::string base = *Base64Decode(legacy.at("transaction").as_string());
  for (const json::value& row : legacy.at("trailing").as_array()) {
    const std::string suffix_hex(row.at("suffix").as_string());
    std::string wire = base;
    for (std::size_t i = 0; i + 1 < suffix_hex.size(); i += 2) {
      wire += static_cast<char>(std::stoi(suffix_hex.substr(i, 2), nullptr, 16));
    }
    std::string problem;
    const auto tx = svm::ParseTransaction(BytesOf(wire), &problem);
    EXPECT_EQ(tx.has_value(), row.at("decoded").as_bool()) << "legacy + " << suffix_hex << ": " << problem;
    if (tx) {
      EXPECT_TRUE(tx->legacy);
      EXPECT_TRUE(tx->lookups.empty());
    }
  }
}

}  // namespace
}  // namespace x402
