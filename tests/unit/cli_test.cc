#include "cli/args.h"

#include <gtest/gtest.h>

#include "cli/cli.h"

namespace x402 {
namespace {

TEST(CliTest, UnknownOptionIsNamedWithASuggestion) {
  po::variables_map vm;
  const Status s = ParseArgs({"--prot", "4000"}, ConfigOverrideOptions(), {}, "mock", &vm);
  EXPECT_EQ(s.code(), StatusCode::kUsage);
  EXPECT_NE(s.message().find("'--prot'"), std::string::npos) << s.message();
  EXPECT_EQ(s.hint(), "did you mean '--port'?");
}

TEST(CliTest, MissingOptionValueIsAUsageError) {
  po::variables_map vm;
  const Status s = ParseArgs({"--port"}, ConfigOverrideOptions(), {}, "mock", &vm);
  EXPECT_EQ(s.code(), StatusCode::kUsage);
  EXPECT_NE(s.message().find("port"), std::string::npos) << s.message();
}

TEST(CliTest, ConfigFlagsBecomeFlagLayerSettings) {
  po::variables_map vm;
  ASSERT_TRUE(ParseArgs({"--port", "4000", "--pricing", "0.05", "--config", "x.yaml",
                         "--simulation-mode", "timeout", "--verbose"},
                        ConfigOverrideOptions(), {}, "mock", &vm)
                  .ok());
  const LoadOptions options = MakeLoadOptions(vm, "/home/u", "/w", nullptr);
  EXPECT_EQ(options.config_file, "x.yaml");
  ASSERT_EQ(options.flags.size(), 3u);
  for (const RawSetting& s : options.flags) {
    EXPECT_EQ(s.origin.source, ConfigSource::kFlag);
    if (s.key == "mock_server.port") {
      EXPECT_EQ(s.text, "4000");
    }
    if (s.key == "mock_server.pricing.default") {
      EXPECT_EQ(s.origin.name, "--pricing");
    }
  }
}

TEST(CliTest, UnknownCommandSuggestsTheClosest) {
  const Status s = Cli({"confg", "show"}).Run();
  EXPECT_EQ(s.code(), StatusCode::kUsage);
  EXPECT_EQ(s.hint(), "did you mean 'config'?");
}

TEST(CliTest, MockSubcommandTypoSuggestsTheSubcommand) {
  const Status s = Cli({"mock", "strat"}).Run();
  EXPECT_EQ(s.code(), StatusCode::kUsage);
  EXPECT_EQ(s.hint(), "did you mean 'start'?");
}

TEST(CliTest, TopLevelHelpListsEveryCommandAndTheExitCodes) {
  const std::string help = TopLevelHelp();
  for (const char* word : {"mock", "config", "init", "version", "Exit codes"}) {
    EXPECT_NE(help.find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace x402
