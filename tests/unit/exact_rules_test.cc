// Every row of the exact-scheme rule tables, for both versions and both verification modes:
// each row is broken on its own (and held just at its boundary) through the public entry
// points, so the reason, the order and the boundary are those of the reference. Strict mode
// checks the EIP-712 signature before the rules, so each payment is signed (by the key of
// kPayer) after its row changed it: the row then fails for its own rule, not for its signature.
#include "x402/evm/exact/eip3009_rules.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <ostream>

#include "base/base64.h"
#include "base/text.h"
#include "x402/payment.h"
#include "x402/paywall.h"
#include "signed_payment.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1'800'000'000;
constexpr const char* kPayer = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";

PaymentRequirements Offer() {
  return Paywall(PaywallConfig{}).RequirementsFor("/api/data", "http://127.0.0.1:3402/api/data").front();
}

json::object Payment(int version) {
  const PaymentRequirements offer = Offer();
  json::object auth = {{"from", kPayer},
                       {"to", offer.pay_to},
                       {"value", AtomicString(offer.amount)},
                       {"validAfter", std::to_string(kNow - 600)},
                       {"validBefore", std::to_string(kNow + 300)},
                       {"nonce", "0x" + std::string(64, 'a')}};
  json::object payload = {{"signature", "0x" + std::string(130, '1')}, {"authorization", auth}};
  if (version == 1) {
    return {{"x402Version", 1}, {"scheme", "exact"}, {"network", "base-sepolia"}, {"payload", payload}};
  }
  return {{"x402Version", 2},
          {"payload", payload},
          {"resource", {{"url", offer.resource}}},
          {"accepted", json::parse(RenderRequirementsV2(offer))}};
}

json::object& Auth(json::object& p) { return p["payload"].as_object()["authorization"].as_object(); }
json::object& Accepted(json::object& p) { return p["accepted"].as_object(); }

PaymentVerdict Check(const json::object& payment, int version, Verification verification,
                     bool as_facilitator = false) {
  const PaymentRequirements offer = Offer();
  return VerifyPaymentHeader(Base64Encode(json::serialize(payment)), version, OneOption(offer),
                             PaymentCheck{kNow, verification, as_facilitator});
}

struct RuleCase {
  const char* name;
  int version;
  Verification verification;
  bool as_facilitator;
  std::function<void(json::object&)> mutate;
  const char* reason;  // "" when the payment must be valid (a boundary that holds)
  // Sign the payment after |mutate|. Off for the rows about the signature itself, whose
  // |mutate| signs (or does not) on its own.
  bool sign = true;
};

// The row's name, so gtest (and the ctest names gtest_discover_tests makes from its listing)
// shows "V1Recipient" instead of the bytes of the struct.
void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.name; }

class ExactRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(ExactRuleTest, GivesTheReferenceReason) {
  const RuleCase& c = GetParam();
  json::object payment = Payment(c.version);
  c.mutate(payment);
  if (c.sign) testing::SignPayment(payment, Offer());
  const PaymentVerdict v = Check(payment, c.version, c.verification, c.as_facilitator);
  if (std::string(c.reason).empty()) {
    EXPECT_TRUE(v.valid) << v.reason << ": " << v.message;
  } else {
    EXPECT_FALSE(v.valid);
    EXPECT_EQ(v.reason, c.reason) << v.message;
    EXPECT_FALSE(v.message.empty());
    EXPECT_EQ(v.payer, kPayer);
  }
}

constexpr Verification kStrict = Verification::kStrict;
constexpr Verification kShape = Verification::kShape;

void SetTo(json::object& p) { Auth(p)["to"] = "0x000000000000000000000000000000000000dEaD"; }
void Value(json::object& p, const char* v) { Auth(p)["value"] = v; }  // the price is 50000
void Before(json::object& p, int64_t offset) { Auth(p)["validBefore"] = std::to_string(kNow + offset); }
void After(json::object& p, int64_t offset) { Auth(p)["validAfter"] = std::to_string(kNow + offset); }
void Unsigned(json::object&) {}  // keeps Payment()'s placeholder signature (65 bytes of 0x11)
void SignedByKey2(json::object& p) { testing::SignPayment(p, Offer(), testing::TestKey(2)); }
void SignedThenUnderpaid(json::object& p) {
  testing::SignPayment(p, Offer());
  Value(p, "49999");
}
constexpr bool kSignedByRow = false;

