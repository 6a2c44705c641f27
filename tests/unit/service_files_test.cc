#include <gtest/gtest.h>

#include "state/launch_spec.h"
#include "service/unit_file.h"
#include "service/windows_service_state.h"

namespace x402 {
namespace {

TEST(SystemdUnitTest, RunsThisBinaryAsANotifyServiceWithTheLaunchSpec) {
  const std::string unit = RenderSystemdUnit("/opt/x402/bin/x402-dev");
  for (const char* line :
       {"Type=notify\n", "NotifyAccess=main\n",
        "ExecStart=/opt/x402/bin/x402-dev mock --launch-spec %h/.x402dev/launch-spec.json\n",
        "ExecReload=/bin/kill -HUP $MAINPID\n", "Restart=on-failure\n",
        "RestartPreventExitStatus=2 3\n", "TimeoutStopSec=15\n", "WantedBy=default.target\n",
        "Description=", "Documentation=", "NoNewPrivileges=yes\n",
        "Environment=X402_DEV_LAUNCHED_BY=systemd\n"}) {
    EXPECT_NE(unit.find(line), std::string::npos) << line;
  }
  // Directives that need user namespaces in a user manager would break the unit where
  // they are off; they must not be in the default unit.
  for (const char* absent : {"ProtectSystem=", "ProtectHome=", "PrivateTmp=", "PrivateNetwork="}) {
    EXPECT_EQ(unit.find(std::string("\n") + absent), std::string::npos) << absent;  // a directive line, not a comment
  }
}

TEST(SystemdUnitTest, IsTheSameTextForTheSameBinary) {
  // No per-start content: a start must not need a daemon-reload.
  EXPECT_EQ(RenderSystemdUnit("/usr/bin/x402-dev"), RenderSystemdUnit("/usr/bin/x402-dev"));
  EXPECT_NE(RenderSystemdUnit("/usr/bin/x402-dev"), RenderSystemdUnit("/usr/local/bin/x402-dev"));
}

// Issue 16, item 8: the path went into ExecStart= raw. systemd.syntax(7): a word with a space
// must be quoted, `"` and `\` escaped inside the quotes; systemd.unit(5): `%` starts a
// specifier everywhere on the line, `%%` is a literal one.
TEST(SystemdUnitTest, QuotesAndEscapesTheBinaryPathForExecStart) {
  EXPECT_EQ(SystemdExecPath("/usr/bin/x402-dev"), "/usr/bin/x402-dev");  // plain: unchanged
  EXPECT_EQ(SystemdExecPath("/opt/my tools/x402-dev"), "\"/opt/my tools/x402-dev\"");
  EXPECT_EQ(SystemdExecPath("/opt/100%/x402-dev"), "\"/opt/100%%/x402-dev\"");
  EXPECT_EQ(SystemdExecPath("/opt/%h/x402-dev"), "\"/opt/%%h/x402-dev\"");
  EXPECT_EQ(SystemdExecPath("/opt/a\"b\\c/x"), "\"/opt/a\\\"b\\\\c/x\"");
  EXPECT_EQ(SystemdExecPath("/opt/a;b/x"), "\"/opt/a;b/x\"");
  EXPECT_EQ(SystemdExecPath("/opt/tab\there/x"), "\"/opt/tab\\x09here/x\"");
  EXPECT_EQ(SystemdExecPath("/opt/$HOME/x"), "\"/opt/$HOME/x\"");  // the program path is not expanded

  const std::string unit = RenderSystemdUnit("/home/me/my tools %i/x402-dev");
  EXPECT_NE(unit.find("\nExecStart=\"/home/me/my tools %%i/x402-dev\" mock --launch-spec "
                      "%h/.x402dev/launch-spec.json\n"),
            std::string::npos)
      << unit;

  // A line break would end ExecStart= and start a line of its own: refused, and even if
  // rendered it stays one escaped line.
  EXPECT_EQ(SystemdExecPathProblem("/usr/bin/x402-dev"), "");
  EXPECT_EQ(SystemdExecPathProblem("/opt/my tools %/x402-dev"), "");
  EXPECT_NE(SystemdExecPathProblem("/tmp/x\nExecStartPre=/bin/evil\n/x402-dev"), "");
  EXPECT_NE(SystemdExecPathProblem("/tmp/x\r/x402-dev"), "");
  const std::string injected = RenderSystemdUnit("/tmp/x\nExecStartPre=/bin/evil/x402-dev");
  EXPECT_EQ(injected.find("\nExecStartPre="), std::string::npos) << injected;
}

TEST(LaunchSpecTest, RoundTripsArgsEnvironmentAndDirectory) {
  LaunchSpec spec;
  spec.working_directory = "/home/me/app with space";
  spec.args = {"--port", "4020", "--config", "/home/me/app/x.yaml"};
  spec.env = {{"X402_DEV_PRICING", "0.05"}, {"X402_DEV_SIMULATION_MODE", "failure"}};
  const auto parsed = ParseLaunchSpec(SerializeLaunchSpec(spec));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->working_directory, spec.working_directory);
  EXPECT_EQ(parsed->args, spec.args);
  EXPECT_EQ(parsed->env, spec.env);
  EXPECT_FALSE(ParseLaunchSpec("[]"));
  EXPECT_FALSE(ParseLaunchSpec("{\"args\":[1]}"));
}

TEST(LaunchSpecTest, KeepsOnlyTheConfigurationVariables) {
  const EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "X402_DEV_PORT") return "4020";
    if (name == "X402_DEV_CONFIG") return "/p/ci.yaml";
    if (name == "HOME") return "/home/me";
    return std::nullopt;
  };
  const auto kept = ConfigEnvironment(env);
  EXPECT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept.at("X402_DEV_PORT"), "4020");
  EXPECT_EQ(kept.at("X402_DEV_CONFIG"), "/p/ci.yaml");
}

TEST(WindowsServiceStateTest, MapsTheScmStatesToTheContract) {
  EXPECT_EQ(MapScmState(1), ScmState::kStopped);
  EXPECT_EQ(MapScmState(4), ScmState::kRunning);
  EXPECT_EQ(MapScmState(2), ScmState::kStartPending);
  EXPECT_EQ(MapScmState(99), ScmState::kUnknown);
  EXPECT_TRUE(CountsAsRunning(ScmState::kRunning));
  EXPECT_TRUE(CountsAsRunning(ScmState::kPaused));
  EXPECT_FALSE(CountsAsRunning(ScmState::kStopped));
  EXPECT_FALSE(CountsAsRunning(ScmState::kStartPending));
  EXPECT_EQ(ToString(MapScmState(3)), "STOP_PENDING");
}

TEST(WindowsServiceStateTest, RecoversTheServersExitCodeFromTheServiceStatus) {
  EXPECT_EQ(ServiceExitCode(1066, 2), 2);  // ERROR_SERVICE_SPECIFIC_ERROR: port in use
  EXPECT_EQ(ServiceExitCode(1066, 3), 3);
  EXPECT_EQ(ServiceExitCode(0, 0), 0);
  EXPECT_EQ(ServiceExitCode(1067, 0), 3);  // ERROR_PROCESS_ABORTED: a crash
}

}  // namespace
}  // namespace x402
