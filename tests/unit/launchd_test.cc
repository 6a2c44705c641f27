// The launchd backend's portable parts: the plist (parsed back by Python's plistlib, a real
// plist parser), `launchctl print` parsing on realistic samples, and the launchctl argument
// vectors of each operation, against a fake launchctl.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "base/file.h"
#include "service/launchctl_print.h"
#include "service/launchd_plist.h"
#include "service/launchd_service_manager.h"
#include "state/server_state.h"

namespace x402 {
namespace {

namespace fs = std::filesystem;

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(X402_TEST_DATA_DIR) + "/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(LaunchdPlistTest, ParsesBackWithARealPlistParser) {
  LaunchAgentSpec spec;
  spec.binary = "/Users/dev/bin/x402 & co/x402-dev";  // characters XML must escape
  spec.home = "/Users/dev <test>";
  spec.run_at_load = true;
  const std::string plist = RenderLaunchAgentPlist(spec);
  std::string pattern = (fs::temp_directory_path() / "x402-plist-XXXXXX").string();
  const fs::path dir = mkdtemp(pattern.data());
  std::ofstream(dir / "agent.plist") << plist;
  // plistlib raises on malformed XML; the script prints the fields we rely on.
  const std::string script =
      "import plistlib,sys\n"
      "p=plistlib.load(open(sys.argv[1],'rb'))\n"
      "assert p['Label']=='dev.x402.mock'\n"
      "assert p['ProgramArguments']==['/Users/dev/bin/x402 & co/x402-dev','mock','--launch-spec',"
      "'/Users/dev <test>/.x402dev/launch-spec.json'], p['ProgramArguments']\n"
      "assert p['RunAtLoad'] is True\n"
      "assert p['KeepAlive']=={'SuccessfulExit': False}\n"
      "assert p['ThrottleInterval']==10 and p['ProcessType']=='Background'\n"
      "assert p['StandardOutPath'].startswith('/Users/dev <test>/.x402dev/logs/')\n"
      "assert p['StandardErrorPath'].startswith('/Users/dev <test>/.x402dev/logs/')\n"
      "assert p['EnvironmentVariables']['X402_DEV_LAUNCHED_BY']=='launchd'\n";
  std::ofstream(dir / "check.py") << script;
  const std::string command = "python3 '" + (dir / "check.py").string() + "' '" +
                              (dir / "agent.plist").string() + "' 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << plist;
  fs::remove_all(dir);
}

TEST(LaunchdPlistTest, ANamedInstanceHasItsOwnLabelArgumentsAndFolder) {
  LaunchAgentSpec spec{"/usr/local/bin/x402-dev", "/Users/dev", false, Instance()};
  ASSERT_TRUE(Instance::Parse("staging", &spec.instance).ok());
  const std::string plist = RenderLaunchAgentPlist(spec);
  EXPECT_NE(plist.find("<string>dev.x402.mock.staging</string>"), std::string::npos) << plist;
  EXPECT_NE(plist.find("\t\t<string>--name</string>\n\t\t<string>staging</string>\n"
                       "\t\t<string>--launch-spec</string>\n"
                       "\t\t<string>/Users/dev/.x402dev/instances/staging/launch-spec.json</string>"),
            std::string::npos)
      << plist;
  EXPECT_NE(plist.find("/Users/dev/.x402dev/instances/staging/logs/launchd.err.log"),
            std::string::npos);
}

TEST(LaunchdPlistTest, RunAtLoadOnlyWhenEnabled) {
  LaunchAgentSpec spec{"/usr/local/bin/x402-dev", "/Users/dev", false, Instance()};
  EXPECT_NE(RenderLaunchAgentPlist(spec).find("<key>RunAtLoad</key>\n\t<false/>"), std::string::npos);
  EXPECT_EQ(XmlEscape("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&apos;");
}

TEST(LaunchctlPrintTest, ReadsARunningJob) {
  const auto job = ParseLaunchctlPrint(Fixture("launchctl_print_running.txt"));
  ASSERT_TRUE(job);
  EXPECT_EQ(job->state, "running");  // not the "state = 0" of a nested event trigger
  EXPECT_EQ(job->pid, 4242);
  EXPECT_EQ(job->runs, 3);
  EXPECT_EQ(job->last_exit_code, 0);
}

TEST(LaunchctlPrintTest, ReadsAnExitedJobAndItsExitCode) {
  const auto job = ParseLaunchctlPrint(Fixture("launchctl_print_exited.txt"));
  ASSERT_TRUE(job);
  EXPECT_EQ(job->state, "not running");
  EXPECT_EQ(job->pid, 0);
  EXPECT_EQ(job->last_exit_code, 2);
}

TEST(LaunchctlPrintTest, AnUnknownServiceIsNotAJob) {
  EXPECT_FALSE(ParseLaunchctlPrint(Fixture("launchctl_print_missing.txt")));
  EXPECT_FALSE(ParseLaunchctlPrint(""));
}

// A launchctl that answers from a script of (expected argv → result), and records calls.
class FakeLaunchctl : public ProcessRunner {
 public:
  ProcessResult Run(const std::vector<std::string>& argv) override {
    // A loop without a deadline would call forever: fail the test instead of hanging it.
    if (calls.size() > 100000) throw std::runtime_error("launchctl called 100000 times");
    calls.push_back(Join(argv));
    if (on_call) on_call(calls.back());
    const std::string verb = argv.size() > 1 ? argv[1] : "";
    if (verb == "print") {
      if (argv.size() > 2 && argv[2].find("dev.x402.mock") == std::string::npos) return {0, "gui/501 = {\n}\n"};
      return loaded ? ProcessResult{0, print_output} : ProcessResult{113, Fixture("launchctl_print_missing.txt")};
    }
    if (verb == "bootstrap") loaded = true;
    if (verb == "bootout" && bootout_unloads) loaded = false;
    if (verb == "bootout" && !bootout_unloads) return {bootout_exit_code, "Boot-out failed: 5: Input/output error\n"};
    return {0, ""};
  }
  static std::string Join(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
    return out;
  }
  std::vector<std::string> calls;
  bool loaded = false;
  bool bootout_unloads = true;  // false: the job stays (a process that ignores SIGTERM, a failing bootout)
  int bootout_exit_code = 0;
  std::string print_output;
  std::function<void(const std::string&)> on_call;
};

class LaunchdManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "x402-launchd-XXXXXX").string();
    home_ = mkdtemp(pattern.data());
    paths_ = StatePaths::ForHome(home_.string());
    LaunchdEnvironment env;
    env.uid = 501;
    env.home = home_.string();
    env.runner = &launchctl_;
    // Fake time: every wait advances the clock and nothing else, so deadlines are exact.
    env.sleep = [this](std::chrono::milliseconds d) { fake_now_ += d; };
    env.now = [this] { return fake_now_; };
    manager_ = CreateLaunchdServiceManager(env);
    request_.server_argv = {"/usr/local/bin/x402-dev", "mock", "--port", "4020"};
    request_.args = {"--port", "4020"};
    request_.host = "127.0.0.1";
    request_.port = 4020;
    request_.paths = paths_;
    request_.timeout = std::chrono::milliseconds(500);
    request_.working_directory = "/Users/dev/app";
  }
  void TearDown() override { fs::remove_all(home_); }

  std::chrono::steady_clock::time_point fake_now_{};
  fs::path home_;
  StatePaths paths_;
  FakeLaunchctl launchctl_;
  std::unique_ptr<ServiceManager> manager_;
  StartRequest request_;
};

