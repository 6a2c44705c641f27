#include "config/config_loader.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "config/config_file.h"
#include "config/config_template.h"

namespace x402 {
namespace {

namespace fs = std::filesystem;

// A fresh HOME and project directory per test, and a fake environment.
class ConfigLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "x402-config-XXXXXX").string();
    root_ = mkdtemp(pattern.data());
    home_ = root_ / "home";
    project_ = root_ / "project";
    fs::create_directories(home_ / ".x402dev");
    fs::create_directories(project_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void WriteGlobal(const std::string& text) { Write(home_ / ".x402dev" / "config.yaml", text); }
  void WriteProject(const std::string& text) { Write(project_ / ".x402dev.yaml", text); }
  static void Write(const fs::path& path, const std::string& text) {
    std::ofstream(path) << text;
  }

  LoadOptions Options() {
    LoadOptions o;
    o.home = home_.string();
    o.working_directory = project_.string();
    o.env = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    return o;
  }

  static RawSetting Flag(const std::string& key, const std::string& value, const std::string& name) {
    RawSetting s;
    s.key = key;
    s.text = value;
    s.origin.source = ConfigSource::kFlag;
    s.origin.name = name;
    return s;
  }

  Status Load(LoadedConfig* out) { return LoadConfig(Options(), out); }

  fs::path root_, home_, project_;
  std::map<std::string, std::string> env_;
};

TEST_F(ConfigLoaderTest, DefaultsWhenNothingIsSet) {
  LoadedConfig c;
  ASSERT_TRUE(Load(&c).ok());
  EXPECT_EQ(c.config.mock_server.port, 3402);
  EXPECT_EQ(c.config.mock_server.host, "127.0.0.1");
  EXPECT_EQ(c.config.mock_server.pricing.default_price.units, 10'000u);
  EXPECT_EQ(c.config.mock_server.simulation_mode, SimulationMode::kSuccess);
  EXPECT_TRUE(c.origins.empty());
  EXPECT_FALSE(c.global_file);
  EXPECT_FALSE(c.project_file);
}

TEST_F(ConfigLoaderTest, GlobalFileOverridesDefaults) {
  WriteGlobal("mock_server:\n  port: 4001\n");
  LoadedConfig c;
  ASSERT_TRUE(Load(&c).ok());
  EXPECT_EQ(c.config.mock_server.port, 4001);
  EXPECT_EQ(c.origins["mock_server.port"].source, ConfigSource::kGlobalFile);
  EXPECT_EQ(c.origins["mock_server.port"].line, 2);
}

TEST_F(ConfigLoaderTest, ProjectFileOverridesGlobalFile) {
  WriteGlobal("mock_server:\n  port: 4001\n  host: 0.0.0.0\n");
  WriteProject("mock_server:\n  port: 4002\n");
  LoadedConfig c;
  ASSERT_TRUE(Load(&c).ok());
  EXPECT_EQ(c.config.mock_server.port, 4002);
  EXPECT_EQ(c.origins["mock_server.port"].source, ConfigSource::kProjectFile);
  EXPECT_EQ(c.config.mock_server.host, "0.0.0.0");  // untouched keys keep the lower layer
  EXPECT_EQ(c.origins["mock_server.host"].source, ConfigSource::kGlobalFile);
}

TEST_F(ConfigLoaderTest, SmartWalletSignaturesFromFileAndEnvironment) {
  LoadedConfig defaults;
  ASSERT_TRUE(Load(&defaults).ok());
  EXPECT_EQ(defaults.config.mock_server.smart_wallet_signatures, SmartWalletPolicy::kAuto);
  WriteProject("mock_server:\n  smart_wallet_signatures: refuse\n");
  LoadedConfig from_file;
  ASSERT_TRUE(Load(&from_file).ok());
  EXPECT_EQ(from_file.config.mock_server.smart_wallet_signatures, SmartWalletPolicy::kRefuse);
  env_["X402_DEV_SMART_WALLET_SIGNATURES"] = "accept";
  LoadedConfig from_env;
  ASSERT_TRUE(Load(&from_env).ok());
  EXPECT_EQ(from_env.config.mock_server.smart_wallet_signatures, SmartWalletPolicy::kAccept);
  EXPECT_EQ(from_env.origins["mock_server.smart_wallet_signatures"].Describe(),
            "env X402_DEV_SMART_WALLET_SIGNATURES");
}

TEST_F(ConfigLoaderTest, EnvironmentOverridesProjectFile) {
  WriteProject("mock_server:\n  port: 4002\n  simulation_mode: failure\n");
  env_["X402_DEV_PORT"] = "4003";
  env_["X402_DEV_SIMULATION_MODE"] = "timeout";
  env_["X402_DEV_PRICING"] = "0.02";
  env_["X402_DEV_HOST"] = "::1";
  env_["X402_DEV_BACKEND"] = "direct";
  env_["X402_DEV_LOG_LEVEL"] = "debug";
  LoadedConfig c;
  ASSERT_TRUE(Load(&c).ok());
  EXPECT_EQ(c.config.mock_server.port, 4003);
  EXPECT_EQ(c.config.mock_server.simulation_mode, SimulationMode::kTimeout);
  EXPECT_EQ(c.config.mock_server.pricing.default_price.units, 20'000u);
  EXPECT_EQ(c.config.mock_server.host, "::1");
  EXPECT_EQ(c.config.mock_server.backend, Backend::kDirect);
  EXPECT_EQ(c.config.log_level, LogLevel::kDebug);
  EXPECT_EQ(c.origins["mock_server.port"].Describe(), "env X402_DEV_PORT");
}

TEST_F(ConfigLoaderTest, FlagsOverrideEnvironment) {
  env_["X402_DEV_PORT"] = "4003";
  LoadOptions o = Options();
  o.flags.push_back(Flag("mock_server.port", "4004", "--port"));
  LoadedConfig c;
  ASSERT_TRUE(LoadConfig(o, &c).ok());
  EXPECT_EQ(c.config.mock_server.port, 4004);
  EXPECT_EQ(c.origins["mock_server.port"].Describe(), "flag --port");
}

TEST_F(ConfigLoaderTest, ConfigFlagAndEnvNameTheProjectFile) {
  Write(root_ / "ci.yaml", "mock_server:\n  port: 4010\n");
  Write(root_ / "other.yaml", "mock_server:\n  port: 4011\n");
  WriteProject("mock_server:\n  port: 4002\n");
  env_["X402_DEV_CONFIG"] = (root_ / "other.yaml").string();
  LoadedConfig from_env;
  ASSERT_TRUE(Load(&from_env).ok());
  EXPECT_EQ(from_env.config.mock_server.port, 4011);  // X402_DEV_CONFIG replaces ./.x402dev.yaml

  LoadOptions o = Options();
  o.config_file = (root_ / "ci.yaml").string();
  LoadedConfig from_flag;
  ASSERT_TRUE(LoadConfig(o, &from_flag).ok());
  EXPECT_EQ(from_flag.config.mock_server.port, 4010);  // --config beats X402_DEV_CONFIG
  EXPECT_EQ(*from_flag.project_file, (root_ / "ci.yaml").string());
}

TEST_F(ConfigLoaderTest, MissingExplicitConfigFileIsAnError) {
  LoadOptions o = Options();
  o.config_file = (root_ / "nope.yaml").string();
  LoadedConfig c;
  const Status s = LoadConfig(o, &c);
  EXPECT_EQ(s.code(), StatusCode::kConfig);
  EXPECT_NE(s.message().find("nope.yaml"), std::string::npos);
  EXPECT_NE(s.message().find("does not exist"), std::string::npos);
}

TEST_F(ConfigLoaderTest, PricingRulesMergeAcrossFilesAndReplaceTheBuiltInExamples) {
  WriteGlobal("mock_server:\n  pricing:\n    per_resource:\n      /a: 0.01\n      /b/*: 0.02\n");
  WriteProject("mock_server:\n  pricing:\n    per_resource:\n      /b/*: 0.03\n");
  LoadedConfig c;
  ASSERT_TRUE(Load(&c).ok());
  const auto& rules = c.config.mock_server.pricing.per_resource;
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0], (PriceRule{"/a", AtomicAmount{10'000}, {}}));
  EXPECT_EQ(rules[1], (PriceRule{"/b/*", AtomicAmount{30'000}, {}}));
  EXPECT_EQ(c.origins[RuleOriginKey("/b/*")].source, ConfigSource::kProjectFile);
}

TEST_F(ConfigLoaderTest, EmptyPerResourceClearsTheExamples) {
  WriteProject("mock_server:\n  pricing:\n    per_resource: {}\n");
  LoadedConfig c;
  ASSERT_TRUE(Load(&c).ok());
  EXPECT_TRUE(c.config.mock_server.pricing.per_resource.empty());
}

TEST_F(ConfigLoaderTest, NetworkAcceptsCaip2AndStoresTheV1Name) {
  WriteProject("mock_server:\n  network: eip155:8453\n");
  LoadedConfig c;
  ASSERT_TRUE(Load(&c).ok());
  EXPECT_EQ(c.config.mock_server.network, "base");
}

// --- every validation error names the file, the key and the line --------------------------

struct BadConfig {
  const char* yaml;
  const char* key;
  int line;
  const char* message_part;
  const char* hint_part;
};

class ConfigValidationTest : public ConfigLoaderTest,
                             public ::testing::WithParamInterface<BadConfig> {};

TEST_P(ConfigValidationTest, NamesFileKeyAndLine) {
  const BadConfig& bad = GetParam();
  WriteProject(bad.yaml);
  LoadedConfig c;
  const Status s = Load(&c);
  ASSERT_EQ(s.code(), StatusCode::kConfig) << bad.yaml;
  const std::string where = (project_ / ".x402dev.yaml").string() + ":" + std::to_string(bad.line);
  EXPECT_NE(s.message().find(where), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(bad.key), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(bad.message_part), std::string::npos) << s.message();
  EXPECT_NE(s.hint().find(bad.hint_part), std::string::npos) << s.hint();
}

INSTANTIATE_TEST_SUITE_P(
    AllErrors, ConfigValidationTest,
    ::testing::Values(
        BadConfig{"mock_server:\n  port: 70000\n", "mock_server.port", 2, "not a valid port", "1024"},
        BadConfig{"mock_server:\n  port: abc\n", "mock_server.port", 2, "not a valid port", "3402"},
        BadConfig{"mock_server:\n  prot: 4000\n", "mock_server.prot", 2, "unknown key", "did you mean 'port'?"},
        BadConfig{"log_levl: info\n", "log_levl", 1, "unknown key", "did you mean 'log_level'?"},
        BadConfig{"mock_server:\n  pricing:\n    default: -0.01\n", "mock_server.pricing.default", 3,
                  "cannot be negative", "USD"},
        BadConfig{"mock_server:\n  simulation_mode: sucess\n", "mock_server.simulation_mode", 2,
                  "not a simulation mode", "did you mean 'success'?"},
        BadConfig{"mock_server:\n  backend: systemdd\n", "mock_server.backend", 2, "not a backend",
                  "did you mean 'systemd'?"},
        BadConfig{"mock_server:\n  smart_wallet_signatures: refuze\n",
                  "mock_server.smart_wallet_signatures", 2, "not a smart-wallet signature policy",
                  "did you mean 'refuse'?"},
        BadConfig{"mock_server:\n  network: base-sepola\n", "mock_server.network", 2,
                  "not a network", "did you mean 'base-sepolia'?"},
        BadConfig{"mock_server:\n  port: [1, 2]\n", "mock_server.port", 2, "single value", ""},
        BadConfig{"mock_server: 5\n", "mock_server", 1, "must be a mapping", "indent"},
        BadConfig{"mock_server:\n  pay_to: 0x123\n", "mock_server.pay_to", 2, "not an EVM address", "checksummed"},
        BadConfig{"mock_server:\n  pricing:\n    per_resource:\n      api/x: 0.1\n",
                  "mock_server.pricing.per_resource", 4, "must be a path starting with '/'", ""},
        BadConfig{"mock_server:\n  pricing:\n    per_resource:\n      /x: 0.0000001\n",
                  "mock_server.pricing.per_resource", 4, "6 decimals", "/x: 0.05"},
        BadConfig{"mock_server:\n  port: 3402\n   host: x\n", "", 3, "invalid YAML", "indentation"},
        BadConfig{"mock_server:\n  max_timeout_seconds: 0\n", "mock_server.max_timeout_seconds", 2,
                  "between 1 and 86400", "300"}));

TEST_F(ConfigLoaderTest, InvalidEnvironmentValueNamesTheVariable) {
  env_["X402_DEV_PORT"] = "http";
  LoadedConfig c;
  const Status s = Load(&c);
  ASSERT_EQ(s.code(), StatusCode::kConfig);
  EXPECT_NE(s.message().find("environment variable X402_DEV_PORT"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("mock_server.port"), std::string::npos);
}

TEST_F(ConfigLoaderTest, InvalidFlagNamesTheFlag) {
  LoadOptions o = Options();
  o.flags.push_back(Flag("mock_server.simulation_mode", "fail", "--simulation-mode"));
  LoadedConfig c;
  const Status s = LoadConfig(o, &c);
  ASSERT_EQ(s.code(), StatusCode::kConfig);
  EXPECT_NE(s.message().find("flag --simulation-mode"), std::string::npos) << s.message();
}

TEST_F(ConfigLoaderTest, InvalidGlobalFileIsReportedEvenWithAValidProjectFile) {
  WriteGlobal("mock_server:\n  port: 0\n");
  WriteProject("mock_server:\n  port: 4000\n");
  LoadedConfig c;
  const Status s = Load(&c);
  ASSERT_EQ(s.code(), StatusCode::kConfig);
  EXPECT_NE(s.message().find("config.yaml:2"), std::string::npos) << s.message();
}

TEST_F(ConfigLoaderTest, InitTemplateLoadsBackToTheSameConfig) {
  Config config;
  config.mock_server.port = 4242;
  config.mock_server.simulation_mode = SimulationMode::kFailure;
  config.mock_server.pricing.default_price = AtomicAmount{1'234};
  config.mock_server.pricing.per_resource = {{"/x/*", AtomicAmount{5}, {}}};
  WriteProject(RenderConfigTemplate(config));
  LoadedConfig c;
  ASSERT_TRUE(Load(&c).ok());
  EXPECT_EQ(c.config.mock_server.port, 4242);
  EXPECT_EQ(c.config.mock_server.simulation_mode, SimulationMode::kFailure);
  EXPECT_EQ(c.config.mock_server.pricing.default_price.units, 1'234u);
  EXPECT_EQ(c.config.mock_server.pricing.per_resource, config.mock_server.pricing.per_resource);
  EXPECT_EQ(c.config.mock_server.pay_to, config.mock_server.pay_to);
}

}  // namespace
}  // namespace x402
