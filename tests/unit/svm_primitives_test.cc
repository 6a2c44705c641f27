// The Solana primitives (src/x402/svm/) against the libraries the reference clients use, not
// against themselves: data/svm_vectors.json is made by tests/e2e/make_svm_vectors.mjs with bs58,
// @noble/curves (ed25519), @solana/kit (getProgramDerivedAddress) and @solana-program/token
// (findAssociatedTokenPda), plus RFC 8032's test vectors.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include <cryptopp/integer.h>
#include <cryptopp/modarith.h>

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

namespace x402::svm {
namespace {

// The curve test as the first version computed it, with Crypto++'s big integers: reduce y mod
// p, then Euler's criterion on (y² - 1)/(d·y² + 1). Slow and plainly right: the oracle the fast
// field arithmetic (field25519.cc) is held to.
bool IsOnCurveByBigIntegers(const std::array<uint8_t, 32>& bytes) {
  using CryptoPP::Integer;
  static const Integer p = Integer::Power2(255) - Integer(19);
  const CryptoPP::ModularArithmetic field(p);
  static const Integer d = CryptoPP::ModularArithmetic(p).Multiply(p - Integer(121665),
                                                                  CryptoPP::ModularArithmetic(p).MultiplicativeInverse(Integer(121666)));
  std::array<uint8_t, 32> big;
  for (std::size_t i = 0; i < 32; ++i) big[i] = bytes[31 - i];
  big[0] &= 0x7f;
  const Integer y = Integer(big.data(), big.size()) % p;
  const Integer y2 = field.Square(y);
  const Integer u = field.Subtract(y2, Integer::One());
  const Integer v = field.Add(field.Multiply(d, y2), Integer::One());
  const Integer x2 = field.Multiply(u, field.MultiplicativeInverse(v));
  if (x2.IsZero()) return true;
  return field.Exponentiate(x2, (p - Integer::One()) / Integer::Two()) == Integer::One();
}

TEST(SvmFieldTest, TheFastCurveTestAgreesWithBigIntegersEverywhereItWasTried) {
  std::array<uint8_t, 32> bytes{};
  // The edges: y = 0, 1, p - 1, p, p + 1, 2^255 - 1, each with either sign bit.
  std::vector<std::array<uint8_t, 32>> edges;
  for (int low : {0x00, 0x01, 0xec, 0xed, 0xee, 0xff}) {
    bytes.fill(low <= 1 ? 0 : 0xff);
    bytes[0] = static_cast<uint8_t>(low);
    bytes[31] = low <= 1 ? 0 : 0x7f;
    edges.push_back(bytes);
    bytes[31] |= 0x80;
    edges.push_back(bytes);
  }
  for (const auto& e : edges) EXPECT_EQ(IsOnCurve(e), IsOnCurveByBigIntegers(e));
  // 3000 pseudo-random encodings (about half of them on the curve).
  uint64_t state = 0x9E3779B97F4A7C15ull;
  int on = 0;
  for (int i = 0; i < 3000; ++i) {
    for (uint8_t& b : bytes) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      b = static_cast<uint8_t>(state);
    }
    const bool fast = IsOnCurve(bytes);
    ASSERT_EQ(fast, IsOnCurveByBigIntegers(bytes)) << "encoding #" << i;
    on += fast;
  }
  EXPECT_GT(on, 1200);
  EXPECT_LT(on, 1800);
}

}  // namespace
}  // namespace x402::svm

namespace x402::svm {
namespace {

// Base58 digit by digit, as the first version wrote it: the oracle of the limb-wise encoder.
std::string Base58ByDigits(std::span<const uint8_t> bytes) {
  static constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  std::vector<uint8_t> digits((bytes.size() - zeros) * 138 / 100 + 1);
  std::size_t length = 0;
  for (std::size_t i = zeros; i < bytes.size(); ++i) {
    unsigned carry = bytes[i];
    std::size_t j = 0;
    for (; j < length || carry != 0; ++j) {
      carry += 256u * digits[j];
      digits[j] = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    length = j;
  }
  std::string out(zeros, '1');
  for (std::size_t i = length; i-- > 0;) out += kAlphabet[digits[i]];
  return out;
}

TEST(SvmBase58Test, TheLimbWiseEncoderAgreesDigitByDigitAndRoundTrips) {
  uint64_t state = 0x2545F4914F6CDD1Dull;
  for (int n = 0; n < 2000; ++n) {
    std::vector<uint8_t> bytes(static_cast<std::size_t>(n % 81));
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      // Leading zeros (and zero runs) now and then.
      bytes[i] = (n % 7 == 0 && i < 3) ? 0 : static_cast<uint8_t>(state);
    }
    const std::string text = Base58Encode(bytes);
    ASSERT_EQ(text, Base58ByDigits(bytes)) << n;
    ASSERT_EQ(Base58Decode(text, 128), bytes) << text;
  }
}

}  // namespace
}  // namespace x402::svm
