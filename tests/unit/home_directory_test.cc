// Issue 16 item 3: with HOME unset or empty, the state directory went under the current
// directory, so two starts from two folders gave two servers.
#include "base/home_directory.h"

#include <gtest/gtest.h>

namespace x402 {
namespace {

const auto kAccount = [] { return std::string("/home/account"); };

TEST(HomeDirectoryTest, ASetHomeIsUsed) {
  std::string home;
  ASSERT_TRUE(ChooseHomeDirectory(std::string("/home/given"), kAccount, &home).ok());
  EXPECT_EQ(home, "/home/given");
}

TEST(HomeDirectoryTest, UnsetOrEmptyHomeIsTheAccountsNotTheCurrentDirectory) {
  std::string home;
  ASSERT_TRUE(ChooseHomeDirectory(std::nullopt, kAccount, &home).ok());
  EXPECT_EQ(home, "/home/account");
  home.clear();
  ASSERT_TRUE(ChooseHomeDirectory(std::string(), kAccount, &home).ok());
  EXPECT_EQ(home, "/home/account");
}

TEST(HomeDirectoryTest, ARelativeHomeIsRefusedWithAClearLine) {
  std::string home = "unchanged";
  for (const char* relative : {"relative/dir", ".", "x"}) {
    const Status s = ChooseHomeDirectory(std::string(relative), kAccount, &home);
    EXPECT_EQ(s.code(), StatusCode::kConfig) << relative;
    EXPECT_NE(s.message().find("relative path"), std::string::npos) << s.message();
    EXPECT_NE(s.hint().find("absolute"), std::string::npos) << s.hint();
  }
  EXPECT_EQ(home, "unchanged");
}

TEST(HomeDirectoryTest, NoHomeAnywhereIsRefused) {
  std::string home;
  const Status s = ChooseHomeDirectory(std::nullopt, [] { return std::string(); }, &home);
  EXPECT_EQ(s.code(), StatusCode::kConfig);
  EXPECT_TRUE(home.empty());
}

#ifndef _WIN32
TEST(HomeDirectoryTest, TheAccountHomeIsAbsolute) {
  // getpwuid(getuid()): every account the tests run as has one.
  const std::string home = AccountHomeDirectory();
  ASSERT_FALSE(home.empty());
  EXPECT_EQ(home.front(), '/');
}
#endif

}  // namespace
}  // namespace x402
