#include "x402/requirements.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/base64.h"
#include "x402/paywall.h"

namespace x402 {
namespace {

namespace json = boost::json;

PaymentRequirements Sample() {
  Paywall paywall{PaywallConfig{}};
  return paywall.RequirementsFor("/api/data", "http://127.0.0.1:3402/api/data").front();
}

TEST(RequirementsTest, V1MatchesWhatX402FetchValidates) {
  const json::object v1 = json::parse(RenderRequirementsV1(Sample())).as_object();
  EXPECT_EQ(v1.at("scheme"), "exact");
  EXPECT_EQ(v1.at("network"), "base-sepolia");
  EXPECT_EQ(v1.at("maxAmountRequired"), "50000");  // 0.05 USD in USDC atomic units
  EXPECT_EQ(v1.at("resource"), "http://127.0.0.1:3402/api/data");
  EXPECT_TRUE(v1.at("description").is_string());
  EXPECT_EQ(v1.at("mimeType"), "application/json");
  EXPECT_EQ(v1.at("payTo"), "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF");
  EXPECT_TRUE(v1.at("maxTimeoutSeconds").is_int64());  // a number, never a string
  EXPECT_EQ(v1.at("asset"), "0x036CbD53842c5426634e7929541eC2318f3dCF7e");
  EXPECT_EQ(v1.at("extra"), (json::object{{"name", "USDC"}, {"version", "2"}}));
}

TEST(RequirementsTest, V2UsesCaip2AndAmount) {
  const json::object v2 = json::parse(RenderRequirementsV2(Sample())).as_object();
  EXPECT_EQ(v2.at("network"), "eip155:84532");
  EXPECT_EQ(v2.at("amount"), "50000");
  EXPECT_FALSE(v2.contains("maxAmountRequired"));
  EXPECT_FALSE(v2.contains("resource"));
  EXPECT_EQ(v2.at("maxTimeoutSeconds"), 300);
}

TEST(RequirementsTest, PaymentRequiredCarriesBothVersions) {
  const PaymentRequirements req = Sample();
  const json::object v1 = json::parse(RenderPaymentRequiredV1(OneOption(req), "X-PAYMENT header is required")).as_object();
  EXPECT_EQ(v1.at("x402Version"), 1);
  EXPECT_EQ(v1.at("accepts").as_array().size(), 1u);
  EXPECT_FALSE(v1.contains("errorMessage"));

  const json::object v2 = json::parse(RenderPaymentRequiredV2(OneOption(req), "Payment required", "why")).as_object();
  EXPECT_EQ(v2.at("x402Version"), 2);
  EXPECT_EQ(v2.at("resource").as_object().at("url"), "http://127.0.0.1:3402/api/data");
  EXPECT_EQ(v2.at("errorMessage"), "why");
}

// The paid path compares a payment's `accepted` with this object instead of parsing the
// rendered offer; both must say the same.
TEST(RequirementsTest, TheV2ObjectIsTheRenderedV2Offer) {
  PaymentRequirements req = Sample();
  ASSERT_NE(req.v2_object, nullptr);  // the paywall's options come frozen
  EXPECT_EQ(json::value(*req.v2_object), json::parse(RenderRequirementsV2(req)));
  EXPECT_EQ(json::value(RequirementsObjectV2(req)), json::parse(RenderRequirementsV2(req)));
  req.extra["name"] = "Tether \"USD\"";
  req.max_timeout_seconds = 7;
  req.Freeze();
  EXPECT_EQ(json::value(*req.v2_object), json::parse(RenderRequirementsV2(req)));
  EXPECT_EQ(json::value(RequirementsObjectV2(req)), json::parse(RenderRequirementsV2(req)));
}

// v1 payments name only scheme and network: v1 offers list one option per pair (the first),
// the networks x402 1.2.0 knows only; v2 lists every option.
TEST(RequirementsTest, V1OffersListOneOptionPerSchemeAndNetworkItCanName) {
  PaywallConfig config;
  OptionSpec usdc, token, arbitrum, polygon;
  usdc.network = "base-sepolia";
  token.network = "base-sepolia";
  token.declared_asset = AssetInfo{"0x5FbDB2315678afecb367f032d93F642f64180aa3", "mUSD", 18, "Mock USD", "1",
                                   "eip3009", false, true, ""};
  token.asset = token.declared_asset->address;
  arbitrum.network = "eip155:42161";  // no v1 name in x402 1.2.0
  polygon.network = "polygon";
  config.accepts = {usdc, token, arbitrum, polygon};
  const auto options = Paywall(config).RequirementsFor("/x", "http://127.0.0.1:3402/x");
  ASSERT_EQ(options.size(), 4u);
  const json::array v1 = json::parse(RenderAcceptsV1(options)).as_array();
  ASSERT_EQ(v1.size(), 2u);
  EXPECT_EQ(v1[0].at("asset"), "0x036CbD53842c5426634e7929541eC2318f3dCF7e");
  EXPECT_EQ(v1[1].at("network"), "polygon");
  EXPECT_EQ(json::parse(RenderAcceptsV2(options)).as_array().size(), 4u);
}

TEST(RequirementsTest, RenderingIsByteStable) {
  // The v2 client echoes the offer back and servers compare it exactly.
  EXPECT_EQ(RenderPaymentRequiredV2(OneOption(Sample()), "e"), RenderPaymentRequiredV2(OneOption(Sample()), "e"));
  EXPECT_EQ(RenderRequirementsV1(Sample()), RenderRequirementsV1(Sample()));
}

TEST(RequirementsTest, MatchesTheProtocolReferenceHeaderByteForByte) {
  // docs/protocol.md §4: the v2 header a mock must send for 0.001 USDC at /api/data.
  PaymentRequirements req = Sample();
  req.amount = AtomicAmount{1000};
  req.description = "";
  req.max_timeout_seconds = 300;
  req.Freeze();
  EXPECT_EQ(Base64Encode(RenderPaymentRequiredV2(OneOption(req), "Payment required")),
            "eyJ4NDAyVmVyc2lvbiI6MiwiZXJyb3IiOiJQYXltZW50IHJlcXVpcmVkIiwicmVzb3VyY2UiOnsidXJsIjoiaHR0cDovLzEyNy4wLjAuMTozNDAyL2FwaS9kYXRhIiwiZGVzY3JpcHRpb24iOiIiLCJtaW1lVHlwZSI6ImFwcGxpY2F0aW9uL2pzb24ifSwiYWNjZXB0cyI6W3sic2NoZW1lIjoiZXhhY3QiLCJuZXR3b3JrIjoiZWlwMTU1Ojg0NTMyIiwiYW1vdW50IjoiMTAwMCIsImFzc2V0IjoiMHgwMzZDYkQ1Mzg0MmM1NDI2NjM0ZTc5Mjk1NDFlQzIzMThmM2RDRjdlIiwicGF5VG8iOiIweDJCNUFENWM0Nzk1YzAyNjUxNGY4MzE3YzdhMjE1RTIxOERjQ0Q2Y0YiLCJtYXhUaW1lb3V0U2Vjb25kcyI6MzAwLCJleHRyYSI6eyJuYW1lIjoiVVNEQyIsInZlcnNpb24iOiIyIn19XX0=");
}

TEST(RequirementsTest, EscapesTheResourceUrl) {
  PaymentRequirements req = Sample();
  req.resource = "http://h/\"x";
  EXPECT_NO_THROW(json::parse(RenderRequirementsV1(req)));
}

TEST(RequirementsTest, BaseNetworkOffersItsOwnUsdcDomain) {
  PaywallConfig config;
  config.network = "base";
  const PaymentRequirements req = Paywall(config).RequirementsFor("/", "http://h/").front();
  EXPECT_EQ(req.asset, "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
  EXPECT_EQ(req.extra.at("name"), "USD Coin");
  EXPECT_EQ(req.caip2, "eip155:8453");
}

}  // namespace
}  // namespace x402
