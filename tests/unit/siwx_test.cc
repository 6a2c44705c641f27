// sign-in-with-x: the EIP-4361 and SIWS texts against @x402/extensions' own (vectors written
// by tests/e2e/make_siwe_vectors.mjs), the checks of validateSIWxMessage() and
// verifySIWxSignature(), the header parser, and the bounded stores.
#include "x402/extensions/sign_in_with_x.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "base/base64.h"
#include "base/text.h"

namespace x402 {
namespace {

namespace json = boost::json;

json::object Vectors() {
  std::ifstream in(std::string(X402_TEST_DATA_DIR) + "/siwx_messages.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str()).as_object();
}

SiwxPayload Payload(const json::value& payload) {
  SiwxPayload out;
  std::string problem;
  EXPECT_TRUE(ParseSiwxHeader(Base64Encode(json::serialize(payload)), &out, &problem)) << problem;
  return out;
}

TEST(SiwxTest, TheEip4361TextIsPrepareMessagesAndItsSignatureRecovers) {
  const json::object vectors = Vectors();
  ASSERT_FALSE(vectors.at("messages").as_array().empty());
  for (const json::value& v : vectors.at("messages").as_array()) {
    const std::string name(v.at("name").as_string());
    const SiwxPayload payload = Payload(v.at("payload"));
    std::string problem;
    const auto message = FormatSiweMessage(payload, &problem);
    ASSERT_TRUE(message) << name << ": " << problem;
    EXPECT_EQ(*message, v.at("message").as_string()) << name;
    std::string payer;
    const auto refused = VerifySiwxSignature(payload, &payer);
    EXPECT_FALSE(refused) << name << ": " << (refused ? refused->message : "");
    EXPECT_EQ(ToLowerAscii(payer), ToLowerAscii(vectors.at("signer").as_string())) << name;
  }
}

TEST(SiwxTest, WhatTheLibraryRefusesToBuildIsRefused) {
  const json::object vectors = Vectors();  // the loop below must not run over a temporary
  for (const json::value& v : vectors.at("refused").as_array()) {
    std::string problem;
    EXPECT_FALSE(FormatSiweMessage(Payload(v.at("payload")), &problem)) << v.at("name").as_string();
    std::string payer;
    const auto refused = VerifySiwxSignature(Payload(v.at("payload")), &payer);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->reason, "invalid_siwx_message") << v.at("name").as_string();
  }
}

TEST(SiwxTest, TheSolanaTextIsFormatSiwsMessages) {
  const json::object vectors = Vectors();
  for (const json::value& v : vectors.at("solana").as_array()) {
    EXPECT_EQ(FormatSiwsMessage(Payload(v.at("payload"))), v.at("message").as_string());
  }
}

TEST(SiwxTest, ATamperedMessageOrSignatureFails) {
  const json::value good = Vectors().at("messages").at(0).at("payload");
  std::string payer;
  json::value other = good;
  other.as_object()["nonce"] = "fedcba9876543210";
  EXPECT_EQ(VerifySiwxSignature(Payload(other), &payer)->reason, "invalid_siwx_signature");
  other = good;
  std::string signature(other.at("signature").as_string());
  signature[10] = signature[10] == 'a' ? 'b' : 'a';
  other.as_object()["signature"] = signature;
  EXPECT_EQ(VerifySiwxSignature(Payload(other), &payer)->reason, "invalid_siwx_signature");
  other = good;
  other.as_object()["signature"] = "0x1234";
  EXPECT_EQ(VerifySiwxSignature(Payload(other), &payer)->reason, "invalid_siwx_signature");
  other = good;
  other.as_object()["chainId"] = "eip155:base";
  EXPECT_EQ(VerifySiwxSignature(Payload(other), &payer)->reason, "invalid_siwx_chain_id");
  other.as_object()["chainId"] = "cosmos:hub";
  EXPECT_EQ(VerifySiwxSignature(Payload(other), &payer)->reason, "invalid_siwx_unsupported_chain");
  other = good;
  other.as_object()["chainId"] = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1";
  EXPECT_EQ(VerifySiwxSignature(Payload(other), &payer)->reason, "invalid_siwx_malformed_signature");  // 0x… is not base58
}

TEST(SiwxTest, ValidationFollowsValidateSiwxMessageInItsOrder) {
  SiwxPayload p = Payload(Vectors().at("messages").at(0).at("payload"));
  const int64_t issued = *ParseIsoTimeMs(p.issued_at);
  const std::string origin = "http://127.0.0.1:3402";
  EXPECT_FALSE(ValidateSiwx(p, origin, issued + 1000));
  EXPECT_EQ(ValidateSiwx(p, "http://localhost:3402", issued)->reason, "invalid_siwx_domain_mismatch");
  SiwxPayload q = p;
  q.uri = "http://127.0.0.1:9999/report";
  EXPECT_EQ(ValidateSiwx(q, origin, issued)->reason, "invalid_siwx_uri_mismatch");
  q.uri = "not a url";
  EXPECT_EQ(ValidateSiwx(q, origin, issued)->reason, "invalid_siwx_uri_mismatch");
  EXPECT_EQ(ValidateSiwx(p, origin, issued + kSiwxMaxAgeMs + 1)->reason, "invalid_siwx_issued_at_too_old");
  EXPECT_FALSE(ValidateSiwx(p, origin, issued + kSiwxMaxAgeMs));
  EXPECT_EQ(ValidateSiwx(p, origin, issued - 1)->reason, "invalid_siwx_issued_at_in_future");
  q = p;
  q.issued_at = "soon";
  EXPECT_EQ(ValidateSiwx(q, origin, issued)->reason, "invalid_siwx_issued_at");
  q = p;
  q.expiration_time = "2026-12-07T14:30:00.000Z";
  EXPECT_EQ(ValidateSiwx(q, origin, issued)->reason, "invalid_siwx_expired");
  q.expiration_time = "never";
  EXPECT_EQ(ValidateSiwx(q, origin, issued)->reason, "invalid_siwx_expiration_time");
  q = p;
  q.not_before = "2026-12-07T14:31:00Z";
  EXPECT_EQ(ValidateSiwx(q, origin, issued)->reason, "invalid_siwx_not_yet_valid");
  q.not_before = "x";
  EXPECT_EQ(ValidateSiwx(q, origin, issued)->reason, "invalid_siwx_not_before");
  // The origin as URL.origin compares it: case and default ports do not matter.
  q = p;
  q.domain = "example.com";
  q.uri = "HTTP://Example.COM:80/x";
  EXPECT_FALSE(ValidateSiwx(q, "http://example.com", issued));
}

TEST(SiwxTest, TheHeaderMustBeBase64JsonTheSchemaTakes) {
  SiwxPayload p;
  std::string problem;
  for (const std::string& bad : {std::string("not base64!"), std::string("a=b="), Base64Encode("{"), Base64Encode("[]"),
                                Base64Encode(R"({"domain":"d"})"), Base64Encode(std::string(1, '\xff'))}) {
    EXPECT_FALSE(ParseSiwxHeader(bad, &p, &problem)) << bad;
    EXPECT_NE(problem.find("Invalid SIWX header"), std::string::npos) << problem;
  }
  json::object payload = Vectors().at("messages").at(0).at("payload").as_object();
  payload["type"] = "rsa";
  EXPECT_FALSE(ParseSiwxHeader(Base64Encode(json::serialize(payload)), &p, &problem));
  EXPECT_NE(problem.find("type"), std::string::npos);
  payload["type"] = "eip191";
  payload["statement"] = nullptr;  // zod's optional() takes absent, not null
  EXPECT_FALSE(ParseSiwxHeader(Base64Encode(json::serialize(payload)), &p, &problem));
  payload.erase("statement");
  payload["resources"] = json::array{1};
  EXPECT_FALSE(ParseSiwxHeader(Base64Encode(json::serialize(payload)), &p, &problem));
}

TEST(SiwxTest, IsoTimesReadAsJavaScriptReadsThem) {
  EXPECT_EQ(ParseIsoTimeMs("1970-01-01T00:00:00.000Z"), 0);
  EXPECT_EQ(ParseIsoTimeMs("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(ParseIsoTimeMs("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(ParseIsoTimeMs("1970-01-02"), 86'400'000);
  for (const char* bad : {"", "2026-02-30T00:00:00Z", "2026-1-1", "2026-01-01T25:00:00Z", "2026-01-01T00:00:00.Z",
                          "2026-01-01T00:00:00+0100", "tomorrow"}) {
    EXPECT_FALSE(ParseIsoTimeMs(bad)) << bad;
  }
  EXPECT_EQ(IsoTimeMs(1'800'000'000'123), "2027-01-15T08:00:00.123Z");
  EXPECT_EQ(ParseIsoTimeMs(IsoTimeMs(1'800'000'000'123)), 1'800'000'000'123);
}

TEST(SiwxTest, TheRouteSettingReadsTrueOrItsOptions) {
  SiwxSpec spec;
  std::string problem;
  EXPECT_TRUE(ParseSiwxSpec(true, &spec, &problem));
  EXPECT_TRUE(ParseSiwxSpec(json::parse(R"({"statement":"Sign in","expiration_seconds":60})"), &spec, &problem));
  EXPECT_EQ(spec.expiration_seconds, 60u);
  for (const char* bad : {R"(false)", R"("yes")", R"({"statement":"say \"hi\""})", R"({"statement":"a\nb"})",
                          R"({"expiration_seconds":0})", R"({"expiration_seconds":"60"})", R"({"nonce":"x"})"}) {
    EXPECT_FALSE(ParseSiwxSpec(json::parse(bad), &spec, &problem)) << bad;
  }
}

TEST(SiwxStoresTest, BoundedAndNoncesUsedOnce) {
  SiwxPayments paid;
  paid.Record("/r", "0xABCDEF");
  EXPECT_TRUE(paid.HasPaid("/r", "0xabcdef"));  // lower-cased, as InMemorySIWxStorage does
  EXPECT_FALSE(paid.HasPaid("/other", "0xabcdef"));
  for (std::size_t i = 0; i < SiwxPayments::kCapacity; ++i) paid.Record("/r", "0x" + std::to_string(i));
  EXPECT_EQ(paid.size(), SiwxPayments::kCapacity);
  EXPECT_FALSE(paid.HasPaid("/r", "0xabcdef"));  // the oldest was forgotten
  SiwxNonces nonces;
  EXPECT_FALSE(nonces.Used("n1", 1000));
  nonces.Record("n1", 1000);
  EXPECT_TRUE(nonces.Used("n1", 1000 + kSiwxMaxAgeMs));
  EXPECT_FALSE(nonces.Used("n1", 1000 + kSiwxMaxAgeMs + 60'001));  // no message bearing it can pass any more
}

}  // namespace
}  // namespace x402

#include "server/router.h"
#include "signed_payment.h"
#include "x402/evm/keccak.h"
#include "x402/settle_step.h"

namespace x402 {
namespace {

// Review of issue 29: the challenge names the origin as URL.origin writes it, so a client that
// reached the mock as LOCALHOST:80 signs in (the check compares normalized origins).
TEST(SiwxRouteTest, AChallengeForAnOddlyWrittenHostSignsIn) {
  PaywallConfig config;
  PriceRule rule = PriceRule::Priced("/report", AtomicAmount{10'000});
  rule.sign_in_with_x = SiwxSpec{};
  config.pricing.per_resource.push_back(rule);
  Paywall paywall(config);
  SettlementState state;
  auto send = [&](std::vector<std::pair<std::string, std::string>> headers) {
    Request req{http::verb::get, "/report?x=1", 11};
    req.set(http::field::host, "LOCALHOST:80");
    for (auto& [k, v] : headers) req.set(k, v);
    RequestContext ctx;
    ctx.paywall = &paywall;
    ctx.settlement = &state;
    ctx.now_unix_ms = 1'800'000'000'000;
    ctx.now_unix = ctx.now_unix_ms / 1000;
    return HandleRequest(req, ctx);
  };
  const RouteResult unpaid = send({});
  ASSERT_FALSE(unpaid.raw);  // a fresh challenge each time: never the cached bytes
  const json::object offer = json::parse(*Base64Decode(unpaid.response["PAYMENT-REQUIRED"])).as_object();
  const json::object& info = offer.at("extensions").at("sign-in-with-x").at("info").as_object();
  EXPECT_EQ(info.at("domain"), "localhost");
  EXPECT_EQ(info.at("uri"), "http://localhost/report?x=1");  // the query kept, as rebaseResourcePath() keeps it
  const std::string address = testing::AddressOf(testing::TestKey(1));
  state.siwx_paid.Record("/report", address);
  json::object payload = info;
  payload["chainId"] = "eip155:84532";
  payload["type"] = "eip191";
  payload["address"] = address;
  payload["signature"] = "0x";
  std::string problem;
  SiwxPayload parsed = Payload(payload);
  const auto message = FormatSiweMessage(parsed, &problem);
  ASSERT_TRUE(message) << problem;
  const std::string prefix = "\x19" "Ethereum Signed Message:\n" + std::to_string(message->size());
  payload["signature"] = testing::SignDigest(Keccak256({BytesOf(prefix), BytesOf(*message)}), testing::TestKey(1));
  const std::string header = Base64Encode(json::serialize(payload));
  const RouteResult signed_in = send({{"SIGN-IN-WITH-X", header}});
  EXPECT_EQ(signed_in.response.result(), http::status::ok) << signed_in.outcome.reason << ": " << signed_in.outcome.message;
  EXPECT_EQ(signed_in.outcome.verdict, Verdict::kSignedIn);
  // The same message again: its nonce was used.
  EXPECT_EQ(send({{"SIGN-IN-WITH-X", header}}).outcome.reason, "invalid_siwx_nonce");
}

}  // namespace
}  // namespace x402
