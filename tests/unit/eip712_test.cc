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

Eip712Domain DomainOf(const json::object& d) {
  return TokenDomain(d.at("name").as_string(), d.at("version").as_string(), d.at("chainId").to_number<uint64_t>(),
                     *ParseEvmAddress(S(d.at("verifyingContract"))));
}

Hash32 MessageHash(const json::object& m) {
  std::string problem;
  const auto hash = TransferWithAuthorizationTypes().HashStruct("TransferWithAuthorization", m, &problem);
  EXPECT_TRUE(hash.has_value()) << problem;
  return hash.value_or(Hash32{});
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
    const Hash32 separator = DomainSeparator(DomainOf(v.at("domain").as_object()));
    EXPECT_EQ(separator, Bytes32(v.at("domainSeparator")));
    const Hash32 digest = TypedDataDigest(separator, MessageHash(v.at("message").as_object()));
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

// The generic encoder against viem: every vector of data/typed_data_vectors.json (made by
// tests/e2e/make_typed_data_vectors.mjs: Permit2's exact and upto witnesses, EIP-2612 Permit
// with non-ASCII token names, EIP-3009, the EIP's Mail example, transitive type ordering,
// every atomic type, domains with one to five fields).
const json::array& TypedDataVectors() {
  static const json::value doc = [] {
    std::ifstream in(std::string(X402_TEST_DATA_DIR) + "/typed_data_vectors.json");
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
  }();
  return doc.at("vectors").as_array();
}

Eip712Domain AnyDomainOf(const json::object& d) {
  Eip712Domain domain;
  if (d.contains("name")) domain.name = std::string_view(d.at("name").as_string());
  if (d.contains("version")) domain.version = std::string_view(d.at("version").as_string());
  if (d.contains("chainId")) domain.chain_id = d.at("chainId").to_number<uint64_t>();
  if (d.contains("verifyingContract")) domain.verifying_contract = ParseEvmAddress(S(d.at("verifyingContract")));
  if (d.contains("salt")) domain.salt = Bytes32(d.at("salt"));
  return domain;
}

TEST(Eip712TypedDataTest, EveryVectorMatchesViem) {
  ASSERT_GE(TypedDataVectors().size(), 20u);
  for (const json::value& entry : TypedDataVectors()) {
    const json::object& v = entry.as_object();
    SCOPED_TRACE(S(v.at("name")));
    std::vector<Eip712StructType> types;
    for (const auto& [name, members] : v.at("types").as_object()) {
      Eip712StructType type{std::string(name), {}};
      for (const json::value& m : members.as_array()) {
        type.members.push_back({S(m.at("name")), S(m.at("type"))});
      }
      types.push_back(std::move(type));
    }
    std::string problem;
    const auto set = Eip712Types::Make(std::move(types), &problem);
    ASSERT_TRUE(set.has_value()) << problem;
    const std::string primary = S(v.at("primaryType"));
    EXPECT_EQ(set->EncodeType(primary), S(v.at("encodeType")));
    EXPECT_EQ(set->TypeHash(primary), Bytes32(v.at("typeHash")));
    const auto struct_hash = set->HashStruct(primary, v.at("message").as_object(), &problem);
    ASSERT_TRUE(struct_hash.has_value()) << problem;
    EXPECT_EQ(*struct_hash, Bytes32(v.at("structHash")));

    const Eip712Domain domain = AnyDomainOf(v.at("domain").as_object());
    EXPECT_EQ(DomainType(domain), S(v.at("domainType")));
    const Hash32 separator = DomainSeparator(domain);
    EXPECT_EQ(separator, Bytes32(v.at("domainSeparator")));
    const Hash32 digest = TypedDataDigest(separator, *struct_hash);
    EXPECT_EQ(digest, Bytes32(v.at("digest")));
    EcdsaSignature signature;
    ASSERT_TRUE(DecodePrefixedHex(S(v.at("signature")), signature));
    const auto signer = RecoverSigner(digest, signature);
    ASSERT_TRUE(signer.has_value());
    EXPECT_EQ(ChecksumAddress(*signer), S(v.at("signer")));
  }
}

TEST(Eip712TypedDataTest, RefusesWhatViemRefuses) {
  std::string problem;
  EXPECT_FALSE(Eip712Types::Make({{"A", {{"x", "uint"}}}}, &problem).has_value());       // no size
  EXPECT_FALSE(Eip712Types::Make({{"A", {{"x", "uint7"}}}}, &problem).has_value());
  EXPECT_FALSE(Eip712Types::Make({{"A", {{"x", "bytes33"}}}}, &problem).has_value());
  EXPECT_FALSE(Eip712Types::Make({{"A", {{"x", "uint256[]"}}}}, &problem).has_value());
  EXPECT_NE(problem.find("arrays"), std::string::npos);
  EXPECT_FALSE(Eip712Types::Make({{"A", {{"b", "B"}}}, {"B", {{"a", "A"}}}}, &problem).has_value());  // a cycle
  EXPECT_FALSE(Eip712Types::Make({{"uint256", {{"x", "bool"}}}}, &problem).has_value());   // an atomic type's name
  EXPECT_FALSE(Eip712Types::Make({{"A-B", {{"x", "bool"}}}}, &problem).has_value());      // punctuation
  EXPECT_FALSE(Eip712Types::Make({{"A", {{"x", "bool"}}}, {"A", {{"y", "bool"}}}}, &problem).has_value());
  EXPECT_NE(problem.find("twice"), std::string::npos);
  const auto set = Eip712Types::Make({{"A", {{"u", "uint8"}, {"i", "int8"}, {"b", "bytes4"}, {"f", "bool"}}}}, &problem);
  ASSERT_TRUE(set.has_value()) << problem;
  auto hash = [&](json::object m) { return set->HashStruct("A", m, &problem).has_value(); };
  EXPECT_TRUE(hash({{"u", "255"}, {"i", "-128"}, {"b", "0x01020304"}, {"f", true}}));
  EXPECT_FALSE(hash({{"u", "256"}, {"i", "0"}, {"b", "0x01020304"}, {"f", true}}));   // uint8 range
  EXPECT_FALSE(hash({{"u", "1"}, {"i", "-129"}, {"b", "0x01020304"}, {"f", true}}));  // int8 range
  EXPECT_FALSE(hash({{"u", "1"}, {"i", "128"}, {"b", "0x01020304"}, {"f", true}}));
  EXPECT_FALSE(hash({{"u", "-1"}, {"i", "0"}, {"b", "0x01020304"}, {"f", true}}));    // uint negative
  EXPECT_FALSE(hash({{"u", "1"}, {"i", "0"}, {"b", "0x010203"}, {"f", true}}));       // bytes4 short
  EXPECT_FALSE(hash({{"u", "1"}, {"i", "0"}, {"b", "0x01020304"}, {"f", "true"}}));   // bool as text
  EXPECT_FALSE(hash({{"u", "1"}, {"i", "0"}, {"b", "0X01020304"}, {"f", true}}));     // hex as viem reads it
  EXPECT_FALSE(hash({{"u", "1"}, {"i", "0"}, {"b", "0x01020304"}}));                  // missing
  EXPECT_NE(problem.find("f is missing"), std::string::npos) << problem;
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
