#include "config/config_loader.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "config/config_file.h"
#include "config/config_template.h"
#include "x402/paywall.h"

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

// Issue 28: Solana addresses are base58 and case-sensitive: a ledger payer is kept as written
// (an EVM one lowercase), a Solana option without pay_to is paid to pay_to_solana, and the
// fee-payer file is named by an absolute path.
TEST_F(ConfigLoaderTest, SolanaSettingsKeepTheirAddressesAsWritten) {
  WriteProject("mock_server:\n"
               "  network: solana-devnet\n"
               "  pay_to_solana: 9cdyeWhDrRckArphPxrP1Fmd2y3RiKUGLvqqXBY8n33b\n"
               "  ledger:\n"
               "    balances:\n"
               "      \"9cdyeWhDrRckArphPxrP1Fmd2y3RiKUGLvqqXBY8n33b\": 0.02\n"
               "      \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\": 0.03\n");
  LoadedConfig loaded;
  ASSERT_TRUE(Load(&loaded).ok());
  const auto& balances = loaded.config.mock_server.ledger.balances;
  EXPECT_TRUE(balances.contains("9cdyeWhDrRckArphPxrP1Fmd2y3RiKUGLvqqXBY8n33b"));
  EXPECT_TRUE(balances.contains("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf"));
  const auto offer = Paywall(loaded.config.mock_server).RequirementsFor("/x", "http://127.0.0.1:3402/x");
  EXPECT_EQ(offer.front().pay_to, "9cdyeWhDrRckArphPxrP1Fmd2y3RiKUGLvqqXBY8n33b");

  WriteProject("mock_server:\n  pay_to_solana: 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\n");
  EXPECT_EQ(Load(&loaded).code(), StatusCode::kConfig);
  WriteProject("mock_server:\n  solana_fee_payer: keys/fee-payer.json\n");
  const Status relative = Load(&loaded);
  EXPECT_EQ(relative.code(), StatusCode::kConfig);
  EXPECT_NE(relative.message().find("absolute"), std::string::npos) << relative.message();
  WriteProject("mock_server:\n  accepts:\n    - {network: solana-devnet, pay_to: \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\"}\n");
  EXPECT_EQ(Load(&loaded).code(), StatusCode::kConfig);  // an EVM address is no Solana payTo
  // Two Solana payTo that differ in letter case are two accounts, so two options; a mint as
  // the one-option shorthand's asset.
  WriteProject("mock_server:\n  accepts:\n"
               "    - {network: solana-devnet, pay_to: 9cdyeWhDrRckArphPxrP1Fmd2y3RiKUGLvqqXBY8n33b}\n"
               "    - {network: solana-devnet, pay_to: 9CDYeWhDrRckArphPxrP1Fmd2y3RiKUGLvqqXBY8n33b}\n");
  ASSERT_TRUE(Load(&loaded).ok());
  EXPECT_EQ(Paywall(loaded.config.mock_server).RequirementsFor("/x", "http://h/x").size(), 2u);
  WriteProject("mock_server:\n  network: solana-devnet\n  asset: 4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7\n");
  ASSERT_TRUE(Load(&loaded).ok());
  EXPECT_EQ(Paywall(loaded.config.mock_server).RequirementsFor("/x", "http://h/x").front().asset_symbol, "USDG");
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
  EXPECT_EQ(rules[0], PriceRule::Priced("/a", AtomicAmount{10'000}));
  EXPECT_EQ(rules[1], PriceRule::Priced("/b/*", AtomicAmount{30'000}));
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
                  "between 1 and 86400", "300"},
        // Payment options (issue 26): each refusal names the option's line and key.
        BadConfig{"mock_server:\n  accepts:\n    - network: base\n    - network: \"eip155:1377\"\n",
                  "mock_server.accepts[1]", 4, "'eip155:1377' is not a network the mock knows",
                  "did you mean 'eip155:137'?"},
        BadConfig{"mock_server:\n  accepts:\n    - netwrk: base\n", "mock_server.accepts[0]", 3,
                  "unknown key 'netwrk'", "did you mean 'network'?"},
        BadConfig{"mock_server:\n  accepts:\n    - pay_to: \"0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF\"\n",
                  "mock_server.accepts[0]", 3, "needs its network", "base-sepolia"},
        BadConfig{"mock_server:\n  accepts: base\n", "mock_server.accepts", 2, "must be a list", "network:"},
        BadConfig{"mock_server:\n  accepts:\n    - base\n", "mock_server.accepts[0]", 3, "must be a mapping", ""},
        BadConfig{"mock_server:\n  accepts:\n    - network: polygon\n    - network: \"eip155:137\"\n",
                  "mock_server.accepts[1]", 4, "the same option twice", "remove one"},
        BadConfig{"mock_server:\n  accepts:\n    - network: base\n      pay_to: \"7EcDpVXLfHy8YA3T8Gb6f9N3ZBdx4Zs7vHb9gKw3w5Jm\"\n",
                  "mock_server.accepts[0]", 3, "is not an account on eip155:8453", "0x followed by 40 hex"},
        BadConfig{"mock_server:\n  accepts:\n    - network: base\n      asset: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"\n",
                  "mock_server.accepts[0]", 3, "is not an asset the mock knows on eip155:8453", "declare it"},
        // Issue 29: a route's own simulation mode and payment-identifier policy.
        BadConfig{"mock_server:\n  pricing:\n    per_resource:\n      /x: {price: 0.1, simulation_mode: pendng}\n",
                  "mock_server.pricing.per_resource./x.simulation_mode", 4, "not a simulation mode", "simulation_mode: pending"},
        BadConfig{"mock_server:\n  pricing:\n    per_resource:\n      /x: {price: 0.1, payment_identifier: yes}\n",
                  "mock_server.pricing.per_resource./x.payment_identifier", 4, "not off, optional or required", "required"},
        BadConfig{"mock_server:\n  pricing:\n    per_resource:\n      /x: {price: 0.1, simulaton_mode: pending}\n",
                  "mock_server.pricing.per_resource./x", 4, "unknown key 'simulaton_mode'", "did you mean 'simulation_mode'?"},
        BadConfig{"mock_server:\n  payment_identifier: always\n", "mock_server.payment_identifier", 2,
                  "not off, optional or required", "use one of"},
        BadConfig{"mock_server:\n  pricing:\n    per_resource:\n      /x: {price: 0.1, sign_in_with_x: {expiration_seconds: 0}}\n",
                  "mock_server.pricing.per_resource./x.sign_in_with_x", 4, "from 1 to 86400", "sign_in_with_x: true"},
        BadConfig{"mock_server:\n  pricing:\n    per_resource:\n      /x: {price: 0.1, discovery: {methd: GET}}\n",
                  "mock_server.pricing.per_resource./x.discovery", 4, "did you mean 'method'?", "discovery: {method: GET"},
        BadConfig{"mock_server:\n  pricing:\n    per_resource:\n      /x: {price: 0.1, discovery: {body: {a: 1}}}\n",
                  "mock_server.pricing.per_resource./x.discovery", 4, "body is for POST, PUT and PATCH", ""},
        // Issue 27: Permit2 and upto options.
        BadConfig{"mock_server:\n  ledger:\n    permit2_allowance_missing: \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf, 0x12\"\n",
                  "mock_server.ledger.permit2_allowance_missing", 3, "'0x12' is not a payer address", "all, none"},
        BadConfig{"mock_server:\n  accepts:\n    - network: \"eip155:4326\"\n      asset_transfer_method: eip3009\n",
                  "mock_server.accepts[0]", 3, "has no EIP-3009", "permit2"},
        BadConfig{"mock_server:\n  accepts:\n    - network: base\n      asset_transfer_method: erc20\n",
                  "mock_server.accepts[0]", 3, "must be eip3009 or permit2", "transferWithAuthorization"},
        BadConfig{"mock_server:\n  accepts:\n    - network: base\n      charge: \"50%\"\n",
                  "mock_server.accepts[0]", 3, "charge is for upto options", "scheme: upto"},
        BadConfig{"mock_server:\n  accepts:\n    - network: base\n      scheme: upto\n      charge: half\n",
                  "mock_server.accepts[0]", 3, "is not a charge", "50%"},
        BadConfig{"mock_server:\n  accepts:\n    - network: base\n      scheme: upto\n      asset_transfer_method: eip3009\n",
                  "mock_server.accepts[0]", 3, "through Permit2 only", "leave asset_transfer_method out"},
        BadConfig{"mock_server:\n  accepts:\n    - network: \"eip155:31337\"\n      asset: {address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\", decimals: 1, name: X, version: \"1\"}\n",
                  "mock_server.accepts[0]", 3, "finer than X's smallest unit", "represent"},
        BadConfig{"mock_server:\n  accepts:\n    - network: \"eip155:31337\"\n      asset: {address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\", decimals: 99, name: X, version: \"1\"}\n",
                  "mock_server.accepts[0]", 3, "decimals, a whole number from 0 to 36", "18"},
        BadConfig{"mock_server:\n  accepts:\n    - network: \"eip155:31337\"\n      asset: {address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\", decimals: 18}\n",
                  "mock_server.accepts[0]", 3, "EIP-712", "name"},
        BadConfig{"mock_server:\n  accepts:\n    - network: \"solana:abc\"\n      asset: {address: x, decimals: 6, name: X, version: \"1\"}\n",
                  "mock_server.accepts[0]", 3, "cannot be declared", "eip155:31337"},
        BadConfig{"mock_server:\n  network: base\n  accepts:\n    - network: polygon\n", "mock_server.accepts", 4,
                  "set together with mock_server.network", "remove mock_server.network"},
        // Review of issue 26: an empty rule path, a declared token that contradicts the table,
        // control characters in a token's name, and a YAML alias bomb in an option.
        BadConfig{"mock_server:\n  pricing:\n    per_resource:\n      \"\": {price: 0.1, accepts: [{network: polygon}]}\n",
                  "mock_server.pricing.per_resource", 4, "must be a path starting with '/'", "/api/data"},
        BadConfig{"mock_server:\n  accepts:\n    - network: base-sepolia\n      asset: {address: \"0x036CbD53842c5426634e7929541eC2318f3dCF7e\", decimals: 18, name: USDC, version: \"2\"}\n",
                  "mock_server.accepts[0]", 3, "in the built-in table (6 decimals", "by its address alone"},
        BadConfig{"mock_server:\n  accepts:\n    - network: \"eip155:31337\"\n      asset: {address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\", decimals: 6, name: \"A\\e[2JB\", version: \"1\"}\n",
                  "mock_server.accepts[0]", 3, "without control characters", "USD Coin"},
        BadConfig{"mock_server:\n  accepts:\n    - network: base\n      x: &a [1,1,1,1,1,1,1,1,1,1]\n      y: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                  "      z: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n      w: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
                  "mock_server.accepts[0]", 3, "too large or too deeply nested", "network"},
        BadConfig{"mock_server:\n  pricing:\n    per_resource:\n      /x: {price: 0.05, acepts: []}\n",
                  "mock_server.pricing.per_resource./x", 4, "unknown key 'acepts'", "did you mean 'accepts'?"},
        BadConfig{"mock_server:\n  pricing:\n    per_resource:\n      /x:\n        price: 0.05\n        accepts:\n          - network: polgon\n",
                  "mock_server.pricing.per_resource./x.accepts[0]", 7, "'polgon' is not a network", "did you mean 'polygon'?"}));

TEST_F(ConfigLoaderTest, Permit2AllowanceMissingTakesPayersOrAll) {
  WriteProject("mock_server:\n  ledger:\n    permit2_allowance_missing: \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf,"
               " 0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF\"\n");
  LoadedConfig loaded;
  ASSERT_TRUE(Load(&loaded).ok());
  const LedgerConfig& ledger = loaded.config.mock_server.ledger;
  EXPECT_EQ(ledger.permit2_allowance_missing,
            (std::set<std::string>{"0x7e5f4552091a69125d5dfcb7b8c2659029395bdf", "0x2b5ad5c4795c026514f8317c7a215e218dccd6cf"}));
  EXPECT_FALSE(ledger.permit2_allowance_missing_for_all);
  EXPECT_FALSE(ledger.enabled());  // no balances: the ledger's balances stay off
  WriteProject("mock_server:\n  ledger:\n    permit2_allowance_missing: all\n");
  ASSERT_TRUE(Load(&loaded).ok());
  EXPECT_TRUE(loaded.config.mock_server.ledger.permit2_allowance_missing_for_all);
  // A YAML list, as allowed_hosts takes one.
  WriteProject("mock_server:\n  ledger:\n    permit2_allowance_missing:\n      - \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\"\n");
  ASSERT_TRUE(Load(&loaded).ok());
  EXPECT_EQ(loaded.config.mock_server.ledger.permit2_allowance_missing,
            (std::set<std::string>{"0x7e5f4552091a69125d5dfcb7b8c2659029395bdf"}));
}

TEST_F(ConfigLoaderTest, AcceptsListsTheOptionsInOrderWithTheirOwnPayTo) {
  WriteProject(
      "mock_server:\n"
      "  accepts:\n"
      "    - network: base-sepolia\n"
      "    - network: \"eip155:137\"\n"
      "      pay_to: \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\"\n"
      "    - network: \"eip155:31337\"\n"
      "      asset: {address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\", decimals: 18, name: \"Mock USD\", version: \"1\"}\n"
      "  pricing:\n"
      "    per_resource:\n"
      "      /poly:\n"
      "        price: 0.10\n"
      "        accepts:\n"
      "          - network: polygon\n");
  LoadedConfig c;
  ASSERT_TRUE(Load(&c).ok()) << Load(&c).message();
  const MockServerConfig& m = c.config.mock_server;
  ASSERT_EQ(m.accepts.size(), 3u);
  EXPECT_EQ(m.accepts[0].network, "base-sepolia");
  EXPECT_EQ(m.accepts[1].pay_to, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  ASSERT_TRUE(m.accepts[2].declared_asset.has_value());
  EXPECT_EQ(m.accepts[2].declared_asset->decimals, 18);
  EXPECT_EQ(m.accepts[2].declared_asset->domain_name, "Mock USD");
  // The declared chain joins the table the paywall is built with.
  ASSERT_EQ(m.declared_networks.size(), 1u);
  EXPECT_EQ(m.declared_networks[0].caip2, "eip155:31337");
  EXPECT_EQ(m.declared_networks[0].chain_id, 31337u);
  ASSERT_EQ(m.pricing.per_resource.size(), 1u);
  ASSERT_EQ(m.pricing.per_resource[0].accepts.size(), 1u);
  EXPECT_EQ(m.pricing.per_resource[0].accepts[0].network, "polygon");
  EXPECT_EQ(c.origins.at("mock_server.accepts[1]").line, 4);
  EXPECT_EQ(c.origins.at("mock_server.pricing.per_resource./poly.accepts[0]").line, 13);

  // And the paywall offers them, the 18-decimal amount exact.
  const Paywall paywall(m);
  const auto offer = paywall.RequirementsFor("/any", "http://127.0.0.1:3402/any");
  ASSERT_EQ(offer.size(), 3u);
  EXPECT_EQ(offer[1].pay_to, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  EXPECT_EQ(offer[2].amount.units.ToDecimal(), "10000000000000000");  // 0.01 USD at 18 decimals
  EXPECT_FALSE(offer[2].in_v1_offers);
  const auto poly = paywall.RequirementsFor("/poly", "http://127.0.0.1:3402/poly");
  ASSERT_EQ(poly.size(), 1u);
  EXPECT_EQ(poly[0].caip2, "eip155:137");
}

// Review of issue 26: an offer has at most kMaxOptionsPerOffer options (a longer
// PAYMENT-REQUIRED header is refused by Node's HTTP client).
TEST_F(ConfigLoaderTest, AnOfferHasAtMost32Options) {
  std::string yaml = "mock_server:\n  accepts:\n";
  for (int i = 0; i < 33; ++i) {
    yaml += "    - network: base\n      pay_to: \"0x" + std::string(38, '0') + (i < 10 ? "0" : "") + std::to_string(i) + "\"\n";
  }
  WriteProject(yaml);
  LoadedConfig c;
  const Status s = Load(&c);
  ASSERT_EQ(s.code(), StatusCode::kConfig);
  EXPECT_NE(s.message().find("mock_server.accepts[32]"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("more than 32 payment options"), std::string::npos) << s.message();
}

// A token declared on a network of the table joins that network: another option (or a route's)
// names it by address alone.
TEST_F(ConfigLoaderTest, ATokenDeclaredOnABuiltInNetworkCanBeNamedByAddressElsewhere) {
  WriteProject(
      "mock_server:\n  accepts:\n    - network: polygon\n"
      "      asset: {address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\", decimals: 18, name: \"Mock USD\", version: \"1\", symbol: mUSD}\n"
      "  pricing:\n    per_resource:\n      /p: {price: 0.1, accepts: [{network: \"eip155:137\", asset: \"0x5fbdb2315678afecb367f032d93f642f64180aa3\"}]}\n");
  LoadedConfig c;
  const Status s = Load(&c);
  ASSERT_TRUE(s.ok()) << s.message();
  const Paywall paywall(c.config.mock_server);
  const auto offer = paywall.RequirementsFor("/p", "http://127.0.0.1:3402/p");
  ASSERT_EQ(offer.size(), 1u);
  EXPECT_EQ(offer[0].asset_symbol, "mUSD");
  EXPECT_EQ(offer[0].amount.units.ToDecimal(), "100000000000000000");
  // Polygon keeps USDC as its default asset.
  EXPECT_EQ(paywall.networks().Find("polygon")->default_asset().symbol, "USDC");
}

// X402_DEV_NETWORK (a stronger layer) replaces a file's list with the one option it names; a
// layer below the list does not.
TEST_F(ConfigLoaderTest, TheNetworkShorthandFromAStrongerLayerReplacesTheList) {
  WriteGlobal("mock_server:\n  network: base\n");
  WriteProject("mock_server:\n  accepts:\n    - network: polygon\n    - network: sei\n");
  LoadedConfig from_files;
  ASSERT_TRUE(Load(&from_files).ok());
  EXPECT_EQ(from_files.config.mock_server.accepts.size(), 2u);

  env_["X402_DEV_NETWORK"] = "eip155:42161";
  LoadedConfig from_env;
  ASSERT_TRUE(Load(&from_env).ok());
  EXPECT_TRUE(from_env.config.mock_server.accepts.empty());
  EXPECT_EQ(from_env.config.mock_server.network, "eip155:42161");  // no v1 name: the CAIP-2 id
  EXPECT_EQ(from_env.origins.count("mock_server.accepts[0]"), 0u);

  LoadOptions o = Options();
  o.flags.push_back(Flag("mock_server.network", "polygon", "--network"));
  LoadedConfig from_flag;
  ASSERT_TRUE(LoadConfig(o, &from_flag).ok());
  EXPECT_EQ(from_flag.config.mock_server.network, "polygon");
}

TEST_F(ConfigLoaderTest, ARuleCarriesItsOwnModeAndPaymentIdentifierPolicy) {
  WriteGlobal("mock_server:\n  pricing:\n    per_resource:\n"
              "      /slow: {price: 0.05, simulation_mode: lost-response, payment_identifier: required}\n"
              "      /plain: 0.01\n");
  LoadedConfig c;
  ASSERT_TRUE(Load(&c).ok());
  const auto& rules = c.config.mock_server.pricing.per_resource;
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].simulation_mode, SimulationMode::kLostResponse);
  EXPECT_EQ(rules[0].payment_identifier, PaymentIdentifierPolicy::kRequired);
  EXPECT_FALSE(rules[1].simulation_mode.has_value());
  // A stronger file that rewrites the rule drops what it does not say again.
  WriteProject("mock_server:\n  pricing:\n    per_resource:\n      /slow: 0.02\n");
  LoadedConfig again;
  ASSERT_TRUE(Load(&again).ok());
  EXPECT_FALSE(again.config.mock_server.pricing.per_resource[0].simulation_mode.has_value());
  EXPECT_FALSE(again.config.mock_server.pricing.per_resource[0].payment_identifier.has_value());
}

TEST_F(ConfigLoaderTest, ADiscoveryDeclarationKeepsItsJsonTypesAndDepth) {
  WriteProject("mock_server:\n  pricing:\n    per_resource:\n      /w:\n        price: 0.01\n        discovery:\n"
               "          query: {days: 3, exact: true, code: \"007\", none: ~}\n"
               "          output: {a: {b: {c: {d: {e: 1.5}}}}}\n");
  LoadedConfig c;
  ASSERT_TRUE(Load(&c).ok());
  const auto& rule = c.config.mock_server.pricing.per_resource.at(0);
  ASSERT_TRUE(rule.discovery);
  EXPECT_EQ(rule.discovery->input_json, R"({"days":3,"exact":true,"code":"007","none":null})");
  EXPECT_EQ(rule.discovery->output_json, R"({"a":{"b":{"c":{"d":{"e":1.5E0}}}}})");
}

TEST_F(ConfigLoaderTest, ARuleRedefinedByAStrongerFileLosesItsOptions) {
  WriteGlobal("mock_server:\n  pricing:\n    per_resource:\n      /x: {price: 0.05, accepts: [{network: polygon}]}\n");
  WriteProject("mock_server:\n  pricing:\n    per_resource:\n      /x: 0.02\n");
  LoadedConfig c;
  ASSERT_TRUE(Load(&c).ok());
  ASSERT_EQ(c.config.mock_server.pricing.per_resource.size(), 1u);
  EXPECT_EQ(FormatUsd(c.config.mock_server.pricing.per_resource[0].price), "0.02");
  EXPECT_TRUE(c.config.mock_server.pricing.per_resource[0].accepts.empty());
}

TEST_F(ConfigLoaderTest, TheTemplateOfAConfigWithOptionsReadsBackTheSame) {
  WriteProject(
      "mock_server:\n  accepts:\n    - network: base\n    - network: \"eip155:31337\"\n"
      "      asset: {address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\", decimals: 18, name: \"Mock \\\"USD\\\"\", version: \"1\"}\n"
      "  pricing:\n    per_resource:\n      /p: {price: 0.1, simulation_mode: pending, payment_identifier: optional, "
      "accepts: [{network: polygon, pay_to: \"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\"}]}\n"
      "      /q: {price: 0.2, simulation_mode: slow}\n"
      "      /w:\n        price: 0.01\n        discovery:\n          description: \"Weather: \\\"today\\\"\"\n"
      "          query: {city: London, days: 3, exact: true, code: \"007\"}\n"
      "          query_schema: {properties: {city: {type: string, enum: [London, Paris]}}, required: [city]}\n"
      "          output: {t: 12.5, list: [1, 2], nested: {a: {b: {c: {d: deep}}}}}\n"
      "          tags: [weather]\n"
      "        sign_in_with_x: {statement: Sign in to read, expiration_seconds: 60}\n"
      "      /v: {price: 0.01, sign_in_with_x: true}\n");
  LoadedConfig original;
  ASSERT_TRUE(Load(&original).ok());
  WriteProject(RenderConfigTemplate(original.config));
  LoadedConfig again;
  ASSERT_TRUE(Load(&again).ok()) << RenderConfigTemplate(original.config);
  // The same options (their origins, the lines they were read from, aside).
  auto without_origins = [](MockServerConfig m) {
    for (OptionSpec& o : m.accepts) o.origin.clear();
    for (PriceRule& rule : m.pricing.per_resource) {
      for (OptionSpec& o : rule.accepts) o.origin.clear();
    }
    return m;
  };
  const MockServerConfig a = without_origins(again.config.mock_server);
  const MockServerConfig b = without_origins(original.config.mock_server);
  EXPECT_EQ(a.pricing.per_resource, b.pricing.per_resource);
  EXPECT_EQ(a.accepts, b.accepts);
  ASSERT_EQ(a.accepts.size(), 2u);
}

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
  config.mock_server.pricing.per_resource = {PriceRule::Priced("/x/*", AtomicAmount{5})};
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