INSTANTIATE_TEST_SUITE_P(
    EveryRow, ExactRuleTest,
    ::testing::Values(
        // --- v1, strict: x402 1.2.0 verify() ---
        RuleCase{"V1Recipient", 1, kStrict, false, SetTo, "invalid_exact_evm_payload_recipient_mismatch"},
        RuleCase{"V1RecipientAnyCase", 1, kStrict, false,
                 [](json::object& p) { Auth(p)["to"] = ToLowerAscii(Offer().pay_to); }, ""},
        RuleCase{"V1ValidBeforeNowPlus5", 1, kStrict, false, [](json::object& p) { Before(p, 5); },
                 "invalid_exact_evm_payload_authorization_valid_before"},
        RuleCase{"V1ValidBeforeNowPlus6", 1, kStrict, false, [](json::object& p) { Before(p, 6); }, ""},
        RuleCase{"V1ValidBeforeNowPlus3", 1, kStrict, false, [](json::object& p) { Before(p, 3); },
                 "invalid_exact_evm_payload_authorization_valid_before"},
        RuleCase{"V1ValidAfterFuture", 1, kStrict, false, [](json::object& p) { After(p, 1); },
                 "invalid_exact_evm_payload_authorization_valid_after"},
        RuleCase{"V1ValidAfterNow", 1, kStrict, false, [](json::object& p) { After(p, 0); }, ""},
        RuleCase{"V1Underpaid", 1, kStrict, false, [](json::object& p) { Value(p, "49999"); },
                 "invalid_exact_evm_payload_authorization_value"},
        RuleCase{"V1Overpaid", 1, kStrict, false, [](json::object& p) { Value(p, "60000"); }, ""},
        // The reference's order: recipient before the time window before the value.
        RuleCase{"V1OrderRecipientFirst", 1, kStrict, false,
                 [](json::object& p) { SetTo(p); Before(p, 0); Value(p, "1"); },
                 "invalid_exact_evm_payload_recipient_mismatch"},
        RuleCase{"V1OrderValidBeforeThenAfter", 1, kStrict, false,
                 [](json::object& p) { Before(p, 0); After(p, 10); Value(p, "1"); },
                 "invalid_exact_evm_payload_authorization_valid_before"},
        RuleCase{"V1OrderValidAfterThenValue", 1, kStrict, false,
                 [](json::object& p) { After(p, 10); Value(p, "1"); },
                 "invalid_exact_evm_payload_authorization_valid_after"},
        RuleCase{"V1WrongScheme", 1, kStrict, false, [](json::object& p) { p["scheme"] = "upto"; },
                 "unsupported_scheme"},
        RuleCase{"V1WrongNetwork", 1, kStrict, false, [](json::object& p) { p["network"] = "base"; },
                 "invalid_network"},
        // The signature comes before every rule above (x402 1.2.0 verifies it first).
        RuleCase{"V1Unsigned", 1, kStrict, false, Unsigned, "invalid_exact_evm_payload_signature",
                 kSignedByRow},
        RuleCase{"V1SignedByAnotherKey", 1, kStrict, false, SignedByKey2,
                 "invalid_exact_evm_payload_signature", kSignedByRow},
        RuleCase{"V1SignedThenUnderpaid", 1, kStrict, false, SignedThenUnderpaid,
                 "invalid_exact_evm_payload_signature", kSignedByRow},
        // --- v2, strict: @x402/evm 2.27 verifyEIP3009() ---
        RuleCase{"V2Recipient", 2, kStrict, false, SetTo, "invalid_exact_evm_recipient_mismatch"},
        RuleCase{"V2ValidBeforeNowPlus5", 2, kStrict, false, [](json::object& p) { Before(p, 5); },
                 "invalid_exact_evm_payload_authorization_valid_before"},
        RuleCase{"V2ValidBeforeNowPlus6", 2, kStrict, false, [](json::object& p) { Before(p, 6); }, ""},
        RuleCase{"V2ValidAfterFuture", 2, kStrict, false, [](json::object& p) { After(p, 1); },
                 "invalid_exact_evm_payload_authorization_valid_after"},
        RuleCase{"V2Underpaid", 2, kStrict, false, [](json::object& p) { Value(p, "49999"); },
                 "invalid_exact_evm_payload_authorization_value_mismatch"},
        RuleCase{"V2Overpaid", 2, kStrict, false, [](json::object& p) { Value(p, "50001"); },
                 "invalid_exact_evm_payload_authorization_value_mismatch"},
        RuleCase{"V2OrderRecipientFirst", 2, kStrict, false,
                 [](json::object& p) { SetTo(p); Before(p, 0); Value(p, "1"); },
                 "invalid_exact_evm_recipient_mismatch"},
        RuleCase{"V2OrderWindowBeforeValue", 2, kStrict, false,
                 [](json::object& p) { After(p, 10); Value(p, "1"); },
                 "invalid_exact_evm_payload_authorization_valid_after"},
        // @x402/evm recovers the signer first too, and names it differently.
        RuleCase{"V2Unsigned", 2, kStrict, false, Unsigned, "invalid_exact_evm_signature", kSignedByRow},
        RuleCase{"V2SignedThenUnderpaid", 2, kStrict, false, SignedThenUnderpaid,
                 "invalid_exact_evm_signature", kSignedByRow},
        RuleCase{"V2FacilitatorUnsigned", 2, kStrict, true, Unsigned, "invalid_exact_evm_signature",
                 kSignedByRow},
        // The resource server: accepted must deep-equal the offer (@x402/core).
        RuleCase{"V2AcceptedAssetOtherCase", 2, kStrict, false,
                 [](json::object& p) { Accepted(p)["asset"] = ToLowerAscii(Offer().asset); },
                 "invalid_payment_requirements"},
        RuleCase{"V2AcceptedExtraField", 2, kStrict, false,
                 [](json::object& p) { Accepted(p)["resource"] = "http://x"; },
                 "invalid_payment_requirements"},
        RuleCase{"V2AcceptedExtraMayAddKeys", 2, kStrict, false,
                 [](json::object& p) { Accepted(p)["extra"].as_object()["more"] = 1; }, ""},
        RuleCase{"V2AcceptedOtherExtraVersion", 2, kStrict, false,
                 [](json::object& p) { Accepted(p)["extra"].as_object()["version"] = "1"; },
                 "invalid_payment_requirements"},
        RuleCase{"V2AcceptedOtherPayTo", 2, kStrict, false,
                 [](json::object& p) { Accepted(p)["payTo"] = "0x000000000000000000000000000000000000dEaD"; },
                 "invalid_payment_requirements"},
        // The facilitator compares only scheme and network of accepted (@x402/evm).
        RuleCase{"V2FacilitatorIgnoresAcceptedAmount", 2, kStrict, true,
                 [](json::object& p) { Accepted(p)["amount"] = "1"; }, ""},
        RuleCase{"V2FacilitatorScheme", 2, kStrict, true,
                 [](json::object& p) { Accepted(p)["scheme"] = "upto"; }, "invalid_exact_evm_scheme"},
        RuleCase{"V2FacilitatorNetwork", 2, kStrict, true,
                 [](json::object& p) { Accepted(p)["network"] = "eip155:8453"; },
                 "invalid_exact_evm_network_mismatch"},
        RuleCase{"V2FacilitatorValueMismatch", 2, kStrict, true,
                 [](json::object& p) { Value(p, "60000"); },
                 "invalid_exact_evm_payload_authorization_value_mismatch"},
        // --- shape: today's lenient rules, v1 reason names for both versions ---
        RuleCase{"ShapeV1ValidBeforeNowPlus1", 1, kShape, false, [](json::object& p) { Before(p, 1); }, ""},
        RuleCase{"ShapeV1ValidBeforeNow", 1, kShape, false, [](json::object& p) { Before(p, 0); },
                 "invalid_exact_evm_payload_authorization_valid_before"},
        RuleCase{"ShapeV2Overpaid", 2, kShape, false, [](json::object& p) { Value(p, "60000"); }, ""},
        RuleCase{"ShapeV2Underpaid", 2, kShape, false, [](json::object& p) { Value(p, "1"); },
                 "invalid_exact_evm_payload_authorization_value"},
        RuleCase{"ShapeV2Recipient", 2, kShape, false, SetTo,
                 "invalid_exact_evm_payload_recipient_mismatch"},
        RuleCase{"ShapeV2AcceptedAssetAnyCase", 2, kShape, false,
                 [](json::object& p) { Accepted(p)["asset"] = ToLowerAscii(Offer().asset); }, ""},
        RuleCase{"ShapeV1ValidAfterFuture", 1, kShape, false, [](json::object& p) { After(p, 1); },
                 "invalid_exact_evm_payload_authorization_valid_after"},
        // Shape mode does not check the signature (only that it is hex of at least 65 bytes).
        RuleCase{"ShapeV1Unsigned", 1, kShape, false, Unsigned, "", kSignedByRow},
        RuleCase{"ShapeV2SignedThenUnderpaid", 2, kShape, false, SignedThenUnderpaid,
                 "invalid_exact_evm_payload_authorization_value", kSignedByRow}),
    [](const ::testing::TestParamInfo<RuleCase>& param) { return std::string(param.param.name); });