TEST_F(LaunchdManagerTest, StartBootstrapsKickstartsAndWaitsForTheStateFile) {
  // When kickstarted, the "server" comes up: launchd reports its pid and it writes its state.
  launchctl_.on_call = [&](const std::string& call) {
    if (call.find("kickstart") == std::string::npos) return;
    launchctl_.print_output = Fixture("launchctl_print_running.txt");
    ServerState state;
    state.pid = 4242;
    state.port = 4020;
    ASSERT_TRUE(WriteServerState(paths_.state_file, state).ok());
  };
  int64_t pid = 0;
  const Status s = manager_->Start(request_, &pid);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(pid, 4242);
  const std::vector<std::string> expected_order = {
      "/bin/launchctl bootstrap gui/501 " + (home_ / "Library/LaunchAgents/dev.x402.mock.plist").string(),
      "/bin/launchctl kickstart -k gui/501/dev.x402.mock"};
  std::size_t found = 0;
  for (const auto& call : launchctl_.calls) {
    if (found < expected_order.size() && call == expected_order[found]) ++found;
  }
  EXPECT_EQ(found, expected_order.size()) << ::testing::PrintToString(launchctl_.calls);
  EXPECT_TRUE(fs::exists(home_ / "Library/LaunchAgents/dev.x402.mock.plist"));
  const auto spec = ReadWholeFile(paths_.launch_spec);
  ASSERT_TRUE(spec);
  EXPECT_NE(spec->find("\"--port\",\"4020\""), std::string::npos) << *spec;
}

