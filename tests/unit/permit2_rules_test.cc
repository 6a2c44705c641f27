// Permit2 (the exact scheme's second strategy) and the upto scheme, checked as @x402/evm 2.27
// checks them (src/x402/evm/permit2_rules.h): every row of both tables with the reference's
// reason, fields altered after signing, the bad input the issue lists, the simulated chain's
// answers (the shared Permit2 nonce space, the allowance, the balance, an upto charge), and the
// eip2612GasSponsoring extension.
#include "x402/evm/permit2_rules.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/text.h"
#include "signed_payment.h"
#include "x402/json_fields.h"
#include "x402/evm/eip2612_gas_sponsoring.h"
#include "x402/evm/evm_networks.h"
#include "x402/evm/upto/upto_evm_scheme.h"
#include "x402/payment.h"
#include "x402/paywall.h"
#include "x402/scheme.h"
#include "x402/settle_step.h"
#include "x402/settlement.h"
#include "x402/settlement_charge.h"

namespace x402 {
namespace {

namespace json = boost::json;
using testing::AddressOf;
using testing::Permit2Payload;
using testing::SignPermit2;
using testing::TestKey;

constexpr int64_t kNow = 1'800'000'000;
constexpr char kBaseSepoliaUsdc[] = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";

// The offer of |spec| at 0.01 USD, as the paywall builds it.
PaymentRequirements Offer(OptionSpec spec) {
  PaywallConfig config;
  config.accepts = {std::move(spec)};
  Paywall paywall(config);
  return paywall.RequirementsFor("/r", "http://127.0.0.1:3402/r").front();
}

OptionSpec Spec(std::string scheme, std::string network, std::string method = "") {
  OptionSpec spec;
  spec.scheme = std::move(scheme);
  spec.network = std::move(network);
  spec.asset_transfer_method = std::move(method);
  return spec;
}

json::object Payment(const PaymentRequirements& option, const json::object& payload) {
  return {{"x402Version", 2},
          {"accepted", RequirementsObjectV2(option)},
          {"resource", {{"url", option.resource}}},
          {"payload", payload}};
}

PaymentVerdict Check(const PaymentRequirements& option, const json::object& payload, PaymentCheck check = PaymentCheck{kNow}) {
  return VerifyPaymentPayload(Payment(option, payload), 2, OneOption(option), check);
}

json::object& Auth(json::object& payload) { return payload["permit2Authorization"].as_object(); }

class Permit2Test : public ::testing::TestWithParam<bool> {  // false: exact; true: upto
 protected:
  bool upto() const { return GetParam(); }
  PaymentRequirements Option() const {
    return Offer(upto() ? Spec("upto", "base-sepolia") : Spec("exact", "base-sepolia", "permit2"));
  }
  json::object Signed(const PaymentRequirements& option, uint64_t nonce = 7) const {
    return Permit2Payload(option, upto(), nonce, kNow + 300);
  }
};

TEST_P(Permit2Test, TheOfferIsWhatTheReferenceServerSends) {
  const PaymentRequirements option = Option();
  EXPECT_EQ(TextField(option.extra, "assetTransferMethod"), "permit2");
  EXPECT_EQ(TextField(option.extra, "name"), "USDC");  // USDC has EIP-2612: the domain is offered
  EXPECT_EQ(TextField(option.extra, "facilitatorAddress"), upto() ? evm::kFacilitatorAddress : "");
  EXPECT_FALSE(option.in_v1_offers);  // Permit2 and upto are v2 only
}

TEST_P(Permit2Test, AcceptsWhatTheClientSigns) {
  const PaymentRequirements option = Option();
  const PaymentVerdict verdict = Check(option, Signed(option));
  ASSERT_TRUE(verdict.valid) << verdict.reason << ": " << verdict.message;
  EXPECT_EQ(verdict.payer, AddressOf(TestKey(1)));
  EXPECT_EQ(verdict.amount, "10000");
  EXPECT_EQ(verdict.up_to, upto());
  EXPECT_TRUE(verdict.allowance.needed);
  EXPECT_TRUE(verdict.allowance.assumed);  // the offer asked for Permit2
  EXPECT_EQ(verdict.Detail("transfer"), "permit2");
  EXPECT_EQ(verdict.Detail("recovered"), AddressOf(TestKey(1)));
}

// Each row of the table, broken alone (the payload re-signed, so only that rule fails), gives
// the reference's reason; the rows run in the reference's order.
TEST_P(Permit2Test, EveryRowRefusesWithTheReferenceReason) {
  const PaymentRequirements option = Option();
  struct Break {
    std::string_view row;
    std::function<void(json::object&)> change;
  };
  const std::vector<Break> breaks = {
      {"spender", [](json::object& p) { Auth(p)["spender"] = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"; }},
      {"recipient", [](json::object& p) { Auth(p)["witness"].as_object()["to"] = AddressOf(TestKey(3)); }},
      {"facilitator", [](json::object& p) { Auth(p)["witness"].as_object()["facilitator"] = AddressOf(TestKey(3)); }},
      {"deadline", [](json::object& p) { Auth(p)["deadline"] = std::to_string(kNow + 5); }},
      {"valid_after", [](json::object& p) { Auth(p)["witness"].as_object()["validAfter"] = std::to_string(kNow + 1); }},
      {"amount", [](json::object& p) { Auth(p)["permitted"].as_object()["amount"] = "9999"; }},
      {"token", [](json::object& p) { Auth(p)["permitted"].as_object()["token"] = AddressOf(TestKey(4)); }},
  };
  std::vector<std::string_view> seen;
  for (const evm::Permit2Rule& rule : evm::Permit2Rules(upto() ? evm::Permit2Witness::kUpto : evm::Permit2Witness::kExact)) {
    seen.push_back(rule.name);
    SCOPED_TRACE(std::string(rule.name));
    json::object payload = Signed(option);
    if (rule.name == "signature") {
      payload = Permit2Payload(option, upto(), 7, kNow + 300, TestKey(3));
      Auth(payload)["from"] = AddressOf(TestKey(1));  // claims another payer than the signer
    } else {
      auto it = std::find_if(breaks.begin(), breaks.end(), [&](const Break& b) { return b.row == rule.name; });
      ASSERT_NE(it, breaks.end());
      it->change(payload);
      SignPermit2(payload, option, upto());
    }
    const PaymentVerdict verdict = Check(option, payload);
    EXPECT_FALSE(verdict.valid);
    EXPECT_EQ(verdict.reason, rule.reason);
    EXPECT_FALSE(verdict.message.empty());
    EXPECT_EQ(verdict.payer, AddressOf(TestKey(1)));
  }
  const std::vector<std::string_view> exact_order = {"spender", "recipient", "deadline", "valid_after",
                                                     "amount", "token", "signature"};
  const std::vector<std::string_view> upto_order = {"spender", "recipient", "facilitator", "deadline",
                                                    "valid_after", "amount", "token", "signature"};
  EXPECT_EQ(seen, upto() ? upto_order : exact_order);
}

// A signed field altered afterwards: the field rows come first in Permit2, so a field they
// check is refused by its row; the others (nonce, deadline further out) by the signature.
TEST_P(Permit2Test, AFieldAlteredAfterSigningIsRefused) {
  const PaymentRequirements option = Option();
  const std::vector<std::pair<std::function<void(json::object&)>, std::string>> cases = {
      {[](json::object& p) { Auth(p)["nonce"] = "8"; }, "invalid_permit2_signature"},
      {[](json::object& p) { Auth(p)["deadline"] = std::to_string(kNow + 301); }, "invalid_permit2_signature"},
      {[](json::object& p) { Auth(p)["permitted"].as_object()["amount"] = "10001"; }, "permit2_amount_mismatch"},
      {[](json::object& p) { Auth(p)["witness"].as_object()["to"] = AddressOf(TestKey(5)); },
       "invalid_permit2_recipient_mismatch"},
      {[](json::object& p) { Auth(p)["from"] = AddressOf(TestKey(5)); }, "invalid_permit2_signature"},
  };
  for (const auto& [alter, reason] : cases) {
    json::object payload = Signed(option);
    alter(payload);
    EXPECT_EQ(Check(option, payload).reason, reason);
  }
}

TEST_P(Permit2Test, AmountsThatAreNotPlainDecimalsAreRefused) {
  const PaymentRequirements option = Option();
  for (const char* amount : {"010000", "+10000", "-10000", "1e4", "",
                             "115792089237316195423570985008687907853269984665640564039457584007913129639936"}) {
    json::object payload = Signed(option);
    Auth(payload)["permitted"].as_object()["amount"] = amount;
    const PaymentVerdict verdict = Check(option, payload);
    EXPECT_EQ(verdict.reason, "permit2_amount_mismatch") << amount;
  }
}

// Each field is read when its rule comes, as verifyPermit2() reads it: a missing or malformed
// field is refused by its own rule, in the reference's order (upto checks the whole shape
// first: isUptoPermit2Payload()).
TEST_P(Permit2Test, MissingOrMalformedFieldsAreRefusedByTheirRuleNeverAccepted) {
  const PaymentRequirements option = Option();
  const std::vector<std::pair<const char*, const char*>> missing = {
      {"from", "invalid_permit2_signature"}, {"spender", "invalid_permit2_spender"},
      {"nonce", "invalid_permit2_signature"}, {"deadline", "permit2_deadline_expired"},
      {"witness", "invalid_payload"},         {"permitted", "invalid_payload"}};
  for (const auto& [field, reason] : missing) {
    json::object payload = Signed(option);
    Auth(payload).erase(field);
    const PaymentVerdict verdict = Check(option, payload);
    EXPECT_FALSE(verdict.valid) << field;
    EXPECT_EQ(verdict.reason, upto() ? "unsupported_payload_type" : reason) << field;
  }
  // A wrong spender is named before a nonce or a signature that does not read.
  json::object spender_and_nonce = Signed(option);
  Auth(spender_and_nonce)["spender"] = AddressOf(TestKey(3));
  Auth(spender_and_nonce)["nonce"] = "abc";
  EXPECT_EQ(Check(option, spender_and_nonce).reason, "invalid_permit2_spender");
  json::object expired_short_signature = Signed(option);
  Auth(expired_short_signature)["deadline"] = std::to_string(kNow);
  expired_short_signature["signature"] = "0x1234";
  EXPECT_EQ(Check(option, expired_short_signature).reason, "permit2_deadline_expired");
  // BigInt() reads a hex nonce: so does the mock, and the signature covers its value.
  json::object hex_nonce = Signed(option, 0x1234);
  Auth(hex_nonce)["nonce"] = "0x1234";
  EXPECT_TRUE(Check(option, hex_nonce).valid) << Check(option, hex_nonce).message;
  // Hex the way viem reads it: "0x" in lower case.
  json::object upper_prefix = Signed(option);
  upper_prefix["signature"] = "0X" + std::string(upper_prefix["signature"].as_string()).substr(2);
  EXPECT_EQ(Check(option, upper_prefix).reason, "invalid_permit2_signature");
  json::object upper_spender = Signed(option);
  Auth(upper_spender)["spender"] = "0X" + std::string(Auth(upper_spender)["spender"].as_string()).substr(2);
  EXPECT_EQ(Check(option, upper_spender).reason, "invalid_permit2_spender");
}

// What Permit2 itself refuses, though viem's check passes: the reference's verify finds it by
// simulating (permit2_simulation_failed), exact's settle by the revert.
TEST_P(Permit2Test, WhatTheChainRefusesIsRefusedAsTheReferenceNamesIt) {
  const PaymentRequirements option = Option();
  PaymentCheck settling{kNow};
  settling.as_facilitator = true;
  settling.settling = true;
  auto both = [&](const PaymentRequirements& o, const json::object& payload) {
    SettlementState state;
    PaymentVerdict at_verify = Check(o, payload);
    EXPECT_TRUE(at_verify.valid) << at_verify.message;
    CheckOnChainState(state, PaywallConfig{}, kNow, &at_verify);
    PaymentVerdict at_settle = Check(o, payload, settling);
    Settle(state, PaywallConfig{}, kNow, &at_settle, Settler::kFacilitator);
    return std::make_pair(at_verify.reason, at_settle.reason);
  };
  // v = 0/1: viem recovers it, ecrecover does not.
  json::object v01 = Signed(option);
  std::string signature(v01["signature"].as_string());
  signature = signature.substr(0, 130) + (signature.substr(130) == "1b" ? "00" : "01");
  v01["signature"] = signature;
  auto [v_verify, v_settle] = both(option, v01);
  EXPECT_EQ(v_verify, "permit2_simulation_failed");
  EXPECT_EQ(v_settle, upto() ? "permit2_simulation_failed" : "invalid_permit2_signature");
  // payTo the zero address: the proxy's InvalidDestination.
  PaymentRequirements to_zero = option;
  to_zero.pay_to = "0x0000000000000000000000000000000000000000";
  to_zero.Freeze();
  auto [d_verify, d_settle] = both(to_zero, Permit2Payload(to_zero, upto(), 7, kNow + 300));
  EXPECT_EQ(d_verify, "permit2_simulation_failed");
  EXPECT_EQ(d_settle, upto() ? "permit2_simulation_failed" : "permit2_invalid_destination");
  // An ERC-6492 wrapper: Permit2 never unwraps it.
  json::object wrapped = Signed(option);
  wrapped["signature"] = "0x" + std::string(200, 'a') + "6492649264926492649264926492649264926492649264926492649264926492";
  EXPECT_EQ(Check(option, wrapped).reason, "invalid_permit2_signature");
}

TEST(Permit2RevertTest, AZeroAmountIsTheProxysInvalidAmount) {
  PaymentRequirements option = Offer(Spec("exact", "base-sepolia", "permit2"));
  option.amount = AtomicAmount{0};
  option.Freeze();
  PaymentCheck settling{kNow};
  settling.as_facilitator = true;
  settling.settling = true;
  SettlementState state;
  PaymentVerdict verdict = Check(option, Permit2Payload(option, false, 1, kNow + 300), settling);
  ASSERT_TRUE(verdict.valid) << verdict.message;
  Settle(state, PaywallConfig{}, kNow, &verdict, Settler::kFacilitator);
  EXPECT_EQ(verdict.reason, "permit2_invalid_amount");
}

TEST_P(Permit2Test, TheWitnessOfTheOtherSchemeIsRefused) {
  // An exact payload (no witness.facilitator) on an upto offer, and an upto payload (its
  // witness type has the facilitator) on an exact offer.
  const PaymentRequirements option = Option();
  json::object payload = Permit2Payload(option, !upto(), 7, kNow + 300);
  const PaymentVerdict verdict = Check(option, payload);
  EXPECT_FALSE(verdict.valid);
  EXPECT_EQ(verdict.reason, upto() ? "unsupported_payload_type" : "invalid_permit2_spender");
  // The right spender, signed over the other witness type: the signature does not check.
  Auth(payload)["spender"] = upto() ? evm::kUptoPermit2Proxy : evm::kExactPermit2Proxy;
  if (upto()) Auth(payload)["witness"].as_object()["facilitator"] = evm::kFacilitatorAddress;
  SignPermit2(payload, option, !upto());
  EXPECT_EQ(Check(option, payload).reason, "invalid_permit2_signature");
}

TEST_P(Permit2Test, ADeadlineBeyondTheMocksWindowIsRefusedAtSettle) {
  const PaymentRequirements option = Option();
  json::object payload = Permit2Payload(option, upto(), 7, int64_t{1} << 40);
  PaymentVerdict verdict = Check(option, payload);
  ASSERT_TRUE(verdict.valid);  // the reference takes any deadline; the mock cannot remember it that long
  verdict.charge = verdict.amount;
  SettlementState state;
  Settle(state, PaywallConfig{}, kNow, &verdict);
  EXPECT_EQ(verdict.reason, "unexpected_settle_error");  // the mock's own limit, not a reference reason
  EXPECT_TRUE(verdict.mock_limit);
  EXPECT_NE(verdict.message.find("maxTimeoutSeconds"), std::string::npos);
}

// Permit2 keeps one nonce bitmap per owner and chain: a used nonce is refused at verify as the
// reference's simulation words it, and at a facilitator's settle as its revert maps it.
TEST_P(Permit2Test, AReplayIsRefusedAsTheReferenceWordsIt) {
  const PaymentRequirements option = Option();
  SettlementState state;
  PaywallConfig config;
  PaymentVerdict first = Check(option, Signed(option));
  first.charge = first.amount;
  Settle(state, config, kNow, &first);
  ASSERT_TRUE(first.valid) << first.message;

  PaymentVerdict at_verify = Check(option, Signed(option));
  CheckOnChainState(state, config, kNow, &at_verify);
  EXPECT_EQ(at_verify.reason, "permit2_simulation_failed");
  PaymentVerdict at_paywall = Check(option, Signed(option));
  at_paywall.charge = at_paywall.amount;
  Settle(state, config, kNow, &at_paywall);
  EXPECT_EQ(at_paywall.reason, "permit2_simulation_failed");

  PaymentCheck settling{kNow};
  settling.as_facilitator = true;
  settling.settling = true;
  PaymentVerdict at_settle = Check(option, Signed(option), settling);
  ASSERT_TRUE(at_settle.valid) << at_settle.message;
  Settle(state, config, kNow, &at_settle, Settler::kFacilitator);
  EXPECT_EQ(at_settle.reason, upto() ? "permit2_simulation_failed" : "permit2_invalid_nonce");
}

TEST_P(Permit2Test, AMissingAllowanceIsRefusedUnlessAnEip2612PermitBringsIt) {
  const PaymentRequirements option = Option();
  PaywallConfig config;
  config.ledger.permit2_allowance_missing.insert(ToLowerAscii(AddressOf(TestKey(1))));
  SettlementState state;
  PaymentVerdict verdict = Check(option, Signed(option));
  verdict.charge = verdict.amount;
  Settle(state, config, kNow, &verdict);
  EXPECT_EQ(verdict.reason, "permit2_allowance_required");
  EXPECT_NE(verdict.message.find("eip2612GasSponsoring"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(ExactAndUpto, Permit2Test, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param) { return param.param ? "Upto" : "Exact"; });

TEST(Permit2NonceSpaceTest, ExactAndUptoShareOneNonceSpacePerOwnerAndChain) {
  const PaymentRequirements exact = Offer(Spec("exact", "base-sepolia", "permit2"));
  const PaymentRequirements upto = Offer(Spec("upto", "base-sepolia"));
  SettlementState state;
  PaywallConfig config;
  PaymentVerdict first = Check(exact, Permit2Payload(exact, false, 42, kNow + 300));
  Settle(state, config, kNow, &first);
  ASSERT_TRUE(first.valid);
  PaymentVerdict second = Check(upto, Permit2Payload(upto, true, 42, kNow + 300));
  ASSERT_TRUE(second.valid);
  second.charge = second.amount;
  Settle(state, config, kNow, &second);
  EXPECT_EQ(second.reason, "permit2_simulation_failed");
  // Another chain, or another owner, has its own.
  const PaymentRequirements base = Offer(Spec("upto", "base"));
  PaymentVerdict elsewhere = Check(base, Permit2Payload(base, true, 42, kNow + 300));
  elsewhere.charge = elsewhere.amount;
  Settle(state, config, kNow, &elsewhere);
  EXPECT_TRUE(elsewhere.valid) << elsewhere.message;
}

TEST(Permit2StrategyTest, APermit2PaymentOfAnEip3009OfferNeedsAnAllowanceThePayerDoesNotHave) {
  const PaymentRequirements eip3009 = Offer(Spec("exact", "base-sepolia"));
  ASSERT_EQ(TextField(eip3009.extra, "assetTransferMethod"), "");
  PaymentVerdict verdict = Check(eip3009, Permit2Payload(eip3009, false, 1, kNow + 300));
  ASSERT_TRUE(verdict.valid) << verdict.message;  // the reference's verifyPermit2 checks nothing that differs
  SettlementState state;
  CheckOnChainState(state, PaywallConfig{}, kNow, &verdict);
  EXPECT_EQ(verdict.reason, "permit2_allowance_required");
}

TEST(Permit2StrategyTest, AnEip3009PaymentOfATokenWithoutEip3009IsRefused) {
  // MegaUSD (eip155:4326) moves by Permit2 only; an EIP-3009 authorization of it cannot settle.
  const PaymentRequirements megausd = Offer(Spec("exact", "eip155:4326"));
  ASSERT_EQ(TextField(megausd.extra, "assetTransferMethod"), "permit2");
  EXPECT_EQ(TextField(megausd.extra, "name"), "MegaUSD");  // supports EIP-2612
  PaymentRequirements as_eip3009 = megausd;
  as_eip3009.extra.erase("assetTransferMethod");
  as_eip3009.Freeze();
  json::object payment = {{"payload",
                           {{"signature", ""},
                            {"authorization",
                             {{"from", AddressOf(TestKey(1))},
                              {"to", megausd.pay_to},
                              {"value", megausd.amount.units.ToDecimal()},
                              {"validAfter", "0"},
                              {"validBefore", std::to_string(kNow + 300)},
                              {"nonce", "0x" + std::string(64, '1')}}}}}};
  testing::SignPayment(payment, as_eip3009);
  const PaymentVerdict verdict = Check(as_eip3009, payment["payload"].as_object());
  EXPECT_EQ(verdict.reason, "invalid_exact_evm_eip3009_not_supported");
  // The same as a v1 payment (a v1 facilitator request may name any network).
  const json::object v1 = {{"x402Version", 1}, {"scheme", "exact"}, {"network", as_eip3009.network},
                           {"payload", payment["payload"]}};
  PaymentCheck facilitator{kNow};
  facilitator.as_facilitator = true;
  EXPECT_EQ(VerifyPaymentPayload(v1, 1, OneOption(as_eip3009), facilitator).reason,
            "invalid_exact_evm_eip3009_not_supported");
}

// One token offered both ways: a client tells them apart by extra.assetTransferMethod, which
// its `accepted` echoes, so they are two options, each paid by its own kind of payload.
TEST(Permit2OfferTest, OneTokenMayBeOfferedByEip3009AndThroughPermit2) {
  PaywallConfig config;
  config.accepts = {Spec("exact", "base-sepolia"), Spec("exact", "base-sepolia", "permit2")};
  Paywall paywall(config);
  const std::vector<PaymentRequirements> options = paywall.RequirementsFor("/r", "http://127.0.0.1:3402/r");
  ASSERT_EQ(options.size(), 2u);
  const json::object payment = Payment(options[1], Permit2Payload(options[1], false, 3, kNow + 300));
  const PaymentVerdict verdict = VerifyPaymentPayload(payment, 2, options, PaymentCheck{kNow});
  ASSERT_TRUE(verdict.valid) << verdict.message;
  EXPECT_EQ(verdict.option, &options[1]);
}

TEST(Permit2OfferTest, APermit2OnlyTokenWithoutEip2612OffersNoDomainAndAnEip3009ChoiceIsRefused) {
  const NetworkTable table;
  for (const NetworkInfo& network : table.all()) {
    for (const AssetInfo& asset : network.assets) {
      if (asset.transfer_method != "permit2") continue;
      SCOPED_TRACE(network.caip2 + " " + asset.symbol);
      OptionSpec spec = Spec("exact", network.caip2);
      spec.asset = asset.address;
      const PaymentRequirements option = Offer(spec);
      EXPECT_EQ(option.extra.contains("name"), asset.supports_eip2612);
      spec.asset_transfer_method = "eip3009";
      PaywallConfig config;
      config.accepts = {spec};
      ResolvedOffers offers;
      const Status s = ResolveOffers(config, table, SchemeRegistry::BuiltIn(), &offers);
      EXPECT_FALSE(s.ok());
      EXPECT_NE(s.message().find("no EIP-3009"), std::string::npos) << s.message();
    }
  }
}

TEST(UptoTest, IsNeverOfferedOrPaidInV1) {
  const PaymentRequirements option = Offer(Spec("upto", "base-sepolia"));
  EXPECT_EQ(RenderAcceptsV1(OneOption(option)), "[]");
  const json::object payment = {{"x402Version", 1}, {"scheme", "upto"}, {"network", "base-sepolia"},
                                {"payload", Permit2Payload(option, true, 1, kNow + 300)}};
  EXPECT_EQ(VerifyPaymentPayload(payment, 1, OneOption(option), PaymentCheck{kNow}).reason, "unsupported_scheme");
  PaymentRequirements read;
  std::string problem;
  EXPECT_FALSE(ParseRequirementsJson(RequirementsObjectV1(option), 1, NetworkTable(), SchemeRegistry::BuiltIn(),
                                     &read, &problem));
  EXPECT_NE(problem.find("v2 only"), std::string::npos) << problem;
}

// settleUptoPermit2(): the charge may be anything up to the maximum; 0 sends nothing.
TEST(UptoTest, SettlesTheChargeAtMostTheMaximumAndNothingForZero) {
  const PaymentRequirements option = Offer(Spec("upto", "base-sepolia"));
  PaywallConfig config;
  config.ledger.starting_balance = AtomicAmount{1'000'000};  // 1 USD
  SettlementState state;
  auto settle = [&](uint64_t nonce, std::string charge) {
    PaymentVerdict v = Check(option, Permit2Payload(option, true, nonce, kNow + 300));
    EXPECT_TRUE(v.valid);
    v.version = 2;
    v.charge = std::move(charge);
    Settle(state, config, kNow, &v);
    return v;
  };
  const PaymentVerdict part = settle(1, "2500");
  ASSERT_TRUE(part.valid) << part.message;
  const json::object answer = json::parse(RenderSettlement(part, option)).as_object();
  EXPECT_EQ(answer.at("amount"), "2500");
  EXPECT_FALSE(answer.at("transaction").as_string().empty());
  EXPECT_NE(state.ledger.RenderJson().find("\"balance\":\"0.9975\""), std::string::npos) << state.ledger.RenderJson();

  const PaymentVerdict zero = settle(2, "0");
  ASSERT_TRUE(zero.valid);
  const json::object zero_answer = json::parse(RenderSettlement(zero, option)).as_object();
  EXPECT_EQ(zero_answer.at("amount"), "0");
  EXPECT_EQ(zero_answer.at("transaction"), "");
  EXPECT_FALSE(state.used.Contains(zero.replay_key));  // nothing sent: the nonce stays unused

  const PaymentVerdict over = settle(3, "10001");
  EXPECT_EQ(over.reason, "invalid_upto_evm_payload_settlement_exceeds_amount");
  EXPECT_FALSE(state.used.Contains(over.replay_key));
}

TEST(UptoTest, AFacilitatorSettleChecksThePayloadAgainstItsOwnMaximum) {
  PaymentRequirements option = Offer(Spec("upto", "base-sepolia"));
  const json::object payload = Permit2Payload(option, true, 9, kNow + 300);
  PaymentRequirements settle_requirements = option;
  settle_requirements.amount = AtomicAmount{4000};  // the server's charge
  settle_requirements.Freeze();
  PaymentCheck check{kNow};
  check.as_facilitator = true;
  check.settling = true;
  const json::object payment = {{"x402Version", 2}, {"accepted", RequirementsObjectV2(option)}, {"payload", payload}};
  PaymentVerdict verdict = VerifyPaymentPayload(payment, 2, OneOption(settle_requirements), check);
  ASSERT_TRUE(verdict.valid) << verdict.reason << ": " << verdict.message;
  EXPECT_EQ(verdict.amount, "10000");
  EXPECT_EQ(verdict.charge, "4000");
  // At /verify the requirements' amount is the maximum, compared exactly.
  check.settling = false;
  EXPECT_EQ(VerifyPaymentPayload(payment, 2, OneOption(settle_requirements), check).reason, "permit2_amount_mismatch");
}

TEST(SettlementChargeTest, ReadsTheReferencesThreeForms) {
  const Uint256 max = 10'000;
  EXPECT_EQ(ResolveCharge("2500", max, 6), Uint256(2500));
  EXPECT_EQ(ResolveCharge("50%", max, 6), Uint256(5000));
  EXPECT_EQ(ResolveCharge("33.33%", max, 6), Uint256(3333));
  EXPECT_EQ(ResolveCharge("150%", max, 6), Uint256(15000));  // refused later, as the reference does
  EXPECT_EQ(ResolveCharge("$0.0025", max, 6), Uint256(2500));
  EXPECT_EQ(ResolveCharge("$0.0000001", max, 6), Uint256(0));  // cut to the asset's decimals
  EXPECT_EQ(ResolveCharge("$1", max, 18), Uint256::Pow10(18));
  std::string problem;
  for (const char* bad : {"", "-1", "1.5", "$", "$.5", "50.123%", "%", "abc", "1e3", " 5"}) {
    EXPECT_FALSE(IsChargeText(bad, &problem)) << bad;
    EXPECT_FALSE(ResolveCharge(bad, max, 6).has_value()) << bad;
  }
  EXPECT_EQ(ChargeFromOverridesHeader(R"({"amount":"50%"})", &problem), "50%");
  EXPECT_FALSE(ChargeFromOverridesHeader(R"({"amount":50})", &problem).has_value());
  EXPECT_FALSE(ChargeFromOverridesHeader("not json", &problem).has_value());
  EXPECT_NE(problem.find("Settlement-Overrides"), std::string::npos);
}

// The eip2612GasSponsoring extension: its field checks in validateEip2612PermitForPayment()'s
// order and reasons, then the signature the token would check.
class Eip2612Test : public ::testing::Test {
 protected:
  Eip2612Test() : option_(Offer(Spec("exact", "eip155:4326"))) {}  // MegaUSD: Permit2 + EIP-2612

  json::object Info(const Hash32& key = TestKey(1)) const {
    json::object message{{"owner", AddressOf(TestKey(1))},
                         {"spender", evm::kPermit2Address},
                         {"value", option_.amount.units.ToDecimal()},
                         {"nonce", "0"},
                         {"deadline", std::to_string(kNow + 300)}};
    const auto domain = DomainSeparator(TokenDomain("MegaUSD", "1", 4326, *ParseEvmAddress(option_.asset)));
    return {{"from", AddressOf(TestKey(1))}, {"asset", option_.asset}, {"spender", evm::kPermit2Address},
            {"amount", message.at("value")}, {"nonce", "0"}, {"deadline", message.at("deadline")},
            {"signature", testing::SignTypedData(domain, evm::Eip2612PermitTypes(), "Permit", message, key)},
            {"version", "1"}};
  }
  evm::Eip2612Check Run(const json::object& info) const {
    const json::object extensions{{"eip2612GasSponsoring", {{"info", info}}}};
    return evm::CheckEip2612GasSponsoring(&extensions, AddressOf(TestKey(1)), option_, option_.amount.units, kNow, true);
  }
  PaymentRequirements option_;
};

TEST_F(Eip2612Test, AValidPermitGrantsTheAllowance) {
  const evm::Eip2612Check check = Run(Info());
  EXPECT_TRUE(check.present);
  EXPECT_TRUE(check.reason.empty()) << check.reason;
  EXPECT_TRUE(check.grants_allowance) << check.message;

  // Through the whole payment: a payer without the allowance pays with it.
  PaywallConfig config;
  config.ledger.permit2_allowance_missing_for_all = true;
  json::object payment = Payment(option_, Permit2Payload(option_, false, 5, kNow + 300));
  payment["extensions"] = {{"eip2612GasSponsoring", {{"info", Info()}}}};
  PaymentVerdict verdict = VerifyPaymentPayload(payment, 2, OneOption(option_), PaymentCheck{kNow});
  ASSERT_TRUE(verdict.valid) << verdict.message;
  EXPECT_TRUE(verdict.allowance.brought);
  SettlementState state;
  Settle(state, config, kNow, &verdict);
  EXPECT_TRUE(verdict.valid) << verdict.message;
}

TEST_F(Eip2612Test, EachFieldCheckHasItsReason) {
  auto with = [&](std::string_view key, std::string_view value) {
    json::object info = Info();
    info[key] = value;
    return Run(info).reason;
  };
  EXPECT_EQ(with("amount", "-1"), "invalid_eip2612_extension_format");
  EXPECT_EQ(with("version", "v1"), "invalid_eip2612_extension_format");
  EXPECT_EQ(with("from", AddressOf(TestKey(3))), "eip2612_from_mismatch");
  EXPECT_EQ(with("asset", AddressOf(TestKey(3))), "eip2612_asset_mismatch");
  EXPECT_EQ(with("spender", evm::kExactPermit2Proxy), "eip2612_spender_not_permit2");
  EXPECT_EQ(with("deadline", std::to_string(kNow + 5)), "eip2612_deadline_expired");
  // A field left empty: the client did not fill the extension in, and it is ignored.
  EXPECT_FALSE(Run([&] { json::object i = Info(); i["nonce"] = ""; return i; }()).present);
}

// x402's proxy requires the permit's value to be the amount (Permit2612AmountMismatch), and a
// token's permit is used once: a second payment bringing it gets no approval from it.
TEST_F(Eip2612Test, APermitForAnotherAmountRevertsAndAUsedOneGrantsNothing) {
  json::object twice = Info();
  twice["amount"] = (option_.amount.units.CheckedMul(2))->ToDecimal();
  const evm::Eip2612Check check = Run(twice);
  EXPECT_TRUE(check.value_mismatch);
  EXPECT_FALSE(check.grants_allowance);
  PaymentCheck settling{kNow};
  settling.as_facilitator = true;
  settling.settling = true;
  json::object payment = Payment(option_, Permit2Payload(option_, false, 5, kNow + 300));
  payment["extensions"] = {{"eip2612GasSponsoring", {{"info", twice}}}};
  PaymentVerdict verdict = VerifyPaymentPayload(payment, 2, OneOption(option_), settling);
  ASSERT_TRUE(verdict.valid) << verdict.message;
  SettlementState state;
  Settle(state, PaywallConfig{}, kNow, &verdict, Settler::kFacilitator);
  EXPECT_EQ(verdict.reason, "permit2_2612_amount_mismatch");

  PaywallConfig no_allowance;
  no_allowance.ledger.permit2_allowance_missing_for_all = true;
  SettlementState chain;
  for (uint64_t nonce : {uint64_t{6}, uint64_t{7}}) {
    json::object with_permit = Payment(option_, Permit2Payload(option_, false, nonce, kNow + 300));
    with_permit["extensions"] = {{"eip2612GasSponsoring", {{"info", Info()}}}};
    PaymentVerdict v = VerifyPaymentPayload(with_permit, 2, OneOption(option_), PaymentCheck{kNow});
    ASSERT_TRUE(v.valid);
    Settle(chain, no_allowance, kNow, &v);
    if (nonce == 6) {
      EXPECT_TRUE(v.valid) << v.message;
    } else {
      EXPECT_EQ(v.reason, "permit2_allowance_required");  // the same permit, used already
      EXPECT_NE(v.message.find("used before"), std::string::npos) << v.message;
    }
  }
}

TEST(Eip2612TokenTest, ATokenWithoutPermitIgnoresIt) {
  // Igra USDC (eip155:38833) moves by Permit2 and has no EIP-2612 permit().
  OptionSpec spec = Spec("upto", "eip155:38833");
  const PaymentRequirements option = Offer(spec);
  const json::object extensions{{"eip2612GasSponsoring",
                                 {{"info",
                                   {{"from", AddressOf(TestKey(1))}, {"asset", option.asset},
                                    {"spender", evm::kPermit2Address}, {"amount", option.amount.units.ToDecimal()},
                                    {"nonce", "0"}, {"deadline", std::to_string(kNow + 300)},
                                    {"signature", "0x" + std::string(130, '1')}, {"version", "1"}}}}}};
  const evm::Eip2612Check check =
      evm::CheckEip2612GasSponsoring(&extensions, AddressOf(TestKey(1)), option, option.amount.units, kNow, true);
  EXPECT_TRUE(check.reason.empty());
  EXPECT_FALSE(check.grants_allowance);
  EXPECT_NE(check.message.find("no EIP-2612"), std::string::npos) << check.message;
}

TEST_F(Eip2612Test, APermitSignedByAnotherKeyGrantsNothing) {
  const evm::Eip2612Check check = Run(Info(TestKey(3)));
  EXPECT_TRUE(check.reason.empty());
  EXPECT_FALSE(check.grants_allowance);
  EXPECT_NE(check.message.find("not signed by"), std::string::npos) << check.message;
}

}  // namespace
}  // namespace x402