TEST(ExactRulesTest, EveryRowNamesItsReferenceAndAReason) {
  for (RuleSet set : {RuleSet::kShape, RuleSet::kX402V1, RuleSet::kX402EvmV2}) {
    ASSERT_FALSE(ExactRules(set).empty());
    for (const ExactRule& rule : ExactRules(set)) {
      EXPECT_FALSE(rule.reason.empty()) << rule.name;
      EXPECT_FALSE(rule.source.empty()) << rule.name;
    }
  }
  EXPECT_NE(ExactRules(RuleSet::kX402V1)[0].source.find("x402 1.2.0"), std::string_view::npos);
  EXPECT_NE(ExactRules(RuleSet::kX402EvmV2)[0].source.find("@x402/evm 2.27.0"), std::string_view::npos);
  EXPECT_EQ(RuleSetFor(1, Verification::kStrict), RuleSet::kX402V1);
  EXPECT_EQ(RuleSetFor(2, Verification::kStrict), RuleSet::kX402EvmV2);
  EXPECT_EQ(RuleSetFor(2, Verification::kShape), RuleSet::kShape);
}

TEST(ExactRulesTest, ChainReasonsPerVersion) {
  EXPECT_EQ(UsedAuthorizationReason(1), "invalid_transaction_state");
  EXPECT_EQ(UsedAuthorizationReason(2), "invalid_exact_evm_nonce_already_used");
  EXPECT_EQ(InsufficientFundsReason(1), "insufficient_funds");
  EXPECT_EQ(InsufficientFundsReason(2), "invalid_exact_evm_insufficient_balance");
}

}  // namespace
}  // namespace x402

