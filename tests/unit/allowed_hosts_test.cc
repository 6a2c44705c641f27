// Issue 25, item 3: the Host names the server answers (net/allowed_hosts.h), the guard
// against DNS rebinding.
#include "net/allowed_hosts.h"

#include <gtest/gtest.h>

namespace x402 {
namespace {

std::vector<std::string> Parsed(std::string_view text) {
  std::vector<std::string> hosts;
  std::string problem;
  EXPECT_TRUE(ParseAllowedHosts(text, &hosts, &problem)) << problem;
  return hosts;
}

TEST(AllowedHostsTest, LoopbackNamesAndAddressesAreAlwaysAnswered) {
  const std::vector<std::string> none;
  for (const char* host : {"127.0.0.1", "127.0.0.1:3402", "localhost", "LOCALHOST:80", "localhost.",
                           "app.localhost:5173", "[::1]", "[::1]:3402", "10.0.0.7:3402", ""}) {
    EXPECT_TRUE(IsHostAllowed(host, "127.0.0.1", none)) << host;
  }
}

TEST(AllowedHostsTest, ARebindingPagesNameIsRefused) {
  const std::vector<std::string> none;
  for (const char* host : {"attacker.example", "attacker.example:3402", "127.0.0.1.nip.io:3402",
                           "localhost.attacker.example", "x402-mock:3402", "1.2.3.4.example"}) {
    EXPECT_FALSE(IsHostAllowed(host, "127.0.0.1", none)) << host;
  }
}

TEST(AllowedHostsTest, TheListeningNameAndConfiguredNamesAreAnswered) {
  EXPECT_TRUE(IsHostAllowed("devbox:3402", "devbox", {}));
  const std::vector<std::string> hosts = Parsed("x402-mock, .example.test");
  EXPECT_TRUE(IsHostAllowed("x402-mock:3402", "0.0.0.0", hosts));
  EXPECT_TRUE(IsHostAllowed("X402-Mock", "0.0.0.0", hosts));
  EXPECT_TRUE(IsHostAllowed("example.test", "0.0.0.0", hosts));
  EXPECT_TRUE(IsHostAllowed("api.example.test:443", "0.0.0.0", hosts));
  EXPECT_FALSE(IsHostAllowed("badexample.test", "0.0.0.0", hosts));
  EXPECT_FALSE(IsHostAllowed("x402-mock.attacker.example", "0.0.0.0", hosts));
}

TEST(AllowedHostsTest, AllTurnsTheCheckOff) {
  const std::vector<std::string> all = Parsed("all");
  EXPECT_TRUE(IsHostAllowed("anything.example:1", "127.0.0.1", all));
  EXPECT_EQ(FormatAllowedHosts(all), "all");
}

TEST(AllowedHostsTest, BadListsAreRefusedWithAReason) {
  std::vector<std::string> hosts;
  std::string problem;
  EXPECT_FALSE(ParseAllowedHosts("all, x402-mock", &hosts, &problem));
  EXPECT_NE(problem.find("not both"), std::string::npos);
  EXPECT_FALSE(ParseAllowedHosts("exa mple/", &hosts, &problem));
  EXPECT_NE(problem.find("not a host name"), std::string::npos);
  EXPECT_FALSE(ParseAllowedHosts("\x1b[31m", &hosts, &problem));
  EXPECT_EQ(Parsed(" a.test ,, B.test "), (std::vector<std::string>{"a.test", "b.test"}));
}

}  // namespace
}  // namespace x402