TEST_F(LaunchdManagerTest, AServerThatExitsWithStatus2IsPortInUseAndIsBootedOut) {
  launchctl_.on_call = [&](const std::string& call) {
    if (call.find("kickstart") != std::string::npos) {
      launchctl_.print_output = Fixture("launchctl_print_exited.txt");
    }
  };
  int64_t pid = 0;
  const Status s = manager_->Start(request_, &pid);
  EXPECT_EQ(s.code(), StatusCode::kPortInUse) << s.ToString();
  EXPECT_FALSE(launchctl_.loaded) << "left loaded, launchd would respawn it";
}

TEST_F(LaunchdManagerTest, NotReadyInTimeIsATimeoutAndIsBootedOut) {
  int64_t pid = 0;
  const Status s = manager_->Start(request_, &pid);
  EXPECT_EQ(s.code(), StatusCode::kTimeout) << s.ToString();
  EXPECT_FALSE(launchctl_.loaded);
}

TEST_F(LaunchdManagerTest, StopBootsOutAndWaitsUntilLaunchdForgetsTheJob) {
  launchctl_.loaded = true;
  launchctl_.print_output = Fixture("launchctl_print_running.txt");
  bool killed = true;
  ASSERT_TRUE(manager_->Stop(4242, paths_, std::chrono::seconds(1), &killed).ok());
  EXPECT_FALSE(killed);
  EXPECT_EQ(launchctl_.calls.front(), "/bin/launchctl bootout gui/501/dev.x402.mock");
  EXPECT_NE(launchctl_.calls.back().find("print gui/501/dev.x402.mock"), std::string::npos);
}

// Issue 16, item 11: Stop returned 0 right after `launchctl kill SIGKILL`, before the process
// was gone. Now it waits, bounded, for launchd to let the job go.
TEST_F(LaunchdManagerTest, AJobKilledAfterTheTimeoutIsWaitedForBeforeStopReturns) {
  launchctl_.loaded = true;
  launchctl_.bootout_unloads = false;  // ignores SIGTERM
  launchctl_.print_output = Fixture("launchctl_print_running.txt");
  int looks_after_kill = -1;
  launchctl_.on_call = [&](const std::string& call) {
    if (call.find("kill SIGKILL") != std::string::npos) looks_after_kill = 0;
    if (looks_after_kill >= 0 && call.find(" print ") != std::string::npos &&
        ++looks_after_kill == 5) {
      launchctl_.loaded = false;  // the killed process has exited; launchd forgets the job
    }
  };
  bool killed = false;
  const auto started = fake_now_;
  const Status s = manager_->Stop(4242, paths_, std::chrono::seconds(1), &killed);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(killed);
  EXPECT_EQ(looks_after_kill, 5) << "returned before the killed job was gone";
  EXPECT_FALSE(launchctl_.loaded);
  EXPECT_GE(fake_now_ - started, std::chrono::seconds(1));  // the user's timeout came first
}

