#include "x402/payment.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <ostream>

#include "base/base64.h"
#include "signed_payment.h"
#include "x402/evm/exact/eip3009_signature.h"
#include "x402/evm/evm_scheme.h"
#include "x402/evm/exact/exact_evm_scheme.h"
#include "x402/evm/hex_bytes.h"
#include "x402/paywall.h"
#include "x402/scheme.h"
#include "x402/settlement.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1'800'000'000;
constexpr const char* kPayer = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";  // test key 1

PaymentRequirements Offer() {
  return Paywall(PaywallConfig{}).RequirementsFor("/api/data", "http://127.0.0.1:3402/api/data").front();
}

json::object Authorization() {
  return {{"from", kPayer},
          {"to", "0x2b5ad5c4795c026514f8317c7a215e218dccd6cf"},  // any case is the same address
          {"value", "50000"},
          {"validAfter", std::to_string(kNow - 600)},
          {"validBefore", std::to_string(kNow + 300)},
          {"nonce", "0x" + std::string(64, 'a')}};
}

// Payments signed by kPayer's key, as a wallet would sign them.
json::object V1Payment() {
  json::object payment = {
      {"x402Version", 1},
      {"scheme", "exact"},
      {"network", "base-sepolia"},
      {"payload", {{"signature", "0x" + std::string(130, '1')}, {"authorization", Authorization()}}}};
  testing::SignPayment(payment, Offer());
  return payment;
}

json::object V2Payment() {
  const PaymentRequirements offer = Offer();
  json::object payment = {
      {"x402Version", 2},
      {"payload", {{"signature", "0x" + std::string(130, '1')}, {"authorization", Authorization()}}},
      {"resource", {{"url", offer.resource}}},
      {"accepted", json::parse(RenderRequirementsV2(offer))}};
  testing::SignPayment(payment, offer);
  return payment;
}

PaymentVerdict Verify(const json::object& payment, int version) {
  static const PaymentRequirements offer = Offer();  // outlives the verdict's option pointer
  return VerifyPaymentHeader(Base64Encode(json::serialize(payment)), version, offer, kNow);
}

TEST(PaymentTest, AcceptsAValidV1Payment) {
  const PaymentVerdict v = Verify(V1Payment(), 1);
  EXPECT_TRUE(v.valid) << v.reason << ": " << v.message;
  EXPECT_EQ(v.payer, kPayer);
  EXPECT_EQ(v.version, 1);
  EXPECT_EQ(v.Detail("nonce"), "0x" + std::string(64, 'a'));
  EXPECT_EQ(v.Detail("nonce"), "0x" + std::string(64, 'a'));
}

TEST(PaymentTest, AcceptsAValidV2Payment) {
  const PaymentVerdict v = Verify(V2Payment(), 2);
  EXPECT_TRUE(v.valid) << v.reason << ": " << v.message;
  EXPECT_EQ(v.version, 2);
}

TEST(PaymentTest, AcceptsOverpayment) {
  json::object p = V1Payment();
  p["payload"].as_object()["authorization"].as_object()["value"] = "60000";
  testing::SignPayment(p, Offer());
  EXPECT_TRUE(Verify(p, 1).valid);
}

json::object& Auth(json::object& p);

