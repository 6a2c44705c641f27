// What the Windows installer does to the machine PATH and to a service registered from another
// folder (src/service/windows_path_list.h, windows_command_line.h); the installer itself is
// run under Wine by tests/windows/installer_test.sh.
#include <gtest/gtest.h>

#include <string>

#include "service/windows_command_line.h"
#include "service/windows_path_list.h"

namespace x402 {
namespace {

constexpr const char* kBin = R"(C:\Program Files\x402-dev\bin)";

TEST(WindowsPathList, AppendsAfterASeparatorOfItsOwn) {
  EXPECT_EQ(PathListAppend(R"(C:\Windows;C:\tools)", kBin),
            R"(C:\Windows;C:\tools;C:\Program Files\x402-dev\bin)");
  EXPECT_EQ(PathListAppend("", kBin), kBin);
  // A trailing ';' stays as it was, so that removing our entry gives the list back unchanged.
  EXPECT_EQ(PathListAppend(R"(C:\Windows;)", kBin), R"(C:\Windows;;C:\Program Files\x402-dev\bin)");
}

TEST(WindowsPathList, DoesNotAddAFolderTwiceHoweverItIsSpelled) {
  for (const char* spelling : {R"(C:\Program Files\x402-dev\bin)", R"(c:\program files\X402-DEV\BIN\)",
                               R"("C:\Program Files\x402-dev\bin")", R"(C:/Program Files/x402-dev/bin/)",
                               R"(  C:\Program Files\x402-dev\bin  )"}) {
    const std::string list = std::string(R"(C:\Windows;)") + spelling + R"(;C:\tools)";
    EXPECT_TRUE(PathListContains(list, kBin)) << spelling;
    EXPECT_EQ(PathListAppend(list, kBin), list) << spelling;
  }
  EXPECT_FALSE(PathListContains(R"(C:\Program Files\x402-dev\bin2;C:\Program Files\x402-dev)", kBin));
  EXPECT_FALSE(PathListContains("", kBin));
}

TEST(WindowsPathList, RemovesOnlyOurEntryAndKeepsEveryOtherByteOfALongList) {
  // Longer than NSIS's 1024-character strings, with entries that differ only in case, an
  // empty entry and %VARIABLES%: all of it must survive.
  std::string list = R"(%SystemRoot%\system32;;C:\Tools\Bin)";
  for (int i = 0; list.size() < 6000; ++i) list += R"(;D:\very\long\folder\number\)" + std::to_string(i);
  const std::string installed = PathListAppend(list, kBin);
  ASSERT_NE(installed, list);
  EXPECT_TRUE(PathListContains(installed, kBin));
  EXPECT_EQ(PathListRemove(installed, kBin), list);

  for (const std::string& before : {std::string(""), std::string(R"(C:\Windows;)"),
                                    std::string(R"(C:\Windows;;C:\x)")}) {
    EXPECT_EQ(PathListRemove(PathListAppend(before, kBin), kBin), before) << before;
  }
}

TEST(WindowsPathList, RemovesEverySpellingOfOurFolderWhereverItIs) {
  EXPECT_EQ(PathListRemove(R"(c:\program files\x402-dev\bin\;C:\Windows;"C:\Program Files\x402-dev\bin")", kBin),
            R"(C:\Windows)");
  EXPECT_EQ(PathListRemove(R"(C:\Windows;C:\Program Files\x402-dev\bin2)", kBin),
            R"(C:\Windows;C:\Program Files\x402-dev\bin2)");
  EXPECT_EQ(PathListRemove(kBin, kBin), "");
}

TEST(WindowsCommandLine, FindsTheProgramAsCommandLineToArgvWDoes) {
  EXPECT_EQ(CommandLineProgram(R"("C:\tools dir\x402-dev.exe" mock --launch-spec "C:\u\l.json" --windows-service)"),
            R"(C:\tools dir\x402-dev.exe)");
  EXPECT_EQ(CommandLineProgram(R"(C:\tools\x402-dev.exe mock --windows-service)"), R"(C:\tools\x402-dev.exe)");
  EXPECT_EQ(CommandLineProgram(R"(C:\tools\x402-dev.exe)"), R"(C:\tools\x402-dev.exe)");
  EXPECT_EQ(CommandLineProgram(R"("C:\unterminated)"), R"(C:\unterminated)");
  EXPECT_EQ(CommandLineProgram(""), "");
  EXPECT_EQ(CommandLineProgram(R"(  "C:\a b\x.exe" mock)"), R"(C:\a b\x.exe)");
}

TEST(WindowsCommandLine, KnowsTheCommandLinesMockInstallRegisters) {
  EXPECT_TRUE(IsX402ServiceCommandLine(
      R"("C:\tools\x402-dev.exe" mock --launch-spec "C:\users\me\.x402dev\launch-spec.json" --windows-service)"));
  EXPECT_TRUE(IsX402ServiceCommandLine(
      R"(C:\tools\x402-dev.exe mock --name demo --launch-spec "C:\l.json" --windows-service )"));
  // Another program's service that happens to be called x402-mock: not ours to re-point.
  EXPECT_FALSE(IsX402ServiceCommandLine(R"("C:\other\server.exe" --port 3402)"));
  EXPECT_FALSE(IsX402ServiceCommandLine(R"("C:\other\server.exe" mock --no-windows-service)"));
  EXPECT_FALSE(IsX402ServiceCommandLine(R"("C:\tools\x402-dev.exe")"));
  EXPECT_FALSE(IsX402ServiceCommandLine(""));
}

TEST(WindowsCommandLine, ReplacesTheProgramAndKeepsTheArguments) {
  const std::string args = R"( mock --name demo --launch-spec "C:\users\me\.x402dev\launch-spec.json" --windows-service)";
  EXPECT_EQ(ReplaceCommandLineProgram(R"("C:\tools\x402-dev.exe")" + args, R"(C:\Program Files\x402-dev\bin\x402-dev.exe)"),
            R"("C:\Program Files\x402-dev\bin\x402-dev.exe")" + args);
  EXPECT_EQ(ReplaceCommandLineProgram(R"(C:\tools\x402-dev.exe)" + args, R"(C:\P\x.exe)"),
            R"("C:\P\x.exe")" + args);
  EXPECT_EQ(ReplaceCommandLineProgram(R"(  "C:\tools\x402-dev.exe")" + args, R"(C:\P\x.exe)"),
            R"("C:\P\x.exe")" + args);
}

TEST(WindowsCommandLine, ComparesPathsAsWindowsDoes) {
  EXPECT_TRUE(SameWindowsPath(R"(C:\Program Files\x402-dev\bin\x402-dev.exe)",
                              R"(c:/PROGRAM FILES/x402-dev/bin/X402-DEV.EXE)"));
  EXPECT_FALSE(SameWindowsPath(R"(C:\tools\x402-dev.exe)", R"(C:\Program Files\x402-dev\bin\x402-dev.exe)"));
  EXPECT_FALSE(SameWindowsPath(R"(C:\a.exe)", R"(C:\a.exe2)"));
}

}  // namespace
}  // namespace x402