// A job that never goes (a wedged launchd, a bootout that fails): every wait has a deadline,
// and the caller gets kTimeout (exit 3), in bounded (fake) time, instead of a hang.
TEST_F(LaunchdManagerTest, AJobThatNeverUnloadsIsATimeoutNotAHang) {
  launchctl_.loaded = true;
  launchctl_.bootout_unloads = false;
  launchctl_.print_output = Fixture("launchctl_print_running.txt");
  bool killed = false;
  auto started = fake_now_;
  Status s = manager_->Stop(4242, paths_, std::chrono::seconds(2), &killed);
  EXPECT_EQ(s.code(), StatusCode::kTimeout) << s.ToString();
  EXPECT_TRUE(killed);
  EXPECT_NE(s.message().find("after SIGKILL"), std::string::npos) << s.message();
  EXPECT_LE(fake_now_ - started, std::chrono::seconds(2 + 10) + std::chrono::milliseconds(100));

  // install and uninstall boot a loaded job out first: bounded too, and a failing bootout
  // is named.
  launchctl_.bootout_exit_code = 5;
  started = fake_now_;
  s = manager_->Install(request_, /*enable=*/false);
  EXPECT_EQ(s.code(), StatusCode::kServiceManager) << s.ToString();
  EXPECT_NE(s.message().find("launchctl bootout failed (exit 5)"), std::string::npos) << s.message();
  EXPECT_LE(fake_now_ - started, std::chrono::seconds(31));
  launchctl_.bootout_exit_code = 0;
  started = fake_now_;
  s = manager_->Uninstall();
  EXPECT_EQ(s.code(), StatusCode::kTimeout) << s.ToString();
  EXPECT_LE(fake_now_ - started, std::chrono::seconds(31));
  EXPECT_TRUE(fs::exists(home_ / "Library/LaunchAgents/dev.x402.mock.plist"))
      << "the plist of a job launchd still runs was removed";
}

TEST_F(LaunchdManagerTest, ReloadSendsSighupThroughLaunchd) {
  ASSERT_TRUE(manager_->Reload(4242).ok());
  EXPECT_EQ(launchctl_.calls.back(), "/bin/launchctl kill SIGHUP gui/501/dev.x402.mock");
}

TEST_F(LaunchdManagerTest, InstallEnableWritesARunAtLoadPlistEnablesAndBootstraps) {
  ASSERT_TRUE(manager_->Install(request_, /*enable=*/true).ok());
  const auto plist = ReadWholeFile((home_ / "Library/LaunchAgents/dev.x402.mock.plist").string());
  ASSERT_TRUE(plist);
  EXPECT_NE(plist->find("<key>RunAtLoad</key>\n\t<true/>"), std::string::npos);
  EXPECT_NE(std::find(launchctl_.calls.begin(), launchctl_.calls.end(),
                      "/bin/launchctl enable gui/501/dev.x402.mock"),
            launchctl_.calls.end());
  EXPECT_TRUE(launchctl_.loaded);
  ASSERT_TRUE(manager_->Uninstall().ok());
  EXPECT_FALSE(fs::exists(home_ / "Library/LaunchAgents/dev.x402.mock.plist"));
  EXPECT_FALSE(launchctl_.loaded);
  EXPECT_EQ(launchctl_.calls.back(), "/bin/launchctl disable gui/501/dev.x402.mock");
}

TEST_F(LaunchdManagerTest, StatusReportsLaunchdsViewAndDisagreement) {
  launchctl_.loaded = true;
  launchctl_.print_output = Fixture("launchctl_print_running.txt");
  std::vector<std::string> lines;
  ASSERT_TRUE(manager_->Describe(4242, &lines).ok());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("running, pid 4242"), std::string::npos);
  lines.clear();
  ASSERT_TRUE(manager_->Describe(999, &lines).ok());
  EXPECT_EQ(lines.size(), 2u);
}

}  // namespace
}  // namespace x402