// Issue 25, item 8: the references read value, validAfter and validBefore with BigInt (uint256
// on chain). A signed value above 2^64 is an overpayment v1 accepts and v2 calls a mismatch,
// and a 19-digit validBefore is far in the future: neither is "not a number".
TEST(PaymentTest, AmountsAndTimesAreJudgedAsUint256) {
  json::object big = V1Payment();
  Auth(big)["value"] = "1180591620717411303424";  // 2^70
  testing::SignPayment(big, Offer());
  const PaymentVerdict v1 = Verify(big, 1);
  EXPECT_TRUE(v1.valid) << v1.reason << ": " << v1.message;
  EXPECT_EQ(v1.amount, "1180591620717411303424");

  json::object big2 = V2Payment();
  Auth(big2)["value"] = "1180591620717411303424";
  testing::SignPayment(big2, Offer());
  EXPECT_EQ(Verify(big2, 2).reason, "invalid_exact_evm_payload_authorization_value_mismatch");

  json::object later = V1Payment();
  Auth(later)["validBefore"] = "9999999999999999999";  // 19 digits, past INT64_MAX
  testing::SignPayment(later, Offer());
  const PaymentVerdict far = Verify(later, 1);
  EXPECT_TRUE(far.valid) << far.reason << ": " << far.message;  // the rules accept it…
  EXPECT_EQ(far.valid_before, INT64_MAX);                        // …and the window check sees it

  json::object not_yet = V1Payment();
  Auth(not_yet)["validAfter"] = "99999999999999999999";
  testing::SignPayment(not_yet, Offer());
  EXPECT_EQ(Verify(not_yet, 1).reason, "invalid_exact_evm_payload_authorization_valid_after");

  json::object over = V1Payment();
  Auth(over)["value"] = std::string(79, '9');  // above 2^256 - 1: not a uint256
  EXPECT_EQ(Verify(over, 1).reason, "invalid_payload");
}

struct Rejection {
  const char* name;
  int version;
  std::function<void(json::object&)> mutate;
  const char* reason;
  const char* message_part;
  // Signed again after |mutate|, so the field rule speaks rather than the signature check.
  bool resign = true;
};

// The row's name in gtest's output instead of the bytes of the struct.
void PrintTo(const Rejection& r, std::ostream* os) { *os << r.name; }

json::object& Auth(json::object& p) { return p["payload"].as_object()["authorization"].as_object(); }

class PaymentRejectionTest : public ::testing::TestWithParam<Rejection> {};

TEST_P(PaymentRejectionTest, NamesTheReason) {
  const Rejection& r = GetParam();
  json::object payment = r.version == 1 ? V1Payment() : V2Payment();
  r.mutate(payment);
  if (r.resign) testing::SignPayment(payment, Offer());
  const PaymentVerdict v = Verify(payment, r.version);
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.reason, r.reason) << v.message;
  EXPECT_NE(v.message.find(r.message_part), std::string::npos) << v.message;
}

