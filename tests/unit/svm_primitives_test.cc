// The Solana primitives (src/x402/svm/) against the libraries the reference clients use, not
// against themselves: data/svm_vectors.json is made by tests/e2e/make_svm_vectors.mjs with bs58,
// @noble/curves (ed25519), @solana/kit (getProgramDerivedAddress) and @solana-program/token
// (findAssociatedTokenPda), plus RFC 8032's test vectors.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "x402/evm/hex_bytes.h"
#include "x402/svm/base58.h"
#include "x402/svm/ed25519.h"
#include "x402/svm/program_address.h"

namespace x402::svm {
namespace {

namespace json = boost::json;

const json::object& Vectors() {
  static const json::value doc = [] {
    std::ifstream in(std::string(X402_TEST_DATA_DIR) + "/svm_vectors.json");
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
  }();
  return doc.as_object();
}

std::string S(const json::value& v) { return std::string(v.as_string()); }

std::vector<uint8_t> Hex(const std::string& hex) {
  std::vector<uint8_t> out(hex.size() / 2);
  if (!out.empty()) {
    EXPECT_TRUE(DecodePrefixedHex("0x" + hex, out)) << hex;
  }
  return out;
}

template <std::size_t N>
std::array<uint8_t, N> Fixed(const std::string& hex) {
  const auto bytes = Hex(hex);
  std::array<uint8_t, N> out{};
  EXPECT_EQ(bytes.size(), N) << hex;
  std::copy_n(bytes.begin(), std::min(N, bytes.size()), out.begin());
  return out;
}

TEST(Base58Test, EncodesAndDecodesAsBs58) {
  const json::array& cases = Vectors().at("base58").as_array();
  ASSERT_GE(cases.size(), 10u);
  for (const json::value& c : cases) {
    const std::vector<uint8_t> bytes = Hex(S(c.at("hex")));
    EXPECT_EQ(Base58Encode(bytes), S(c.at("base58")));
    const auto decoded = Base58Decode(S(c.at("base58")));
    ASSERT_TRUE(decoded.has_value()) << S(c.at("base58"));
    EXPECT_EQ(*decoded, bytes);
  }
  for (const json::value& bad : Vectors().at("base58_invalid").as_array()) {
    EXPECT_FALSE(Base58Decode(S(bad)).has_value()) << S(bad);
  }
  // Bounded: a text longer than the bytes allowed could encode is refused without the work.
  EXPECT_FALSE(Base58Decode(std::string(10'000, 'z')).has_value());
  EXPECT_FALSE(Base58Decode32("1111111111111111111111111111111").has_value());  // 31 zero bytes
  EXPECT_TRUE(Base58Decode32("11111111111111111111111111111111").has_value());  // 32: the system program
}

TEST(Ed25519Test, VerifiesAsRfc8032AndRefusesWhatItRefuses) {
  const json::array& cases = Vectors().at("ed25519").as_array();
  ASSERT_GE(cases.size(), 8u);
  for (const json::value& c : cases) {
    SCOPED_TRACE(S(c.at("name")));
    const auto key = Fixed<32>(S(c.at("public_key_hex")));
    const auto signature = Fixed<64>(S(c.at("signature_hex")));
    const std::vector<uint8_t> message = Hex(S(c.at("message_hex")));
    EXPECT_EQ(VerifyEd25519(key, message, signature), c.at("valid_strict").as_bool());
  }
}

TEST(CurveTest, TellsPointsFromOffCurveBytesAsTheReferenceDoes) {
  const json::array& cases = Vectors().at("on_curve").as_array();
  ASSERT_GE(cases.size(), 10u);
  for (const json::value& c : cases) {
    EXPECT_EQ(IsOnCurve(Fixed<32>(S(c.at("hex")))), c.at("on_curve").as_bool()) << S(c.at("hex"));
  }
}

TEST(ProgramAddressTest, FindsTheAddressAndBumpOfSolanaKit) {
  for (const json::value& c : Vectors().at("pda").as_array()) {
    std::vector<std::vector<uint8_t>> seeds;
    for (const json::value& s : c.at("seeds_hex").as_array()) seeds.push_back(Hex(S(s)));
    std::vector<std::span<const uint8_t>> spans(seeds.begin(), seeds.end());
    const auto found = FindProgramAddress(spans, *Base58Decode32(S(c.at("program_id"))));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(Base58Encode(found->address), S(c.at("address")));
    EXPECT_EQ(found->bump, c.at("bump").to_number<int>());
  }
}

TEST(ProgramAddressTest, TheAssociatedTokenAccountIsTheOneSplTokenDerives) {
  const json::array& cases = Vectors().at("ata").as_array();
  ASSERT_GE(cases.size(), 8u);
  for (const json::value& c : cases) {
    const ProgramAddress ata = AssociatedTokenAddress(*Base58Decode32(S(c.at("owner"))), *Base58Decode32(S(c.at("mint"))),
                                                      *Base58Decode32(S(c.at("token_program"))));
    EXPECT_EQ(Base58Encode(ata.address), S(c.at("address"))) << S(c.at("mint"));
    EXPECT_EQ(ata.bump, c.at("bump").to_number<int>());
  }
  EXPECT_EQ(Base58Encode(kToken2022Program), "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
}

}  // namespace
}  // namespace x402::svm
