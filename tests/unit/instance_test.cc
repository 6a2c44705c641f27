#include "state/instance.h"

#include <gtest/gtest.h>

#include "service/unit_file.h"

namespace x402 {
namespace {

TEST(InstanceTest, TheDefaultInstanceKeepsTheContractsExactPaths) {
  const StatePaths p = Instance().Paths("/home/u");
  EXPECT_EQ(p.pid_file, "/home/u/.x402dev/mock-server.pid");
  EXPECT_EQ(p.log_file, "/home/u/.x402dev/logs/mock-server.log");
  EXPECT_EQ(p.launch_spec, "/home/u/.x402dev/launch-spec.json");
  EXPECT_EQ(Instance().SystemdUnit(), "x402-mock.service");
  EXPECT_EQ(Instance().LaunchdLabel(), "dev.x402.mock");
  EXPECT_EQ(Instance().WindowsServiceName(), "x402-mock");
  EXPECT_TRUE(Instance().ServerArgs().empty());
}

TEST(InstanceTest, ANamedInstanceHasItsOwnEverything) {
  Instance a;
  ASSERT_TRUE(Instance::Parse("staging-2", &a).ok());
  const StatePaths p = a.Paths("/home/u");
  EXPECT_EQ(p.pid_file, "/home/u/.x402dev/instances/staging-2/mock-server.pid");
  EXPECT_EQ(p.log_file, "/home/u/.x402dev/instances/staging-2/logs/mock-server.log");
  EXPECT_EQ(a.SystemdUnit(), "x402-mock@staging-2.service");
  EXPECT_EQ(a.LaunchdLabel(), "dev.x402.mock.staging-2");
  EXPECT_EQ(a.WindowsServiceName(), "x402-mock-staging-2");
  EXPECT_EQ(a.ServerArgs(), (std::vector<std::string>{"--name", "staging-2"}));
  EXPECT_EQ(a.HomeFromLaunchSpec(p.launch_spec), "/home/u");
  EXPECT_EQ(Instance().HomeFromLaunchSpec("/home/u/.x402dev/launch-spec.json"), "/home/u");
}

TEST(InstanceTest, NamesFollowTheRule) {
  Instance out;
  for (const char* good : {"a", "0", "a-b", "abcdefghijklmnopqrstuvwxyz012345"}) {
    EXPECT_TRUE(Instance::Parse(good, &out).ok()) << good;
  }
  for (const char* bad : {"-a", "A", "a_b", "a.b", "a/b", "..", "a b", "é",
                          "abcdefghijklmnopqrstuvwxyz0123456"}) {
    const Status s = Instance::Parse(bad, &out);
    EXPECT_EQ(s.code(), StatusCode::kUsage) << bad;
    EXPECT_NE(s.hint().find("[a-z0-9][a-z0-9-]{0,31}"), std::string::npos);
  }
}

TEST(InstanceTest, TheTemplateUnitRunsTheInstanceItIsNamedFor) {
  Instance a;
  ASSERT_TRUE(Instance::Parse("a", &a).ok());
  EXPECT_EQ(SystemdUnitFileName(a), "x402-mock@.service");
  const std::string unit = RenderSystemdUnit("/usr/bin/x402-dev", a);
  EXPECT_NE(unit.find("ExecStart=/usr/bin/x402-dev mock --name %i --launch-spec "
                      "%h/.x402dev/instances/%i/launch-spec.json\n"),
            std::string::npos)
      << unit;
  EXPECT_NE(unit.find("Description=x402-dev mock x402 payment server (instance %i)\n"),
            std::string::npos);
  const std::string plain = RenderSystemdUnit("/usr/bin/x402-dev");
  EXPECT_NE(plain.find("ExecStart=/usr/bin/x402-dev mock --launch-spec %h/.x402dev/launch-spec.json\n"),
            std::string::npos)
      << plain;
  EXPECT_EQ(plain.find("@X402_"), std::string::npos) << "a placeholder was left in the unit";
  EXPECT_EQ(unit.find("@X402_"), std::string::npos) << "a placeholder was left in the unit";
}

}  // namespace
}  // namespace x402
