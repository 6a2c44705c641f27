// The .deb, installed for real: `dpkg -i`, the packaged binary and unit under a real systemd
// user manager, a 402 from the packaged server, then `dpkg -r` and nothing left behind. Run by
// tests/packaging/package_test.sh, which builds the package and names it in X402_DEB.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "server_process.h"
#include "systemd_harness.h"

namespace x402::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBinary = "/usr/bin/x402-dev";
constexpr const char* kUnit = "/usr/lib/systemd/user/x402-mock.service";
constexpr const char* kTemplateUnit = "/usr/lib/systemd/user/x402-mock@.service";

int Shell(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

class PackageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* deb = std::getenv("X402_DEB");
    if (deb == nullptr) GTEST_SKIP() << "X402_DEB is not set: run tests/packaging/package_test.sh";
    ASSERT_EQ(Shell("dpkg -s x402-dev"), 256) << "x402-dev is already installed; not touching it";
    ASSERT_EQ(Shell(std::string("dpkg -i '") + deb + "'"), 0);
    installed_ = true;
  }
  void TearDown() override {
    if (installed_) Shell("dpkg -r x402-dev");
  }
  bool installed_ = false;
};

TEST_F(PackageTest, InstallsServesThroughThePackagedUnitAndRemovesCleanly) {
  TempDir home;
  const RunResult version = RunBinary(kBinary, home.path(), {"version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("x402-dev 0.1.0"), std::string::npos) << version.out;
  ASSERT_TRUE(fs::exists(kUnit));
  {
    std::ifstream in(kUnit);
    std::stringstream unit;
    unit << in.rdbuf();
    EXPECT_NE(unit.str().find("ExecStart=/usr/bin/x402-dev mock --launch-spec"), std::string::npos);
  }
  for (const char* path : {"/usr/share/man/man1/x402-dev.1.gz", "/usr/share/bash-completion/completions/x402-dev",
                           "/usr/share/zsh/vendor-completions/_x402-dev",
                           "/usr/share/fish/vendor_completions.d/x402-dev.fish",
                           "/usr/share/doc/x402-dev/copyright"}) {
    EXPECT_TRUE(fs::exists(path)) << path;
  }

  {
    SystemdUserManager manager;
    ASSERT_TRUE(manager.ok()) << manager.why();
    std::vector<std::string> env = manager.Env();
    env.push_back("HOME=" + manager.home().string());
    const uint16_t port = FreePort();
    const RunResult start = RunBinary(kBinary, manager.home(), {"mock", "start", "--port", std::to_string(port)}, env);
    ASSERT_EQ(start.exit_code, 0) << start.err;
    EXPECT_NE(start.out.find("backend systemd"), std::string::npos) << start.out;
    std::string fragment;
    manager.Systemctl("show -p FragmentPath --value x402-mock", &fragment);
    EXPECT_EQ(fragment, std::string(kUnit) + "\n");  // the packaged unit, none written to ~/.config
    EXPECT_FALSE(fs::exists(manager.home() / ".config/systemd/user/x402-mock.service"));
    EXPECT_EQ(Get(port, "/api/data").result(), http::status::payment_required);
    // A named instance runs from the packaged template unit.
    const uint16_t named_port = FreePort();
    const RunResult named = RunBinary(
        kBinary, manager.home(), {"mock", "start", "--name", "pkg", "--port", std::to_string(named_port)}, env);
    ASSERT_EQ(named.exit_code, 0) << named.err;
    manager.Systemctl("show -p FragmentPath --value x402-mock@pkg", &fragment);
    EXPECT_EQ(fragment, std::string(kTemplateUnit) + "\n");
    EXPECT_FALSE(fs::exists(manager.home() / ".config/systemd/user/x402-mock@.service"));
    EXPECT_EQ(Get(named_port, "/api/data").result(), http::status::payment_required);
    EXPECT_EQ(RunBinary(kBinary, manager.home(), {"mock", "stop", "--all"}, env).exit_code, 0);
  }

  ASSERT_EQ(Shell("dpkg -r x402-dev"), 0);
  installed_ = false;
  EXPECT_FALSE(fs::exists(kBinary));
  EXPECT_FALSE(fs::exists(kUnit));
  EXPECT_FALSE(fs::exists(kTemplateUnit));
  EXPECT_EQ(Shell("dpkg -s x402-dev"), 256);
}

}  // namespace
}  // namespace x402::testing