INSTANTIATE_TEST_SUITE_P(
    EveryReason, PaymentRejectionTest,
    ::testing::Values(
        Rejection{"WrongVersion", 1, [](json::object& p) { p["x402Version"] = 2; },
                  "invalid_x402_version", "x402Version must be 1"},
        Rejection{"StringVersion", 1, [](json::object& p) { p["x402Version"] = "1"; },
                  "invalid_x402_version", "x402Version"},
        Rejection{"WrongScheme", 1, [](json::object& p) { p["scheme"] = "upto"; },
                  "unsupported_scheme", "exact"},
        Rejection{"WrongNetwork", 1, [](json::object& p) { p["network"] = "base"; },
                  "invalid_network", "got 'base'"},
        Rejection{"WrongRecipient", 1,
                  [](json::object& p) { Auth(p)["to"] = "0x000000000000000000000000000000000000dEaD"; },
                  "invalid_exact_evm_payload_recipient_mismatch", "is not payTo"},
        Rejection{"Underpaid", 1, [](json::object& p) { Auth(p)["value"] = "49999"; },
                  "invalid_exact_evm_payload_authorization_value", "less than the price 50000"},
        Rejection{"NotYetValid", 1,
                  [](json::object& p) { Auth(p)["validAfter"] = std::to_string(kNow + 10); },
                  "invalid_exact_evm_payload_authorization_valid_after", "not valid yet"},
        Rejection{"Expired", 1, [](json::object& p) { Auth(p)["validBefore"] = std::to_string(kNow); },
                  "invalid_exact_evm_payload_authorization_valid_before", "expired"},
        Rejection{"ShortNonce", 1, [](json::object& p) { Auth(p)["nonce"] = "0x1234"; },
                  "invalid_payload", "nonce"},
        Rejection{"BadFrom", 1, [](json::object& p) { Auth(p)["from"] = "0xnothex"; },
                  "invalid_payload", "authorization.from"},
        Rejection{"NumericValue", 1, [](json::object& p) { Auth(p)["value"] = 50000; },
                  "invalid_payload", "authorization.value"},
        Rejection{"ShortSignature", 1,
                  [](json::object& p) { p["payload"].as_object()["signature"] = "0xabcd"; },
                  "invalid_exact_evm_payload_signature", "signature", /*resign=*/false},
        Rejection{"NoAuthorization", 1,
                  [](json::object& p) { p["payload"].as_object().erase("authorization"); },
                  "invalid_payload", "authorization is missing"},
        Rejection{"NoPayload", 1, [](json::object& p) { p.erase("payload"); }, "invalid_payload",
                  "payload is missing"},
        Rejection{"V2WithoutAccepted", 2, [](json::object& p) { p.erase("accepted"); },
                  "invalid_payload", "accepted"},
        Rejection{"V2OtherAmount", 2,
                  [](json::object& p) { p["accepted"].as_object()["amount"] = "1"; },
                  "invalid_payment_requirements", "accepted.amount"},
        Rejection{"V2OtherAsset", 2,
                  [](json::object& p) {
                    p["accepted"].as_object()["asset"] = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
                  },
                  "invalid_payment_requirements", "accepted.asset"},
        Rejection{"V2V1NetworkName", 2,
                  [](json::object& p) { p["accepted"].as_object()["network"] = "base-sepolia"; },
                  "invalid_payment_requirements", "eip155:84532"},
        Rejection{"V2OtherTimeout", 2,
                  [](json::object& p) { p["accepted"].as_object()["maxTimeoutSeconds"] = 60; },
                  "invalid_payment_requirements", "maxTimeoutSeconds"},
        Rejection{"V2MissingExtra", 2, [](json::object& p) { p["accepted"].as_object().erase("extra"); },
                  "invalid_payment_requirements", "extra"}),
    [](const ::testing::TestParamInfo<Rejection>& param) { return std::string(param.param.name); });

// --- the signature (evm/exact/eip3009_signature.h; the vectors against viem are in eip712_test.cc) ---

json::object& Payload(json::object& p) { return p["payload"].as_object(); }

TEST(PaymentSignatureStepTest, ReportsTheRecoveredSigner) {
  const PaymentVerdict v = Verify(V1Payment(), 1);
  ASSERT_TRUE(v.valid) << v.message;
  EXPECT_EQ(v.Detail("signature"), "ecdsa");
  EXPECT_EQ(v.Detail("recovered"), kPayer);
}

