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
