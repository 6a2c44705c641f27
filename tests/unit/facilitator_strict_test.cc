// Issue 25, item 2: the mock facilitator never accepts what it cannot check. In strict mode
// /facilitator/verify and /settle used to skip the signature when the requirements they were
// given had no `extra` (no EIP-712 name/version) or an asset that is not an address, and
// answered isValid: true for a payment signed by anybody. Each case below signs with a key
// that is not authorization.from's.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "server/router.h"
#include "signed_payment.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1'800'000'000;
constexpr std::string_view kPayTo = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF";
constexpr std::string_view kBaseSepoliaUsdc = "0x036CbD53842c5426634e7929541eC2318f3dCF7e";

json::object Authorization() {
  return {{"from", testing::AddressOf(testing::TestKey(1))},
          {"to", kPayTo},
          {"value", "10000"},
          {"validAfter", "0"},
          {"validBefore", std::to_string(kNow + 120)},
          {"nonce", "0x" + std::string(64, '7')}};
}

// The domain a signer used: |name|/|version| of |asset| on base-sepolia.
PaymentRequirements SigningDomain(std::string_view asset, std::string name, std::string version) {
  PaymentRequirements offer;
  offer.caip2 = "eip155:84532";
  offer.asset = std::string(asset);
  offer.extra = {{"name", std::move(name)}, {"version", std::move(version)}};
  return offer;
}

class FacilitatorStrictTest : public ::testing::Test {
 protected:
  json::object Post(std::string_view action, const json::object& body) {
    Request req{http::verb::post, "/facilitator/" + std::string(action), 11};
    req.set(http::field::host, "127.0.0.1:3402");
    req.body() = json::serialize(body);
    req.prepare_payload();
    RequestContext ctx;
    ctx.paywall = &paywall_;
    ctx.now_unix = kNow;
    ctx.settlement = &settlement_;
    const RouteResult r = HandleRequest(req, ctx);
    EXPECT_EQ(r.response.result(), http::status::ok) << r.response.body();
    return json::parse(r.response.body()).as_object();
  }

  // A v1 verify body: the payment signed under |domain| by key |signer|, requirements as given.
  json::object V1Body(const json::object& requirements, const PaymentRequirements& domain,
                      uint8_t signer) {
    json::object payment = {{"x402Version", 1},
                            {"scheme", "exact"},
                            {"network", "base-sepolia"},
                            {"payload", {{"signature", ""}, {"authorization", Authorization()}}}};
    testing::SignPayment(payment, domain, testing::TestKey(signer));
    return {{"x402Version", 1}, {"paymentPayload", payment}, {"paymentRequirements", requirements}};
  }

  json::object V2Body(const json::object& requirements, const PaymentRequirements& domain,
                      uint8_t signer) {
    json::object payment = {{"x402Version", 2},
                            {"accepted", requirements},
                            {"payload", {{"signature", ""}, {"authorization", Authorization()}}}};
    testing::SignPayment(payment, domain, testing::TestKey(signer));
    return {{"x402Version", 2}, {"paymentPayload", payment}, {"paymentRequirements", requirements}};
  }

  Paywall paywall_{PaywallConfig{}};
  SettlementState settlement_;
};

json::object V1Requirements(std::string_view asset) {
  return {{"scheme", "exact"},         {"network", "base-sepolia"}, {"maxAmountRequired", "10000"},
          {"resource", "http://h/x"},  {"description", ""},         {"mimeType", ""},
          {"payTo", kPayTo},           {"maxTimeoutSeconds", 300},  {"asset", asset}};
}

json::object V2Requirements(std::string_view asset) {
  return {{"scheme", "exact"}, {"network", "eip155:84532"}, {"amount", "10000"},
          {"asset", asset},    {"payTo", kPayTo},           {"maxTimeoutSeconds", 300}};
}

// x402 1.2.0 fills in what `extra` lacks: the network's USDC name ("USDC" on base-sepolia) and
// the token's version() ("2"). The mock checks the signature against that domain.
TEST_F(FacilitatorStrictTest, V1WithoutExtraIsCheckedAgainstTheNetworksUsdcDomain) {
  const json::object requirements = V1Requirements(kBaseSepoliaUsdc);
  const PaymentRequirements usdc = SigningDomain(kBaseSepoliaUsdc, "USDC", "2");
  for (const char* action : {"verify", "settle"}) {
    const json::object forged = Post(action, V1Body(requirements, usdc, /*signer=*/3));
    const char* key = std::string_view(action) == "verify" ? "invalidReason" : "errorReason";
    EXPECT_EQ(forged.at(key), "invalid_exact_evm_payload_signature") << json::serialize(forged);
  }
  EXPECT_EQ(Post("verify", V1Body(requirements, usdc, /*signer=*/1)).at("isValid"), true);
  // Signed for another domain (the default-less client x402 1.2.0 makes signs name undefined):
  // refused, as the token contract would.
  EXPECT_EQ(Post("verify", V1Body(requirements, SigningDomain(kBaseSepoliaUsdc, "USD Coin", "2"), 1))
                .at("invalidReason"),
            "invalid_exact_evm_payload_signature");
}

TEST_F(FacilitatorStrictTest, V1WithAnAssetThatIsNotAnAddressIsRefused) {
  const json::object body =
      V1Body(V1Requirements("USDC"), SigningDomain(kBaseSepoliaUsdc, "USDC", "2"), /*signer=*/3);
  const json::object answer = Post("verify", body);
  EXPECT_EQ(answer.at("isValid"), false);
  EXPECT_EQ(answer.at("invalidReason"), "invalid_payment_requirements") << json::serialize(answer);
  EXPECT_EQ(Post("settle", body).at("success"), false);
}

// @x402/evm 2.27 verifyEIP3009() refuses requirements without the domain.
TEST_F(FacilitatorStrictTest, V2WithoutExtraIsRefusedForItsMissingDomain) {
  const json::object answer =
      Post("verify", V2Body(V2Requirements(kBaseSepoliaUsdc), SigningDomain(kBaseSepoliaUsdc, "USDC", "2"), 3));
  EXPECT_EQ(answer.at("invalidReason"), "invalid_exact_evm_missing_eip712_domain");
}

// An asset that is not the network's USDC: its domain is the one the requirements name, and a
// signature by another key fails against it.
TEST_F(FacilitatorStrictTest, V2WithAnOddAssetChecksTheSignatureUnderThatAssetsDomain) {
  constexpr std::string_view kOther = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  json::object requirements = V2Requirements(kOther);
  requirements["extra"] = {{"name", "Mock USD"}, {"version", "1"}};
  const PaymentRequirements domain = SigningDomain(kOther, "Mock USD", "1");
  EXPECT_EQ(Post("verify", V2Body(requirements, domain, 3)).at("invalidReason"), "invalid_exact_evm_signature");
  EXPECT_EQ(Post("verify", V2Body(requirements, domain, 1)).at("isValid"), true);

  json::object not_address = V2Requirements("USDC");
  not_address["extra"] = {{"name", "USDC"}, {"version", "2"}};
  EXPECT_EQ(Post("verify", V2Body(not_address, domain, 3)).at("invalidReason"), "invalid_payment_requirements");
}

}  // namespace
}  // namespace x402
