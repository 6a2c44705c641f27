#include "base/text.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace x402 {
namespace {

TEST(TextTest, EditDistanceCountsTranspositionAsOne) {
  EXPECT_EQ(EditDistance("start", "start"), 0u);
  EXPECT_EQ(EditDistance("strat", "start"), 1u);
  EXPECT_EQ(EditDistance("prot", "port"), 1u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(TextTest, ClosestMatchSuggestsOnlyLikelyTypos) {
  const std::vector<std::string> commands = {"mock", "config", "init", "version"};
  EXPECT_EQ(ClosestMatch("mok", commands), "mock");
  EXPECT_EQ(ClosestMatch("confg", commands), "config");
  EXPECT_EQ(ClosestMatch("versoin", commands), "version");
  EXPECT_EQ(ClosestMatch("deploy", commands), std::nullopt);
}

TEST(TextTest, OneLineKeepsALogLineOneLine) {
  EXPECT_EQ(OneLine("payment refused: network 'x'"), "payment refused: network 'x'");
  EXPECT_EQ(OneLine("x\n2026-11-30T04:00:00.000Z INFO forged\r\x7f"),
            "x\\x0a2026-11-30T04:00:00.000Z INFO forged\\x0d\\x7f");
}

// Issue 25, item 4: what a client chose never reaches a terminal raw.
TEST(TextTest, TerminalSafeEscapesWhatATerminalWouldActOn) {
  EXPECT_EQ(TerminalSafe("plain /api/data\t0.05 caf\xC3\xA9 \xE2\x82\xAC"), "plain /api/data\t0.05 caf\xC3\xA9 \xE2\x82\xAC");
  EXPECT_EQ(TerminalSafe("\x1b[2J\x1b]0;owned\x07\r\x08\x7f"), "\\x1b[2J\\x1b]0;owned\\x07\\x0d\\x08\\x7f");
  EXPECT_EQ(TerminalSafe("\xC2\x9B" "31mred"), "\\xc2\\x9b" "31mred");  // U+009B: CSI
  EXPECT_EQ(TerminalSafe("/caf\xE9"), "/caf\\xe9");                          // not UTF-8
  EXPECT_EQ(TerminalSafe("abc\xE2\x80\xAEgpj.exe"), "abc\\u{202e}gpj.exe");  // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(TerminalSafe("\xE2\x81\xA6x"), "\\u{2066}x");
  // In JSON mode the escapes stay JSON.
  EXPECT_EQ(TerminalSafe("{\"p\":\"\xC2\x9B\x7f\xE9\xE2\x80\xAE\"}", /*json=*/true),
            "{\"p\":\"\\u009b\\u007f\\ufffd\\u202e\"}");
}

TEST(TextTest, JsonEscapeKeepsUtf8AndReplacesWhatIsNot) {
  EXPECT_EQ(JsonEscape("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x92\xB8"), "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x92\xB8");
  EXPECT_EQ(JsonEscape("/caf\xE9"), "/caf\\ufffd");                 // Latin-1, as a client may send it
  EXPECT_EQ(JsonEscape("\xC3"), "\\ufffd");                         // cut inside a sequence
  EXPECT_EQ(JsonEscape("\xC0\xAF"), "\\ufffd\\ufffd");            // overlong '/'
  EXPECT_EQ(JsonEscape("\xED\xA0\x80"), "\\ufffd\\ufffd\\ufffd");  // a surrogate
  EXPECT_EQ(JsonEscape("\xF4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd");  // above U+10FFFF
  // Whatever the bytes, the result parses as JSON.
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  boost::system::error_code ec;
  boost::json::parse("\"" + JsonEscape(all) + "\"", ec);
  EXPECT_FALSE(ec) << ec.message();
}

TEST(TextTest, JsonEscapeEscapesQuotesAndControls) {
  EXPECT_EQ(JsonEscape("a\"b\\c\n\x01"), "a\\\"b\\\\c\\n\\u0001");
}

}  // namespace
}  // namespace x402
