// The signature check against viem: every vector in data/eip712_vectors.json (made by
// tests/e2e/make_eip712_vectors.mjs with viem's hashTypedData / signTypedData /
// recoverAddress) must give the same domain separator, digest and recovered address here.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "x402/evm/eip712.h"
#include "x402/evm/hex_bytes.h"
#include "x402/evm/exact/eip3009_signature.h"
#include "x402/evm/signer_recovery.h"

namespace x402 {
namespace {

namespace json = boost::json;

const json::array& Vectors() {
  static const json::value doc = [] {
    std::ifstream in(std::string(X402_TEST_DATA_DIR) + "/eip712_vectors.json");
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
  }();
  return doc.at("vectors").as_array();
}

std::string S(const json::value& v) { return std::string(v.as_string()); }

Hash32 Bytes32(const json::value& v) {
  Hash32 out{};
  EXPECT_TRUE(DecodePrefixedHex(S(v), out)) << v;
  return out;
}

Eip712Domain DomainOf(const json::object& d, std::string& name, std::string& version) {
  name = S(d.at("name"));
  version = S(d.at("version"));
  return {name, version, d.at("chainId").to_number<uint64_t>(),
          *ParseEvmAddress(S(d.at("verifyingContract")))};
}

TransferWithAuthorization MessageOf(const json::object& m) {
  TransferWithAuthorization out;
  out.from = *ParseEvmAddress(S(m.at("from")));
  out.to = *ParseEvmAddress(S(m.at("to")));
  EXPECT_TRUE(ParseUint256Decimal(S(m.at("value")), &out.value));
  EXPECT_TRUE(ParseUint256Decimal(S(m.at("validAfter")), &out.valid_after));
  EXPECT_TRUE(ParseUint256Decimal(S(m.at("validBefore")), &out.valid_before));
  EXPECT_TRUE(ParseBytes32(S(m.at("nonce")), &out.nonce));
  return out;
}

TEST(Eip712VectorsTest, TheFixtureHasEveryCase) {
  std::size_t valid = 0, tampered = 0;
  for (const json::value& v : Vectors()) (v.at("valid").as_bool() ? valid : tampered)++;
  EXPECT_GE(valid, 16u + 8u);  // 16 plain signatures, plus v=0/1 and high-s forms
  EXPECT_GE(tampered, 20u);    // value, to, chainId, verifyingContract, wrong key; 4 domains
}

TEST(Eip712VectorsTest, DigestsAndSignersMatchViem) {
  for (const json::value& entry : Vectors()) {
    const json::object& v = entry.as_object();
    SCOPED_TRACE(S(v.at("name")));
    std::string name, version;
    const Eip712Domain domain = DomainOf(v.at("domain").as_object(), name, version);
    const Hash32 separator = DomainSeparator(domain);
    EXPECT_EQ(separator, Bytes32(v.at("domainSeparator")));
    const Hash32 digest = TransferWithAuthorizationDigest(separator, MessageOf(v.at("message").as_object()));
    EXPECT_EQ(digest, Bytes32(v.at("digest")));

    EcdsaSignature signature;
    ASSERT_TRUE(DecodePrefixedHex(S(v.at("signature")), signature));
    const auto signer = RecoverSigner(digest, signature);
    ASSERT_TRUE(signer.has_value());
    EXPECT_EQ(ChecksumAddress(*signer), S(v.at("recovered")));
    EXPECT_EQ(*signer == *ParseEvmAddress(S(v.at("message").at("from"))), v.at("valid").as_bool());
  }
}

// The same vectors through the payment-level entry point: the JSON payload, the offer's
// CAIP-2 network for the chain id, and addresses written in lower case (EIP-55-insensitive).
TEST(Eip712VectorsTest, PaymentSignatureCheckAgreesWithViem) {
  for (const json::value& entry : Vectors()) {
    const json::object& v = entry.as_object();
    SCOPED_TRACE(S(v.at("name")));
    const json::object& d = v.at("domain").as_object();
    PaymentRequirements offer;
    offer.caip2 = "eip155:" + std::to_string(d.at("chainId").to_number<uint64_t>());
    offer.asset = S(d.at("verifyingContract"));
    const std::string name = S(d.at("name"));
    const std::string version = S(d.at("version"));
    offer.extra = {{"name", name}, {"version", version}};
    json::object authorization = v.at("message").as_object();
    for (const char* field : {"from", "to"}) {
      std::string lower = S(authorization.at(field));
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      authorization[field] = lower;
    }
    const json::object payload = {{"signature", v.at("signature")}, {"authorization", authorization}};
    const SignatureCheck check = CheckPaymentSignature(payload, offer);
    if (name.empty() || version.empty()) {
      // No domain to recover against: said as such, so the caller refuses the payment (a
      // signature that cannot be checked is never taken as a good one).
      EXPECT_EQ(check.kind, SignatureKind::kNoDomain);
      continue;
    }
    EXPECT_EQ(check.kind, SignatureKind::kEcdsa);
    EXPECT_EQ(check.recovered, S(v.at("recovered")));
    EXPECT_EQ(check.matches, v.at("valid").as_bool());
  }
}

TEST(SignerRecoveryTest, RefusesWhatViemRefuses) {
  const json::object& v = Vectors().at(0).as_object();
  const Hash32 digest = Bytes32(v.at("digest"));
  EcdsaSignature good;
  ASSERT_TRUE(DecodePrefixedHex(S(v.at("signature")), good));
  ASSERT_TRUE(RecoverSigner(digest, good).has_value());

  for (int bad_v : {2, 26, 29, 35, 255}) {
    EcdsaSignature s = good;
    s[64] = static_cast<uint8_t>(bad_v);
    EXPECT_FALSE(RecoverSigner(digest, s).has_value()) << bad_v;
  }
  EcdsaSignature zero_r = good;
  std::fill(zero_r.begin(), zero_r.begin() + 32, uint8_t{0});
  EXPECT_FALSE(RecoverSigner(digest, zero_r).has_value());
  EcdsaSignature zero_s = good;
  std::fill(zero_s.begin() + 32, zero_s.begin() + 64, uint8_t{0});
  EXPECT_FALSE(RecoverSigner(digest, zero_s).has_value());
  EcdsaSignature s_too_big = good;  // s = 2^256 - 1 ≥ n
  std::fill(s_too_big.begin() + 32, s_too_big.begin() + 64, uint8_t{0xff});
  EXPECT_FALSE(RecoverSigner(digest, s_too_big).has_value());
}

TEST(PaymentSignatureTest, ClassifiesSmartWalletSignatures) {
  const json::object& v = Vectors().at(0).as_object();
  PaymentRequirements offer;
  offer.caip2 = "eip155:84532";
  offer.asset = S(v.at("domain").at("verifyingContract"));
  offer.extra = {{"name", "USDC"}, {"version", "2"}};
  json::object payload = {{"authorization", v.at("message")}};
  auto kind_of = [&](std::string signature) {
    payload["signature"] = signature;
    return CheckPaymentSignature(payload, offer).kind;
  };
  const std::string magic = "6492649264926492649264926492649264926492649264926492649264926492";
  EXPECT_EQ(kind_of(S(v.at("signature"))), SignatureKind::kEcdsa);
  EXPECT_EQ(kind_of("0x" + std::string(200, 'a')), SignatureKind::kErc1271);
  EXPECT_EQ(kind_of("0x" + std::string(256, 'b') + magic), SignatureKind::kErc6492);
  EXPECT_EQ(kind_of("0xabcd"), SignatureKind::kUnreadable);                       // too short
  EXPECT_EQ(kind_of("0x" + std::string(199, 'a')), SignatureKind::kUnreadable);   // odd length
  EXPECT_EQ(kind_of("0x" + std::string(198, 'g')), SignatureKind::kUnreadable);   // not hex
  payload["signature"] = v.at("signature");
  payload["authorization"].as_object()["value"] = "12.5";
  EXPECT_EQ(CheckPaymentSignature(payload, offer).kind, SignatureKind::kUnreadable);
}

TEST(Uint256Test, ParsesDecimalsUpTo2To256Minus1) {
  Uint256Word word;
  ASSERT_TRUE(ParseUint256Decimal(
      "115792089237316195423570985008687907853269984665640564039457584007913129639935", &word));
  for (uint8_t b : word) EXPECT_EQ(b, 0xff);
  EXPECT_FALSE(ParseUint256Decimal(
      "115792089237316195423570985008687907853269984665640564039457584007913129639936", &word));
  ASSERT_TRUE(ParseUint256Decimal("258", &word));
  EXPECT_EQ(word[31], 2);
  EXPECT_EQ(word[30], 1);
  EXPECT_FALSE(ParseUint256Decimal("", &word));
  EXPECT_FALSE(ParseUint256Decimal("-1", &word));
  EXPECT_FALSE(ParseUint256Decimal("1e3", &word));
}

TEST(EvmAddressTest, ChecksumsAsEip55) {
  // EIP-55's own examples.
  for (const char* address : {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                              "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                              "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"}) {
    std::string lower = address;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(ChecksumAddress(*ParseEvmAddress(lower)), address);
  }
  EXPECT_FALSE(ParseEvmAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe").has_value());
  EXPECT_FALSE(ParseEvmAddress("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedaa").has_value());
}

}  // namespace
}  // namespace x402
