#include "base/base64.h"

#include <gtest/gtest.h>

namespace x402 {
namespace {

TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, UsesStandardAlphabetWithoutLineBreaks) {
  const std::string bytes(200, '\xfb');
  const std::string encoded = Base64Encode(bytes);
  EXPECT_EQ(encoded.find('\n'), std::string::npos);
  EXPECT_NE(encoded.find('+'), std::string::npos);
  EXPECT_EQ(encoded.find('-'), std::string::npos);
  EXPECT_EQ(Base64Decode(encoded), bytes);
}

TEST(Base64Test, RoundTripsEveryByteValue) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (std::size_t len = 0; len < bytes.size(); len += 37) {
    EXPECT_EQ(Base64Decode(Base64Encode(bytes.substr(0, len))), bytes.substr(0, len));
  }
}

TEST(Base64Test, RejectsWhatStrictDecodersReject) {
  EXPECT_FALSE(Base64Decode("Zg="));        // length not a multiple of 4
  EXPECT_FALSE(Base64Decode("Zm9v_w=="));   // URL-safe alphabet
  EXPECT_FALSE(Base64Decode("Zm9v\nYmFy")); // line break
  EXPECT_FALSE(Base64Decode("Z===")); 
  EXPECT_FALSE(Base64Decode("Zg==Zm9v"));   // padding in the middle
  EXPECT_FALSE(Base64Decode("Zm 9"));
}

}  // namespace
}  // namespace x402
