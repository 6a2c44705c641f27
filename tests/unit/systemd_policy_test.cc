// The systemd backend's decisions (service/systemd_service_manager.cc) against a fake user
// manager (fakes/fake_systemd_bus.h): which jobs it runs in which order and with which
// timeouts, what it makes of a job's result and the unit's properties, and which files it
// writes. No root, no systemd; the real manager runs in tests/integration/systemd_test.cc.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/file.h"
#include "fakes/fake_systemd_bus.h"
#include "service/systemd_service_manager.h"
#include "service/unit_file.h"

namespace x402 {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeSystemdBus;
using Requests = std::vector<std::string>;

// How the bus answers a job that did not finish in time.
FakeSystemdBus::Job Late(const std::string& method) {
  return {Status::Timeout(method + " x402-mock.service did not finish in time"), ""};
}

class SystemdPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "x402-systemd-XXXXXX").string();
    root_ = mkdtemp(pattern.data());
    home_ = root_ / "home";
    fs::create_directories(home_);
    unit_dir_ = home_ / ".config" / "systemd" / "user";
    manager_ = Manager(Instance());
    request_ = Request(Instance());
  }
  void TearDown() override { fs::remove_all(root_); }

  // A manager of |instance| over a new fake bus (bus_), whose user manager runs with this
  // test's home and reads user units from its ~/.config/systemd/user.
  std::unique_ptr<ServiceManager> Manager(const Instance& instance) {
    auto bus = std::make_unique<FakeSystemdBus>();
    bus_ = bus.get();
    bus_->manager_strings["Environment"] = {"PATH=/usr/bin", "HOME=" + home_.string()};
    bus_->manager_strings["UnitPath"] = {"/etc/systemd/user", unit_dir_.string(),
                                         "/usr/lib/systemd/user"};
    bus_->unit_uint32s["MainPID"] = 4242;
    SystemdEnvironment env;
    env.instance = instance;
    env.bus = std::move(bus);
    env.account_home = [this] {
      ++account_home_asked_;
      return account_home_;
    };
    env.packaged_unit_directory = (root_ / "packaged").string();  // empty unless a test fills it
    return CreateSystemdServiceManager(std::move(env));
  }

  StartRequest Request(const Instance& instance) const {
    StartRequest request;
    request.server_argv = {"/usr/local/bin/x402-dev", "mock", "--port", "4020"};
    request.args = {"--port", "4020"};
    request.host = "127.0.0.1";
    request.port = 4020;
    request.paths = instance.Paths(home_.string());
    request.timeout = seconds(2);
    request.working_directory = "/home/dev/app";
    return request;
  }

  // The unit file the manager reads for |file_name|, or nullopt when there is none.
  std::optional<std::string> UnitFile(const std::string& file_name = "x402-mock.service") const {
    return ReadWholeFile((unit_dir_ / file_name).string());
  }

  fs::path root_, home_, unit_dir_;
  std::string account_home_;
  int account_home_asked_ = 0;
  FakeSystemdBus* bus_ = nullptr;  // owned by manager_
  std::unique_ptr<ServiceManager> manager_;
  StartRequest request_;
};

TEST_F(SystemdPolicyTest, StartWritesTheUnitResetsAFailedUnitThenStartsItAndReturnsMainPid) {
  int64_t pid = 0;
  const Status s = manager_->Start(request_, &pid);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(pid, 4242);
  EXPECT_EQ(bus_->requests, (Requests{"Reload", "ResetFailedUnit x402-mock.service",
                                      "StartUnit x402-mock.service"}));
  EXPECT_EQ(bus_->job_timeouts, std::vector<milliseconds>{request_.timeout});
  EXPECT_EQ(UnitFile(), RenderSystemdUnit("/usr/local/bin/x402-dev"));
  const auto spec = ReadWholeFile(request_.paths.launch_spec);
  ASSERT_TRUE(spec);
  EXPECT_NE(spec->find("\"--port\",\"4020\""), std::string::npos) << *spec;
  EXPECT_EQ(manager_->name(), "systemd");
}