namespace x402 {
namespace {

// Issue 29, item 5: mock_server.v1_rules: x402-2 has a v1 payment meet @x402/evm 2.27's v1
// facilitator (ExactEvmSchemeV1._verify()): the value must equal maxAmountRequired (x402 1.2.0
// takes more), and the reasons are @x402/evm's.
TEST(V1RulesTest, X402TwoRefusesWhatX402OneTwoTakesWithTheV2Names) {
  auto check = [](json::object payment, V1Rules rules) {
    testing::SignPayment(payment, Offer());
    PaymentCheck c{kNow};
    c.v1_rules = rules;
    return VerifyPaymentHeader(Base64Encode(json::serialize(payment)), 1, OneOption(Offer()), c);
  };
  json::object overpaid = Payment(1);
  Value(overpaid, "50001");  // the price is 50000
  EXPECT_TRUE(check(overpaid, V1Rules::kX402_1_2).valid);
  const PaymentVerdict refused = check(overpaid, V1Rules::kX402_2);
  EXPECT_EQ(refused.reason, "invalid_exact_evm_authorization_value") << refused.message;
  json::object elsewhere = Payment(1);
  SetTo(elsewhere);
  EXPECT_EQ(check(elsewhere, V1Rules::kX402_1_2).reason, "invalid_exact_evm_payload_recipient_mismatch");
  EXPECT_EQ(check(elsewhere, V1Rules::kX402_2).reason, "invalid_exact_evm_recipient_mismatch");
  EXPECT_TRUE(check(Payment(1), V1Rules::kX402_2).valid);
  json::object soon = Payment(1);
  Before(soon, 5);  // validBefore < now + 6 s
  EXPECT_EQ(check(soon, V1Rules::kX402_2).reason, "invalid_exact_evm_payload_authorization_valid_before");
  json::object later = Payment(1);
  After(later, 1);
  EXPECT_EQ(check(later, V1Rules::kX402_2).reason, "invalid_exact_evm_payload_authorization_valid_after");

  // The signature's name, and the chain's.
  json::object by_key2 = Payment(1);
  testing::SignPayment(by_key2, Offer(), testing::TestKey(2));
  PaymentCheck c{kNow};
  c.v1_rules = V1Rules::kX402_2;
  const PaymentVerdict bad = VerifyPaymentHeader(Base64Encode(json::serialize(by_key2)), 1, OneOption(Offer()), c);
  EXPECT_EQ(bad.reason, "invalid_exact_evm_signature");
  EXPECT_EQ(Eip3009ChainReasons(1, V1Rules::kX402_2).used_at_verify, "invalid_exact_evm_nonce_already_used");
  // Its settle answers viem's raw revert text; the mock answers x402 1.2.0's name there.
  EXPECT_EQ(Eip3009ChainReasons(1, V1Rules::kX402_2).used_at_settle, "invalid_transaction_state");
  EXPECT_EQ(Eip3009ChainReasons(1, V1Rules::kX402_2).unfunded_at_verify, "invalid_exact_evm_insufficient_balance");
  EXPECT_EQ(Eip3009ChainReasons(1, V1Rules::kX402_1_2).used_at_settle, "invalid_transaction_state");
  EXPECT_EQ(RuleSetFor(1, Verification::kStrict, V1Rules::kX402_2), RuleSet::kX402EvmV1);
  EXPECT_NE(ExactRules(RuleSet::kX402EvmV1)[0].source.find("exact/v1/facilitator"), std::string_view::npos);
}

TEST(V1RulesTest, X402TwoWantsTheDomainInAFacilitatorsV1Requirements) {
  const NetworkTable networks;
  PaymentRequirements req;
  std::string problem;
  const json::value without_extra = json::parse(
      R"({"scheme":"exact","network":"base-sepolia","maxAmountRequired":"50000","resource":"http://h/r",)"
      R"("description":"","mimeType":"","payTo":"0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF","maxTimeoutSeconds":300,)"
      R"("asset":"0x036CbD53842c5426634e7929541eC2318f3dCF7e"})");
  ASSERT_TRUE(ParseRequirementsJson(without_extra, 1, networks, SchemeRegistry::BuiltIn(), &req, &problem)) << problem;
  EXPECT_TRUE(req.v1_domain_defaulted);
  json::object payment = Payment(1);
  testing::SignPayment(payment, Offer());
  PaymentCheck c{kNow};
  c.as_facilitator = true;
  EXPECT_TRUE(VerifyPaymentPayload(payment, 1, OneOption(req), c).valid);  // x402 1.2.0's defaults
  c.v1_rules = V1Rules::kX402_2;
  EXPECT_EQ(VerifyPaymentPayload(payment, 1, OneOption(req), c).reason, "invalid_exact_evm_missing_eip712_domain");

  // Its scheme and network refusals, in its order: a network it does not know before the
  // domain, the two networks compared after it.
  json::object other_scheme = payment;
  other_scheme["scheme"] = "upto";
  EXPECT_EQ(VerifyPaymentPayload(other_scheme, 1, OneOption(req), c).reason, "invalid_exact_evm_scheme");
  json::object unknown_network = payment;
  unknown_network["network"] = "solana-devnet";
  EXPECT_EQ(VerifyPaymentPayload(unknown_network, 1, OneOption(req), c).reason, "invalid_exact_evm_network_mismatch");
  json::object other_network = payment;
  other_network["network"] = "base";
  EXPECT_EQ(VerifyPaymentPayload(other_network, 1, OneOption(req), c).reason, "invalid_exact_evm_missing_eip712_domain");
  req.v1_domain_defaulted = false;
  EXPECT_EQ(VerifyPaymentPayload(other_network, 1, OneOption(req), c).reason, "invalid_exact_evm_network_mismatch");
  c.v1_rules = V1Rules::kX402_1_2;
  EXPECT_EQ(VerifyPaymentPayload(other_network, 1, OneOption(req), c).reason, "invalid_network");
}

}  // namespace
}  // namespace x402
