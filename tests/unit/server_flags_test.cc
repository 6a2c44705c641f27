#include "config/server_flags.h"

#include <gtest/gtest.h>

namespace x402 {
namespace {

TEST(ServerFlagsTest, OverridesReplaceFlagByFlagAndKeepTheRest) {
  const ServerArgs base = {"--port", "4100", "--pricing", "0.05", "--config", "/p/x.yaml"};
  EXPECT_EQ(MergeServerArgs(base, {"--pricing", "0.10"}),
            (ServerArgs{"--port", "4100", "--config", "/p/x.yaml", "--pricing", "0.10"}));
  EXPECT_EQ(MergeServerArgs(base, {}), base);
  EXPECT_EQ(MergeServerArgs({}, {"--port", "1"}), (ServerArgs{"--port", "1"}));
}

TEST(ServerFlagsTest, ArgsBecomeTheFlagLayerAndTheProjectFile) {
  LoadOptions options;
  ASSERT_TRUE(LoadOptionsFromServerArgs({"--config", "/p/x.yaml", "--port", "4100", "--threads", "2"},
                                        "/h", "/w", nullptr, &options)
                  .ok());
  EXPECT_EQ(options.config_file, "/p/x.yaml");
  ASSERT_EQ(options.flags.size(), 1u);  // --threads is not a config key
  EXPECT_EQ(options.flags[0].key, "mock_server.port");
  EXPECT_EQ(options.flags[0].origin.name, "--port");
  EXPECT_EQ(LoadOptionsFromServerArgs({"--name", "a"}, "/h", "/w", nullptr, &options).code(),
            StatusCode::kUsage);
  EXPECT_EQ(LoadOptionsFromServerArgs({"--port"}, "/h", "/w", nullptr, &options).code(),
            StatusCode::kUsage);
}

TEST(ServerFlagsTest, ThreadsAreCheckedBeforeAnyServerRuns) {
  int threads = -1;
  ASSERT_TRUE(ThreadsFromServerArgs({}, &threads).ok());
  EXPECT_EQ(threads, 0);
  ASSERT_TRUE(ThreadsFromServerArgs({"--threads", "8"}, &threads).ok());
  EXPECT_EQ(threads, 8);
  for (const char* bad : {"0", "257", "-1", "two", "3x", ""}) {
    const Status s = ThreadsFromServerArgs({"--threads", bad}, &threads);
    if (std::string(bad).empty()) continue;  // an empty value is "absent"
    EXPECT_EQ(s.code(), StatusCode::kUsage) << bad;
  }
}

}  // namespace
}  // namespace x402