TEST_F(SystemdPolicyTest, TheUnitIsWrittenAndReloadedOnlyWhenItChanged) {
  int64_t pid = 0;
  ASSERT_TRUE(manager_->Start(request_, &pid).ok());
  bus_->requests.clear();
  ASSERT_TRUE(manager_->Start(request_, &pid).ok());
  EXPECT_EQ(bus_->requests, (Requests{"ResetFailedUnit x402-mock.service",
                                      "StartUnit x402-mock.service"}));
  // Another binary: a new unit, which the manager must load before the job.
  request_.server_argv.front() = "/opt/x402/bin/x402-dev";
  bus_->requests.clear();
  ASSERT_TRUE(manager_->Start(request_, &pid).ok());
  EXPECT_EQ(bus_->requests.front(), "Reload");
  EXPECT_EQ(UnitFile(), RenderSystemdUnit("/opt/x402/bin/x402-dev"));
}

TEST_F(SystemdPolicyTest, AFailedStartJobIsExit3WithTheUnitsWordsAndLeavesNothingBehind) {
  bus_->jobs["StartUnit"] = {{Status::Ok(), "failed"}};
  bus_->unit_int32s["ExecMainStatus"] = 1;
  bus_->unit_strings["Result"] = "exit-code";
  // The server writes its reasons to its log before it exits; the message ends with the last 5.
  bus_->on_request = [&](const std::string& request) {
    if (request != "StartUnit x402-mock.service") return;
    std::ofstream log(request_.paths.log_file);
    for (int i = 1; i <= 7; ++i) log << "log line " << i << "\n";
  };
  int64_t pid = 0;
  const Status s = manager_->Start(request_, &pid);
  EXPECT_EQ(s.code(), StatusCode::kServiceManager) << s.ToString();  // exit 3
  EXPECT_EQ(s.message(),
            "systemd could not start x402-mock.service: job failed, result exit-code, exit status 1"
            "\n  log line 3\n  log line 4\n  log line 5\n  log line 6\n  log line 7");
  EXPECT_EQ(s.hint(), "see `journalctl --user -u x402-mock.service`");
  // A restart systemd may have scheduled is cancelled (a stop job), and the unit is not left
  // "failed" for the next start.
  EXPECT_EQ(bus_->requests, (Requests{"Reload", "ResetFailedUnit x402-mock.service",
                                      "StartUnit x402-mock.service", "StopUnit x402-mock.service",
                                      "ResetFailedUnit x402-mock.service"}));
  EXPECT_EQ(bus_->job_timeouts.back(), seconds(20));
  EXPECT_EQ(pid, 0);
}

TEST_F(SystemdPolicyTest, ExecMainStatus2IsPortInUse) {
  bus_->jobs["StartUnit"] = {{Status::Ok(), "failed"}};
  bus_->unit_int32s["ExecMainStatus"] = 2;  // the contract's "port in use" (the server's exit 2)
  bus_->unit_strings["Result"] = "exit-code";
  int64_t pid = 0;
  const Status s = manager_->Start(request_, &pid);
  EXPECT_EQ(s.code(), StatusCode::kPortInUse) << s.ToString();  // exit 2
  EXPECT_NE(s.message().find("4020"), std::string::npos) << s.message();
  EXPECT_EQ(bus_->requests.back(), "ResetFailedUnit x402-mock.service");
  EXPECT_EQ(bus_->requests[bus_->requests.size() - 2], "StopUnit x402-mock.service");
}

TEST_F(SystemdPolicyTest, AFailedStartWithoutTheUnitsPropertiesStillSaysWhatItKnows) {
  bus_->jobs["StartUnit"] = {{Status::Ok(), "dependency"}};
  int64_t pid = 0;
  const Status s = manager_->Start(request_, &pid);
  EXPECT_EQ(s.code(), StatusCode::kServiceManager) << s.ToString();
  EXPECT_EQ(s.message(), "systemd could not start x402-mock.service: job dependency, result , "
                         "exit status 0");
}

TEST_F(SystemdPolicyTest, AStartThatIsNotReadyInTimeIsStoppedAndIsATimeout) {
  bus_->jobs["StartUnit"] = {Late("StartUnit")};
  int64_t pid = 0;
  const Status s = manager_->Start(request_, &pid);
  EXPECT_EQ(s.code(), StatusCode::kTimeout) << s.ToString();  // exit 3
  EXPECT_EQ(s.message(), "the server did not become ready within 2 s");
  EXPECT_EQ(s.hint(),
            "see `journalctl --user -u x402-mock.service` and " + request_.paths.log_file);
  EXPECT_EQ(bus_->requests.back(), "StopUnit x402-mock.service");
  EXPECT_EQ(bus_->job_timeouts, (std::vector<milliseconds>{request_.timeout, seconds(20)}));
}