// A payment altered after signing is refused for its signature, whichever field was altered,
// as x402 1.2.0 (v1) and @x402/evm 2.27 (v2) refuse it: they check the signature first.
TEST(PaymentSignatureStepTest, RefusesPaymentsAlteredAfterSigning) {
  const std::vector<std::pair<const char*, std::function<void(json::object&)>>> tamperings = {
      {"value", [](json::object& p) { Auth(p)["value"] = "50001"; }},
      {"to", [](json::object& p) { Auth(p)["to"] = "0x000000000000000000000000000000000000dEaD"; }},
      {"from", [](json::object& p) { Auth(p)["from"] = testing::AddressOf(testing::TestKey(9)); }},
      {"validBefore", [](json::object& p) { Auth(p)["validBefore"] = std::to_string(kNow + 301); }},
      {"nonce", [](json::object& p) { Auth(p)["nonce"] = "0x" + std::string(64, 'b'); }},
      {"wrong key", [](json::object& p) { testing::SignPayment(p, Offer(), testing::TestKey(7)); }},
  };
  for (int version : {1, 2}) {
    for (const auto& [field, tamper] : tamperings) {
      SCOPED_TRACE(std::string(field) + " v" + std::to_string(version));
      json::object payment = version == 1 ? V1Payment() : V2Payment();
      tamper(payment);
      const PaymentVerdict v = Verify(payment, version);
      EXPECT_FALSE(v.valid);
      EXPECT_EQ(v.reason, version == 1 ? "invalid_exact_evm_payload_signature"
                                       : "invalid_exact_evm_signature");
      const std::string claimed(Auth(payment)["from"].as_string());
      EXPECT_EQ(v.payer, claimed);
      const std::string recovered = v.Detail("recovered");
      ASSERT_FALSE(recovered.empty());
      EXPECT_NE(recovered, claimed);
      // The message names both: who signed, and who the payment claims signed.
      EXPECT_NE(v.message.find(recovered), std::string::npos) << v.message;
      EXPECT_NE(v.message.find(claimed), std::string::npos) << v.message;
    }
  }
}

TEST(PaymentSignatureStepTest, RecoversTheKeyThatSignedWhenItIsNotThePayer) {
  json::object payment = V1Payment();
  testing::SignPayment(payment, Offer(), testing::TestKey(7));
  EXPECT_EQ(Verify(payment, 1).Detail("recovered"), testing::AddressOf(testing::TestKey(7)));
}