TEST_F(SystemdPolicyTest, AStartJobTheManagerRefusesIsItsErrorAndNothingIsStopped) {
  const Status masked = Status::ServiceManager("StartUnit: Unit x402-mock.service is masked.");
  bus_->jobs["StartUnit"] = {{masked, ""}};
  int64_t pid = 0;
  const Status s = manager_->Start(request_, &pid);
  EXPECT_EQ(s.code(), StatusCode::kServiceManager);
  EXPECT_EQ(s.message(), "StartUnit: Unit x402-mock.service is masked.");
  EXPECT_EQ(bus_->requests.back(), "StartUnit x402-mock.service");
}

TEST_F(SystemdPolicyTest, AStartedUnitWhoseMainPidCannotBeReadIsAnError) {
  bus_->unit_uint32s.erase("MainPID");
  int64_t pid = 0;
  const Status s = manager_->Start(request_, &pid);
  EXPECT_EQ(s.code(), StatusCode::kServiceManager) << s.ToString();
  EXPECT_NE(s.message().find("MainPID"), std::string::npos) << s.message();
}

TEST_F(SystemdPolicyTest, RestartIsOneRestartUnitJobAfterTheNewLaunchSpecIsWritten) {
  request_.args = {"--port", "4021"};
  request_.port = 4021;
  std::optional<std::string> spec_at_restart;
  bus_->on_request = [&](const std::string& request) {
    if (request == "RestartUnit x402-mock.service") {
      spec_at_restart = ReadWholeFile(request_.paths.launch_spec);
    }
  };
  int64_t pid = 0;
  const Status s = manager_->Restart(request_, 4000, seconds(5), &pid);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(pid, 4242);
  EXPECT_EQ(bus_->requests, (Requests{"Reload", "ResetFailedUnit x402-mock.service",
                                      "RestartUnit x402-mock.service"}));
  ASSERT_TRUE(spec_at_restart);
  EXPECT_NE(spec_at_restart->find("\"--port\",\"4021\""), std::string::npos) << *spec_at_restart;
}

TEST_F(SystemdPolicyTest, AFailedRestartJobIsReportedLikeAFailedStart) {
  bus_->jobs["RestartUnit"] = {{Status::Ok(), "failed"}};
  bus_->unit_int32s["ExecMainStatus"] = 2;
  int64_t pid = 0;
  const Status s = manager_->Restart(request_, 4000, seconds(5), &pid);
  EXPECT_EQ(s.code(), StatusCode::kPortInUse) << s.ToString();
  EXPECT_EQ(bus_->requests.back(), "ResetFailedUnit x402-mock.service");
}

TEST_F(SystemdPolicyTest, StopRunsAStopJobWithTheUsersTimeoutThenResetsFailed) {
  bool killed = true;
  const Status s = manager_->Stop(4242, request_.paths, seconds(7), &killed);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_FALSE(killed);
  EXPECT_EQ(bus_->requests, (Requests{"StopUnit x402-mock.service",
                                      "ResetFailedUnit x402-mock.service"}));
  EXPECT_EQ(bus_->job_timeouts, std::vector<milliseconds>{seconds(7)});
}

TEST_F(SystemdPolicyTest, AStopPastTheTimeoutKillsTheUnitAndWaitsForTheStopJob) {
  bus_->jobs["StopUnit"] = {Late("StopUnit")};
  bool killed = false;
  const Status s = manager_->Stop(4242, request_.paths, seconds(3), &killed);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(killed);
  EXPECT_EQ(bus_->requests, (Requests{"StopUnit x402-mock.service",
                                      "KillUnit x402-mock.service SIGKILL",
                                      "StopUnit x402-mock.service",
                                      "ResetFailedUnit x402-mock.service"}));
  EXPECT_EQ(bus_->job_timeouts, (std::vector<milliseconds>{seconds(3), seconds(10)}));
}

TEST_F(SystemdPolicyTest, AStopJobThatOutlivesTheKillIsATimeout) {
  bus_->jobs["StopUnit"] = {Late("StopUnit"), Late("StopUnit")};
  bool killed = false;
  const Status s = manager_->Stop(4242, request_.paths, seconds(3), &killed);
  EXPECT_EQ(s.code(), StatusCode::kTimeout) << s.ToString();
  EXPECT_TRUE(killed);
  EXPECT_EQ(bus_->requests.back(), "StopUnit x402-mock.service");
}

TEST_F(SystemdPolicyTest, AKillTheManagerRefusesIsItsErrorAndNothingWasKilled) {
  bus_->jobs["StopUnit"] = {Late("StopUnit")};
  bus_->kill_result = Status::ServiceManager("KillUnit: Access denied");
  bool killed = true;
  const Status s = manager_->Stop(4242, request_.paths, seconds(3), &killed);
  EXPECT_EQ(s.message(), "KillUnit: Access denied");
  EXPECT_FALSE(killed);
  EXPECT_EQ(bus_->requests.back(), "KillUnit x402-mock.service SIGKILL");
}

TEST_F(SystemdPolicyTest, ReloadIsAReloadJobAndAJobThatIsNotDoneIsAnError) {
  ASSERT_TRUE(manager_->Reload(4242).ok());
  EXPECT_EQ(bus_->requests, Requests{"ReloadUnit x402-mock.service"});
  EXPECT_EQ(bus_->job_timeouts, std::vector<milliseconds>{seconds(30)});

  bus_->jobs["ReloadUnit"] = {{Status::Ok(), "failed"}};
  const Status s = manager_->Reload(4242);
  EXPECT_EQ(s.code(), StatusCode::kServiceManager);
  EXPECT_EQ(s.message(), "systemd reload job ended: failed");
}

TEST_F(SystemdPolicyTest, InstallWritesTheUnitAndEnablesItOnlyWhenAsked) {
  ASSERT_TRUE(manager_->Install(request_, /*enable=*/false).ok());
  EXPECT_EQ(bus_->requests, Requests{"Reload"});
  EXPECT_EQ(UnitFile(), RenderSystemdUnit("/usr/local/bin/x402-dev"));
  EXPECT_TRUE(fs::exists(request_.paths.launch_spec));

  bus_->requests.clear();
  ASSERT_TRUE(manager_->Install(request_, /*enable=*/true).ok());
  EXPECT_EQ(bus_->requests, Requests{"EnableUnitFiles x402-mock.service"});
  EXPECT_TRUE(bus_->job_timeouts.empty()) << "install started something";
}

TEST_F(SystemdPolicyTest, APackagedUnitIsUsedInsteadOfWritingOne) {
  fs::create_directories(root_ / "packaged");
  std::ofstream(root_ / "packaged" / "x402-mock.service") << "[Service]\n";
  int64_t pid = 0;
  ASSERT_TRUE(manager_->Start(request_, &pid).ok());
  EXPECT_FALSE(UnitFile()) << "a user unit would hide the package's";
  EXPECT_EQ(bus_->requests, (Requests{"ResetFailedUnit x402-mock.service",
                                      "StartUnit x402-mock.service"}));
  // One the user already has stays the one that counts, and is kept up to date.
  fs::create_directories(unit_dir_);
  std::ofstream(unit_dir_ / "x402-mock.service") << "[Service]\nExecStart=/old/x402-dev\n";
  ASSERT_TRUE(manager_->Start(request_, &pid).ok());
  EXPECT_EQ(UnitFile(), RenderSystemdUnit("/usr/local/bin/x402-dev"));
}

TEST_F(SystemdPolicyTest, TheUnitGoesToTheManagersFirstPerUserUnitDirectory) {
  const fs::path xdg = root_ / "xdg" / "systemd" / "user";
  bus_->manager_strings["UnitPath"] = {"/etc/systemd/user", "/run/user/0/systemd/user",
                                       xdg.string(), unit_dir_.string(), "/usr/lib/systemd/user"};
  int64_t pid = 0;
  ASSERT_TRUE(manager_->Start(request_, &pid).ok());
  EXPECT_TRUE(fs::exists(xdg / "x402-mock.service"));
  EXPECT_FALSE(UnitFile());

  // Without a UnitPath: systemd's default under the manager's home.
  auto manager = Manager(Instance());
  bus_->manager_strings.erase("UnitPath");
  ASSERT_TRUE(manager->Install(request_, false).ok());
  EXPECT_EQ(UnitFile(), RenderSystemdUnit("/usr/local/bin/x402-dev"));
}