// A client that signs with another token's EIP-712 domain (base-sepolia USDC is "USDC", not
// mainnet's "USD Coin") is refused with the reference's reason, and told which domain it used.
TEST(PaymentSignatureStepTest, NamesTheDomainAPaymentWasSignedForWhenItIsNotTheAsset) {
  for (int version : {1, 2}) {
    json::object payment = version == 1 ? V1Payment() : V2Payment();
    PaymentRequirements wrong_domain = Offer();
    wrong_domain.extra = {{"name", "USD Coin"}, {"version", "2"}};
    wrong_domain.prepared.reset();
    testing::SignPayment(payment, wrong_domain);
    const PaymentVerdict v = Verify(payment, version);
    EXPECT_FALSE(v.valid);
    EXPECT_EQ(v.reason, version == 1 ? "invalid_exact_evm_payload_signature" : "invalid_exact_evm_signature");
    EXPECT_NE(v.message.find("signed for domain 'USD Coin' version '2'"), std::string::npos) << v.message;
    EXPECT_NE(v.message.find("the asset's domain is 'USDC' version '2'"), std::string::npos) << v.message;
  }
  // Signed by another key under the right domain: no domain is named, the signer is.
  json::object other_key = V2Payment();
  testing::SignPayment(other_key, Offer(), testing::TestKey(7));
  const PaymentVerdict v = Verify(other_key, 2);
  EXPECT_EQ(v.message.find("signed for domain"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find(testing::AddressOf(testing::TestKey(7))), std::string::npos) << v.message;
}

TEST(PaymentSignatureStepTest, AcceptsVAsZeroOrOneLikeViem) {
  json::object payment = V2Payment();
  std::string signature(Payload(payment)["signature"].as_string());
  const std::string v = signature.substr(130);
  signature.replace(130, 2, v == "1b" ? "00" : "01");
  Payload(payment)["signature"] = signature;
  const PaymentVerdict verdict = Verify(payment, 2);
  EXPECT_TRUE(verdict.valid) << verdict.message;
  EXPECT_EQ(verdict.Detail("recovered"), kPayer);
}

TEST(PaymentSignatureStepTest, SmartWalletSignaturesAreAcceptedUnverifiedOrRefused) {
  const std::string erc1271 = "0x" + std::string(300, 'c');
  const std::string erc6492 =
      "0x" + std::string(320, 'd') + "6492649264926492649264926492649264926492649264926492649264926492";
  for (const std::string& signature : {erc1271, erc6492}) {
    json::object payment = V2Payment();
    Payload(payment)["signature"] = signature;
    const PaymentVerdict accepted = Verify(payment, 2);
    EXPECT_TRUE(accepted.valid) << accepted.message;
    const std::string kind = signature == erc1271 ? "erc1271" : "erc6492";
    EXPECT_EQ(accepted.Detail("signature"), kind);
    EXPECT_EQ(accepted.unchecked, kind + " smart-wallet signature, not verified offline");
    EXPECT_TRUE(accepted.Detail("recovered").empty());

    PaymentCheck refuse{kNow};
    refuse.smart_wallets = SmartWalletPolicy::kRefuse;
    const PaymentVerdict refused =
        VerifyPaymentHeader(Base64Encode(json::serialize(payment)), 2, OneOption(Offer()), refuse);
    EXPECT_FALSE(refused.valid);
    EXPECT_EQ(refused.reason, "invalid_exact_evm_signature");
    EXPECT_NE(refused.message.find("smart_wallet_signatures"), std::string::npos) << refused.message;
  }
}

TEST(PaymentSignatureStepTest, AFacilitatorOfferWithoutAPrecomputedDomainChecksTheSame) {
  PaymentRequirements offer = Offer();
  ASSERT_NE(dynamic_cast<const Eip3009Domain*>(offer.prepared.get()), nullptr);
  offer.prepared.reset();
  json::object payment = V1Payment();
  EXPECT_TRUE(VerifyPaymentPayload(payment, 1, OneOption(offer), PaymentCheck{kNow}).valid);
  Auth(payment)["value"] = "50001";
  EXPECT_EQ(VerifyPaymentPayload(payment, 1, OneOption(offer), PaymentCheck{kNow}).reason,
            "invalid_exact_evm_payload_signature");
}

TEST(PaymentTest, RejectsUndecodableHeaders) {
  const PaymentRequirements offer = Offer();
  EXPECT_EQ(VerifyPaymentHeader("not base64!", 1, offer, kNow).reason, "invalid_payload");
  EXPECT_EQ(VerifyPaymentHeader(Base64Encode("{not json"), 1, offer, kNow).reason, "invalid_payload");
  EXPECT_EQ(VerifyPaymentHeader(Base64Encode("[1,2]"), 1, offer, kNow).reason, "invalid_payload");
  EXPECT_EQ(VerifyPaymentHeader("", 2, offer, kNow).reason, "invalid_payload");
  EXPECT_NE(VerifyPaymentHeader("@@@@", 2, offer, kNow).message.find("PAYMENT-SIGNATURE"),
            std::string::npos);
}

TEST(SettlementTest, RendersV1AndV2SettleResponses) {
  PaymentVerdict v = Verify(V1Payment(), 1);
  const json::object v1 = json::parse(RenderSettlement(v, Offer())).as_object();
  EXPECT_EQ(v1.at("success"), true);
  EXPECT_EQ(v1.at("network"), "base-sepolia");
  EXPECT_EQ(v1.at("payer"), json::value(kPayer));
  EXPECT_FALSE(v1.contains("amount"));
  EXPECT_EQ(v1.at("transaction"), json::value(evm::SimulatedTransactionHash(v.replay_key)));

  v = Verify(V2Payment(), 2);
  const json::object v2 = json::parse(RenderSettlement(v, Offer())).as_object();
  EXPECT_EQ(v2.at("network"), "eip155:84532");
  EXPECT_EQ(v2.at("amount"), "50000");

  const json::object failed = json::parse(RenderFailedSettlement(v, Offer(), "why")).as_object();
  EXPECT_EQ(failed.at("success"), false);
  EXPECT_EQ(failed.at("errorReason"), "why");
  EXPECT_EQ(failed.at("transaction"), "");
}

// One hash per authorization: the same nonce from another payer, or on another token or
// chain, is another transaction.
TEST(SettlementTest, TransactionHashIsDeterministicPerAuthorization) {
  const std::string nonce = "0x" + std::string(64, 'a');
  const auto key = [&](std::string_view network, std::string_view asset, std::string_view from, std::string_view n) {
    return evm::SimulatedTransactionHash(UsedAuthorizations::DigestOf(network, asset, from, n));
  };
  const std::string a = key("eip155:84532", "0x036CbD53842c5426634e7929541eC2318f3dCF7e", kPayer, nonce);
  EXPECT_EQ(a, key("eip155:84532", "0x036cbd53842c5426634e7929541ec2318f3dcf7e", kPayer, nonce));
  EXPECT_NE(a, key("eip155:84532", "0x036CbD53842c5426634e7929541eC2318f3dCF7e", kPayer, "0x" + std::string(64, 'b')));
  EXPECT_NE(a, key("eip155:137", "0x036CbD53842c5426634e7929541eC2318f3dCF7e", kPayer, nonce));
  EXPECT_NE(a, key("eip155:84532", "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359", kPayer, nonce));
  EXPECT_NE(a, key("eip155:84532", "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
                   "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF", nonce));
  EXPECT_EQ(a.substr(0, 2), "0x");
  EXPECT_TRUE(IsPrefixedHex(a, 64));
}

TEST(RequirementsJsonTest, ReadsWhatServerMiddlewareSendsTheFacilitator) {
  const NetworkTable networks;
  const SchemeRegistry& schemes = SchemeRegistry::BuiltIn();
  PaymentRequirements req;
  std::string problem;
  ASSERT_TRUE(ParseRequirementsJson(json::parse(RenderRequirementsV1(Offer())), 1, networks, schemes, &req, &problem))
      << problem;
  EXPECT_EQ(req.amount.units, 50'000u);
  EXPECT_EQ(req.caip2, "eip155:84532");
  ASSERT_TRUE(ParseRequirementsJson(json::parse(RenderRequirementsV2(Offer())), 2, networks, schemes, &req, &problem))
      << problem;
  EXPECT_EQ(req.network, "base-sepolia");
  EXPECT_FALSE(ParseRequirementsJson(json::parse(R"({"scheme":"exact"})"), 1, networks, schemes, &req, &problem));
  EXPECT_NE(problem.find("network"), std::string::npos);
  // Each version names networks its own way; one is not taken for the other.
  json::object v2_named_v1 = json::parse(RenderRequirementsV2(Offer())).as_object();
  v2_named_v1["network"] = "base-sepolia";
  EXPECT_FALSE(ParseRequirementsJson(v2_named_v1, 2, networks, schemes, &req, &problem));
  EXPECT_NE(problem.find("CAIP-2"), std::string::npos) << problem;
  json::object v1_named_v2 = json::parse(RenderRequirementsV1(Offer())).as_object();
  v1_named_v2["network"] = "eip155:84532";
  EXPECT_FALSE(ParseRequirementsJson(v1_named_v2, 1, networks, schemes, &req, &problem));
  // Another network of the table, and its second token (Celo's USDT): its decimals and symbol.
  json::object celo = json::parse(RenderRequirementsV2(Offer())).as_object();
  celo["network"] = "eip155:42220";
  celo["asset"] = "0x48065fbBE25f71C9282ddf5e1cD6D6A887483D5e";
  ASSERT_TRUE(ParseRequirementsJson(celo, 2, networks, schemes, &req, &problem)) << problem;
  EXPECT_EQ(req.asset_symbol, "USDT");
  EXPECT_TRUE(req.asset_in_table);
  celo["asset"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3";  // a token the table lacks
  ASSERT_TRUE(ParseRequirementsJson(celo, 2, networks, schemes, &req, &problem)) << problem;
  EXPECT_FALSE(req.asset_in_table);
}

}  // namespace
}  // namespace x402