TEST_F(SystemdPolicyTest, AHomeOtherThanTheManagersIsRefusedBeforeAnythingIsWritten) {
  bus_->manager_strings["Environment"] = {"HOME=/home/someone-else"};
  int64_t pid = 0;
  const Status s = manager_->Start(request_, &pid);
  EXPECT_EQ(s.code(), StatusCode::kServiceManager) << s.ToString();
  EXPECT_EQ(s.message(),
            "the systemd user manager runs with HOME=/home/someone-else, this command with HOME=" +
                home_.string() + ": the unit would read " +
                "/home/someone-else/.x402dev/launch-spec.json, not " + request_.paths.launch_spec);
  EXPECT_EQ(s.hint(), "run x402-dev with HOME=/home/someone-else, or use `--backend direct`");
  EXPECT_TRUE(bus_->requests.empty());
  EXPECT_FALSE(fs::exists(request_.paths.launch_spec));
  EXPECT_FALSE(fs::exists(home_ / ".config"));
}

TEST_F(SystemdPolicyTest, WithoutHomeInItsEnvironmentTheManagersHomeIsTheAccounts) {
  bus_->manager_strings["Environment"] = {"PATH=/usr/bin"};
  account_home_ = "/home/account";
  int64_t pid = 0;
  EXPECT_EQ(manager_->Start(request_, &pid).code(), StatusCode::kServiceManager);
  EXPECT_GT(account_home_asked_, 0);

  account_home_ = home_.string();
  const Status s = manager_->Start(request_, &pid);
  EXPECT_TRUE(s.ok()) << s.ToString();
  // Neither known (no HOME, no passwd entry): nothing to compare, the start goes ahead.
  account_home_.clear();
  auto manager = Manager(Instance());
  bus_->manager_strings.erase("Environment");
  EXPECT_TRUE(manager->Start(request_, &pid).ok());
}

TEST_F(SystemdPolicyTest, ABinaryPathWithALineBreakIsAConfigErrorAndNothingStarts) {
  request_.server_argv.front() = "/opt/x402\nExecStartPre=/bin/evil/x402-dev";
  int64_t pid = 0;
  const Status s = manager_->Start(request_, &pid);
  EXPECT_EQ(s.code(), StatusCode::kConfig) << s.ToString();
  EXPECT_EQ(s.hint(), "move x402-dev to a path without line breaks, or use `--backend direct`");
  EXPECT_TRUE(bus_->requests.empty());
  EXPECT_FALSE(fs::exists(request_.paths.launch_spec));
}

TEST_F(SystemdPolicyTest, UninstallStopsAnActiveUnitDisablesRemovesAndReloads) {
  ASSERT_TRUE(manager_->Install(request_, true).ok());
  ASSERT_TRUE(UnitFile());
  bus_->unit_strings["ActiveState"] = "active";
  bus_->requests.clear();
  ASSERT_TRUE(manager_->Uninstall().ok());
  EXPECT_EQ(bus_->requests, (Requests{"StopUnit x402-mock.service",
                                      "DisableUnitFiles x402-mock.service", "Reload",
                                      "ResetFailedUnit x402-mock.service"}));
  EXPECT_EQ(bus_->job_timeouts.back(), seconds(30));
  EXPECT_FALSE(UnitFile());

  // Not running: nothing to stop. A Reload the manager refuses is the answer.
  bus_->unit_strings["ActiveState"] = "inactive";
  bus_->manager_failures["Reload"] = Status::ServiceManager("Reload: Access denied");
  bus_->requests.clear();
  EXPECT_EQ(manager_->Uninstall().message(), "Reload: Access denied");
  EXPECT_EQ(bus_->requests, (Requests{"DisableUnitFiles x402-mock.service", "Reload",
                                      "ResetFailedUnit x402-mock.service"}));
}

TEST_F(SystemdPolicyTest, UninstallStopsAnActivatingOrReloadingUnitAndGivesUpWhenTheStopFails) {
  for (const char* state : {"activating", "reloading"}) {
    bus_->unit_strings["ActiveState"] = state;
    bus_->jobs["StopUnit"] = {Late("StopUnit")};
    bus_->requests.clear();
    EXPECT_EQ(manager_->Uninstall().code(), StatusCode::kTimeout) << state;
    EXPECT_EQ(bus_->requests, Requests{"StopUnit x402-mock.service"}) << state;
  }
}

TEST_F(SystemdPolicyTest, ANamedInstanceRunsAsTheTemplateUnitWhichUninstallKeeps) {
  Instance staging;
  ASSERT_TRUE(Instance::Parse("staging", &staging).ok());
  auto manager = Manager(staging);
  const StartRequest request = Request(staging);
  int64_t pid = 0;
  ASSERT_TRUE(manager->Start(request, &pid).ok());
  EXPECT_EQ(bus_->requests, (Requests{"Reload", "ResetFailedUnit x402-mock@staging.service",
                                      "StartUnit x402-mock@staging.service"}));
  EXPECT_EQ(UnitFile("x402-mock@.service"), RenderSystemdUnit("/usr/local/bin/x402-dev", staging));
  EXPECT_TRUE(fs::exists(request.paths.launch_spec));

  bus_->unit_strings["ActiveState"] = "inactive";
  ASSERT_TRUE(manager->Uninstall().ok());
  EXPECT_TRUE(UnitFile("x402-mock@.service")) << "other instances still use the template";
}

TEST_F(SystemdPolicyTest, StatusDescribesTheUnitAndADisagreeingPidFile) {
  bus_->unit_strings["ActiveState"] = "active";
  bus_->unit_strings["SubState"] = "running";
  bus_->unit_uint32s["NRestarts"] = 2;
  std::vector<std::string> lines;
  ASSERT_TRUE(manager_->Describe(4242, &lines).ok());
  EXPECT_EQ(lines, std::vector<std::string>{
                       "unit:     x402-mock.service active (running), MainPID 4242, restarts 2"});

  lines.clear();
  ASSERT_TRUE(manager_->Describe(999, &lines).ok());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1], "warning:  systemd's MainPID 4242 and the PID file's 999 disagree");

  lines.clear();
  ASSERT_TRUE(manager_->Describe(0, &lines).ok());  // no PID file: nothing to disagree with
  EXPECT_EQ(lines.size(), 1u);

  bus_->unit_strings.erase("ActiveState");
  lines.clear();
  EXPECT_EQ(manager_->Describe(4242, &lines).code(), StatusCode::kServiceManager);
  EXPECT_TRUE(lines.empty());
  EXPECT_TRUE(bus_->requests.empty()) << "status changed something";
}

TEST_F(SystemdPolicyTest, AvailableWhenTheManagerAnswersNotMerelyWhenTheBusConnects) {
  EXPECT_TRUE(manager_->Available());
  EXPECT_EQ(bus_->requests, Requests{"GetDefaultTarget"});
  bus_->manager_failures["GetDefaultTarget"] =
      Status::ServiceManager("GetDefaultTarget: Connection reset by peer");
  EXPECT_FALSE(manager_->Available());
  EXPECT_FALSE(manager_->CanInstall());
}

// From a shell without the user bus (cron, ssh, sudo: XDG_RUNTIME_DIR unset or elsewhere) every
// operation is the bus's own error, kServiceManager (exit 3), and nothing is written, started,
// stopped or signalled. The CLI adds how to reach the manager (tests/integration/systemd_test.cc).
TEST_F(SystemdPolicyTest, ABusThatCannotConnectIsExit3ForEveryOperationAndTouchesNothing) {
  bus_->connect_result = Status::ServiceManager("XDG_RUNTIME_DIR is not set: no user session");
  EXPECT_FALSE(manager_->Available());
  EXPECT_FALSE(manager_->CanInstall());
  int64_t pid = 0;
  bool killed = false;
  std::vector<std::string> lines;
  const std::vector<std::pair<std::string, Status>> answers = {
      {"start", manager_->Start(request_, &pid)},
      {"restart", manager_->Restart(request_, 4242, seconds(5), &pid)},
      {"stop", manager_->Stop(4242, request_.paths, seconds(5), &killed)},
      {"reload", manager_->Reload(4242)},
      {"install", manager_->Install(request_, true)},
      {"uninstall", manager_->Uninstall()},
      {"status", manager_->Describe(4242, &lines)}};
  for (const auto& [operation, s] : answers) {
    EXPECT_EQ(s.code(), StatusCode::kServiceManager) << operation;
    EXPECT_EQ(s.message(), "XDG_RUNTIME_DIR is not set: no user session") << operation;
  }
  EXPECT_EQ(bus_->connect_attempts, 9);  // each operation tried for itself
  EXPECT_TRUE(bus_->requests.empty());
  EXPECT_TRUE(bus_->reads.empty());
  EXPECT_FALSE(killed);
  EXPECT_TRUE(lines.empty());
  EXPECT_FALSE(fs::exists(request_.paths.launch_spec));
  EXPECT_FALSE(fs::exists(home_ / ".config"));
}

}  // namespace
}  // namespace x402
