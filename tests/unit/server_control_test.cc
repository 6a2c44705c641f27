// The lifecycle policy (ServerControl) with fake managers, files and ports: every branch and
// every exit code, without a process or a socket.
#include "service/server_control.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include <unistd.h>

#include "fakes/fake_server_files.h"
#include "fakes/fake_service_manager.h"

namespace x402::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

class ServerControlTest : public ::testing::Test {
 protected:
  ServerControlTest() : managers_(&files_) {
    home_ = fs::temp_directory_path() /
            ("x402-control-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(home_);
  }
  ~ServerControlTest() override {
    std::error_code ec;
    fs::remove_all(home_, ec);
  }

  LifecycleEnvironment Env() {
    LifecycleEnvironment env;
    env.home = home_.string();
    env.binary = "/opt/x402/bin/x402-dev";
    env.managers = &managers_;
    env.files = &files_;
    env.ports = &ports_;
    env.sleep = [this](milliseconds) { ++sleeps_; };
    return env;
  }

  ServerControl Control(const std::string& name = "") {
    Instance instance;
    EXPECT_TRUE(Instance::Parse(name, &instance).ok());
    return ServerControl(Env(), instance);
  }

  StartOptions Options(ServerArgs args = {}) {
    StartOptions options;
    options.args = std::move(args);
    options.working_directory = (home_ / "project").string();
    return options;
  }

  // A server of |backend| already runs on |port|, started with |args|.
  ServerState Running(const std::string& backend, uint16_t port, ServerArgs args = {},
                      const std::string& name = "") {
    Instance instance;
    EXPECT_TRUE(Instance::Parse(name, &instance).ok());
    ServerState state;
    state.pid = 4711;
    state.host = "127.0.0.1";
    state.port = port;
    state.url = "http://127.0.0.1:" + std::to_string(port);
    state.backend = backend;
    LaunchSpec launch;
    launch.args = std::move(args);
    launch.working_directory = "/where/it/was/started";
    launch.env = {{"X402_DEV_SIMULATION_MODE", "failure"}};
    state.launch = launch;
    files_.RunServer(instance.Paths(home_.string()), state);
    if (!name.empty()) fs::create_directories(home_ / ".x402dev" / "instances" / name);
    return state;
  }

  static bool Has(const std::vector<std::string>& argv, const std::string& flag,
                  const std::string& value) {
    for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
      if (argv[i] == flag && argv[i + 1] == value) return true;
    }
    return false;
  }

  fs::path home_;
  FakeServerFiles files_;
  FakePortChecker ports_;
  FakeManagers managers_;
  int sleeps_ = 0;
};

// ---- start ----

TEST_F(ServerControlTest, StartUsesTheNativeManagerWhenItIsAvailable) {
  StartOutcome outcome;
  ASSERT_TRUE(Control().Start(Options({"--port", "4100"}), &outcome).ok());
  EXPECT_EQ(outcome.backend, "systemd");
  EXPECT_EQ(outcome.pid, 7000);
  EXPECT_EQ(outcome.url, "http://127.0.0.1:4100");
  ASSERT_EQ(managers_.native.starts.size(), 1u);
  const StartRequest& request = managers_.native.starts[0];
  EXPECT_EQ(request.server_argv,
            (std::vector<std::string>{"/opt/x402/bin/x402-dev", "mock", "--port", "4100"}));
  EXPECT_EQ(request.args, (std::vector<std::string>{"--port", "4100"}));
  EXPECT_EQ(request.port, 4100);
  EXPECT_EQ(ports_.probed, (std::vector<uint16_t>{4100}));
  EXPECT_TRUE(managers_.direct.calls.empty());
}

TEST_F(ServerControlTest, StartFallsBackToDirectWhenTheNativeManagerIsUnreachable) {
  managers_.native.available = false;
  StartOutcome outcome;
  ASSERT_TRUE(Control().Start(Options(), &outcome).ok());
  EXPECT_EQ(outcome.backend, "direct");
  EXPECT_EQ(managers_.direct.calls, (std::vector<std::string>{"start"}));
}

TEST_F(ServerControlTest, AnExplicitBackendThatCannotBeReachedIsExit3) {
  managers_.native.available = false;
  StartOutcome outcome;
  const Status s = Control().Start(Options({"--backend", "systemd"}), &outcome);
  EXPECT_EQ(s.code(), StatusCode::kServiceManager);
  EXPECT_TRUE(managers_.native.calls.empty());
  managers_.has_native = false;
  EXPECT_EQ(Control().Start(Options({"--backend", "launchd"}), &outcome).code(),
            StatusCode::kServiceManager);
}

TEST_F(ServerControlTest, StartRefusesWhenTheInstanceRuns) {
  Running("direct", 4100);
  StartOutcome outcome;
  const Status s = Control().Start(Options({"--port", "4200"}), &outcome);
  EXPECT_EQ(s.code(), StatusCode::kAlreadyRunning);
  EXPECT_NE(s.message().find("PID 4711, port 4100"), std::string::npos) << s.message();
  EXPECT_TRUE(managers_.native.calls.empty());
  EXPECT_TRUE(ports_.probed.empty());
}

TEST_F(ServerControlTest, APortHeldByAnotherProgramIsExit2BeforeAnyBackend) {
  ports_.busy[4100] = "PID 99 (python3)";
  StartOutcome outcome;
  const Status s = Control().Start(Options({"--port", "4100"}), &outcome);
  EXPECT_EQ(s.code(), StatusCode::kPortInUse);
  EXPECT_NE(s.message().find("python3"), std::string::npos);
  EXPECT_TRUE(managers_.native.calls.empty());
}

TEST_F(ServerControlTest, LosingTheRaceToAForegroundServerIsAlreadyRunningNot2) {
  ports_.busy[4100] = "PID 4711 (x402-dev)";
  ServerState winner;
  winner.pid = 4711;
  winner.port = 4100;
  files_.appears_on_second_look = winner;
  StartOutcome outcome;
  EXPECT_EQ(Control().Start(Options({"--port", "4100"}), &outcome).code(),
            StatusCode::kAlreadyRunning);
}

TEST_F(ServerControlTest, AStartLockHeldTooLongIsExit3AndStartsNothing) {
  files_.start_lock_busy = true;
  StartOutcome outcome;
  EXPECT_EQ(Control().Start(Options(), &outcome).code(), StatusCode::kTimeout);
  EXPECT_TRUE(managers_.native.calls.empty());
}

TEST_F(ServerControlTest, InvalidOptionsAreRefusedBeforeAnythingStarts) {
  StartOutcome outcome;
  EXPECT_EQ(Control().Start(Options({"--port", "http"}), &outcome).code(), StatusCode::kConfig);
  const Status threads = Control().Start(Options({"--threads", "0"}), &outcome);
  EXPECT_EQ(threads.code(), StatusCode::kUsage);
  EXPECT_NE(threads.message().find("--threads"), std::string::npos);
  EXPECT_TRUE(managers_.native.calls.empty());
  EXPECT_TRUE(managers_.direct.calls.empty());
}

TEST_F(ServerControlTest, TheBackendsOwnFailureIsPassedOn) {
  managers_.native.start_result = Status::PortInUse("port 4100 is in use");
  StartOutcome outcome;
  EXPECT_EQ(Control().Start(Options({"--port", "4100"}), &outcome).code(), StatusCode::kPortInUse);
  managers_.native.start_result = Status::Timeout("not ready within 10 s");
  EXPECT_EQ(Control().Start(Options({"--port", "4100"}), &outcome).code(), StatusCode::kTimeout);
}

// Issue 16, item 10: a unit that started but serves another port (it read another launch
// spec) made start exit 3 and stay active. A failed start leaves nothing running.
TEST_F(ServerControlTest, AStartedServerThatDoesNotAcceptIsStoppedAgain) {
  ports_.accepts = Status::Io("connection refused on 127.0.0.1:4100");
  StartOutcome outcome;
  const Status s = Control().Start(Options({"--port", "4100"}), &outcome);
  EXPECT_EQ(s.code(), StatusCode::kIo) << s.ToString();
  EXPECT_EQ(managers_.native.calls, (std::vector<std::string>{"start", "stop 7000"}));
}

// ---- named instances ----

TEST_F(ServerControlTest, ANamedInstanceRunsWithItsNameAndFiles) {
  StartOutcome outcome;
  ServerControl control = Control("staging");
  ASSERT_TRUE(control.Start(Options({"--port", "4300"}), &outcome).ok());
  const StartRequest& request = managers_.native.starts.at(0);
  EXPECT_TRUE(Has(request.server_argv, "--name", "staging"));
  EXPECT_EQ(request.args, (std::vector<std::string>{"--port", "4300"}));  // no --name in the spec
  EXPECT_EQ(request.paths.pid_file,
            (home_ / ".x402dev" / "instances" / "staging" / "mock-server.pid").string());
  EXPECT_EQ(managers_.asked_for.back().name(), "staging");
}

TEST_F(ServerControlTest, AnotherInstanceOnThePortIsExit2NamingIt) {
  Running("direct", 4100, {}, "alpha");
  StartOutcome outcome;
  const Status s = Control("beta").Start(Options({"--port", "4100"}), &outcome);
  EXPECT_EQ(s.code(), StatusCode::kPortInUse);
  EXPECT_NE(s.message().find("instance 'alpha' (PID 4711)"), std::string::npos) << s.message();
  EXPECT_NE(s.hint().find("--name alpha"), std::string::npos) << s.hint();
  // The default instance is named too.
  Running("direct", 4500);
  EXPECT_NE(Control("beta").Start(Options({"--port", "4500"}), &outcome).message().find(
                "instance 'default'"),
            std::string::npos);
}

TEST_F(ServerControlTest, InstancesAreListedDefaultFirst) {
  Running("direct", 4100, {}, "beta");
  Running("systemd", 4200, {}, "alpha");
  fs::create_directories(home_ / ".x402dev" / "instances" / "Not_Valid");
  const auto reports = InspectAllInstances(Env(), false);
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_TRUE(reports[0].instance.is_default());
  EXPECT_FALSE(reports[0].running);
  EXPECT_EQ(reports[1].instance.name(), "alpha");
  EXPECT_EQ(reports[2].instance.name(), "beta");
  EXPECT_TRUE(reports[2].running);
}

// ---- restart ----

TEST_F(ServerControlTest, RestartKeepsTheRunningServersOptionsAndOverridesOneByOne) {
  managers_.native.restart_in_one_job = true;
  Running("systemd", 4100, {"--port", "4100", "--pricing", "0.05", "--log-level", "debug"});
  StartOutcome outcome;
  ASSERT_TRUE(Control().Restart(Options({"--pricing", "0.10"}), &outcome).ok());
  EXPECT_EQ(managers_.native.calls, (std::vector<std::string>{"restart 4711"}));
  const StartRequest& request = managers_.native.starts.at(0);
  EXPECT_EQ(request.args, (std::vector<std::string>{"--port", "4100", "--log-level", "debug",
                                                    "--pricing", "0.10"}));
  EXPECT_EQ(request.working_directory, "/where/it/was/started");
  EXPECT_EQ(request.env.at("X402_DEV_SIMULATION_MODE"), "failure");
  EXPECT_EQ(outcome.stopped_pid, 4711);
  EXPECT_TRUE(ports_.probed.empty()) << "the old server holds its own port";
}

TEST_F(ServerControlTest, RestartChecksTheNewConfigBeforeStoppingAnything) {
  Running("direct", 4100, {"--port", "4100"});
  StartOutcome outcome;
  EXPECT_EQ(Control().Restart(Options({"--simulation-mode", "sometimes"}), &outcome).code(),
            StatusCode::kConfig);
  EXPECT_EQ(Control().Restart(Options({"--config", (home_ / "missing.yaml").string()}), &outcome)
                .code(),
            StatusCode::kConfig);
  EXPECT_TRUE(managers_.direct.calls.empty());
  EXPECT_TRUE(managers_.native.calls.empty());
}

TEST_F(ServerControlTest, RestartOntoAPortInUseIsExit2AndTheOldServerKeepsRunning) {
  Running("direct", 4100, {"--port", "4100"});
  ports_.busy[4200] = "PID 99 (nginx)";
  StartOutcome outcome;
  const Status s = Control().Restart(Options({"--port", "4200"}), &outcome);
  EXPECT_EQ(s.code(), StatusCode::kPortInUse);
  EXPECT_TRUE(managers_.direct.calls.empty());
  EXPECT_TRUE(files_.Inspect(Instance().Paths(home_.string()), false).running);
}

TEST_F(ServerControlTest, RestartThroughAnotherBackendStopsThroughTheOwner) {
  Running("systemd", 4100, {"--port", "4100"});
  StartOutcome outcome;
  ASSERT_TRUE(Control().Restart(Options({"--backend", "direct"}), &outcome).ok());
  EXPECT_EQ(managers_.native.calls, (std::vector<std::string>{"stop 4711"}));
  EXPECT_EQ(managers_.direct.calls, (std::vector<std::string>{"start"}));
  EXPECT_EQ(outcome.backend, "direct");
}

TEST_F(ServerControlTest, AFailedStartAfterTheStopSaysTheOldServerWasStopped) {
  Running("direct", 4100, {"--port", "4100"});
  managers_.native.available = false;
  managers_.direct.start_result = Status::PortInUse("port 4100 is in use by PID 12 (nc)");
  StartOutcome outcome;
  const Status s = Control().Restart(Options(), &outcome);
  EXPECT_EQ(s.code(), StatusCode::kPortInUse);
  EXPECT_NE(s.message().find("the old server (PID 4711) was stopped"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("nc"), std::string::npos);
}

TEST_F(ServerControlTest, RestartWithNothingRunningJustStarts) {
  StartOutcome outcome;
  ASSERT_TRUE(Control().Restart(Options({"--port", "4100"}), &outcome).ok());
  EXPECT_EQ(outcome.stopped_pid, 0);
  EXPECT_EQ(managers_.native.calls, (std::vector<std::string>{"start"}));
}

// ---- stop, reload, status ----

TEST_F(ServerControlTest, StopWithNothingRunningIsNotFound) {
  StopOutcome outcome;
  EXPECT_EQ(Control().Stop(milliseconds(1000), &outcome).code(), StatusCode::kNotFound);
}

TEST_F(ServerControlTest, StopGoesThroughTheManagerThatOwnsTheServer) {
  Running("systemd", 4100);
  StopOutcome outcome;
  ASSERT_TRUE(Control().Stop(milliseconds(1000), &outcome).ok());
  EXPECT_EQ(outcome.pid, 4711);
  EXPECT_EQ(managers_.native.calls, (std::vector<std::string>{"stop 4711"}));
  EXPECT_TRUE(managers_.direct.calls.empty());

  Running("foreground", 4100);
  ASSERT_TRUE(Control().Stop(milliseconds(1000), &outcome).ok());
  EXPECT_EQ(managers_.direct.calls, (std::vector<std::string>{"stop 4711"}));
}

TEST_F(ServerControlTest, AServerWhoseManagerCannotBeReachedIsNeverSignalledDirectly) {
  Running("systemd", 4100);
  managers_.native.available = false;  // e.g. no user bus under cron or sudo
  StopOutcome outcome;
  const Status s = Control().Stop(milliseconds(1000), &outcome);
  EXPECT_EQ(s.code(), StatusCode::kServiceManager);
  EXPECT_NE(s.hint().find("XDG_RUNTIME_DIR"), std::string::npos) << s.hint();
  EXPECT_TRUE(managers_.direct.calls.empty());
  EXPECT_TRUE(managers_.native.calls.empty());
  int64_t pid = 0;
  EXPECT_EQ(Control().Reload(milliseconds(100), &pid).code(), StatusCode::kServiceManager);
}

// Issue 16 item 6: when whether a server runs cannot be told (an unreadable PID file, a
// state folder of another user), no command says "not running" and none starts or signals.
TEST_F(ServerControlTest, CannotTellIsExit3NeverNotRunning) {
  Running("direct", 4100);
  files_.At(Instance().Paths(home_.string())).problem =
      Status::Io("cannot tell whether a mock server is running: … permission denied");
  files_.At(Instance().Paths(home_.string())).running = false;
  ServerControl control = Control();
  StopOutcome stopped;
  EXPECT_EQ(control.Stop(milliseconds(1000), &stopped).code(), StatusCode::kIo);
  int64_t pid = 0;
  EXPECT_EQ(control.Reload(milliseconds(100), &pid).code(), StatusCode::kIo);
  StartOutcome started;
  EXPECT_EQ(control.Start(Options(), &started).code(), StatusCode::kIo);
  EXPECT_EQ(control.Restart(Options(), &started).code(), StatusCode::kIo);
  EXPECT_EQ(control.Inspect(false).problem.code(), StatusCode::kIo);
  EXPECT_TRUE(managers_.direct.calls.empty());
  EXPECT_TRUE(managers_.native.calls.empty());
}

TEST_F(ServerControlTest, StaleFilesAreCleanedAndReported) {
  files_.At(Instance().Paths(home_.string())).stale_note = "removed a stale PID file (PID 42 …)";
  ServerControl control = Control();
  StopOutcome outcome;
  EXPECT_EQ(control.Stop(milliseconds(1000), &outcome).code(), StatusCode::kNotFound);
  ASSERT_EQ(control.notes().size(), 1u);
  EXPECT_NE(control.notes()[0].find("stale"), std::string::npos);
}

TEST_F(ServerControlTest, ReloadWaitsForTheServersConfirmation) {
  Running("direct", 4100);
  files_.on_read_state = [](ServerState* state, int read) {
    if (read == 3) ++state->reload_count;  // the server handles SIGHUP a moment later
  };
  int64_t pid = 0;
  ASSERT_TRUE(Control().Reload(milliseconds(1000), &pid).ok());
  EXPECT_EQ(pid, 4711);
  EXPECT_EQ(managers_.direct.calls, (std::vector<std::string>{"reload 4711"}));
  EXPECT_EQ(sleeps_, 2);
}

TEST_F(ServerControlTest, AReloadTheServerRefusedIsExit3) {
  Running("direct", 4100);
  files_.on_read_state = [](ServerState* state, int) {
    state->reload_count = 1;
    state->last_reload_ok = false;
    state->last_reload_message = "mock_server.port: not a number";
  };
  int64_t pid = 0;
  const Status s = Control().Reload(milliseconds(1000), &pid);
  EXPECT_EQ(s.code(), StatusCode::kConfig);
  EXPECT_NE(s.message().find("not a number"), std::string::npos);
}

TEST_F(ServerControlTest, AnUnconfirmedReloadTimesOut) {
  Running("direct", 4100);
  int64_t pid = 0;
  EXPECT_EQ(Control().Reload(milliseconds(50), &pid).code(), StatusCode::kTimeout);
  EXPECT_EQ(Control("other").Reload(milliseconds(50), &pid).code(), StatusCode::kNotFound);
}

TEST_F(ServerControlTest, InstallUsesTheManagerThatCanInstall) {
  managers_.native.available = false;  // the SCM: no service yet, but one can be created
  managers_.native.can_install = true;
  std::string backend;
  ASSERT_TRUE(Control("ci").Install(Options({"--port", "4400"}), true, &backend).ok());
  EXPECT_EQ(backend, "systemd");
  EXPECT_EQ(managers_.native.calls, (std::vector<std::string>{"install --enable"}));
  EXPECT_TRUE(Has(managers_.native.starts.at(0).server_argv, "--name", "ci"));
  ASSERT_TRUE(Control("ci").Uninstall(Options(), &backend).ok());
  EXPECT_EQ(managers_.native.calls.back(), "uninstall");
}

TEST_F(ServerControlTest, StatusShowsTheOwnersViewOfARunningServer) {
  Running("direct", 4100);
  const InstanceReport report = Control().Inspect(true);
  EXPECT_TRUE(report.running);
  EXPECT_EQ(report.pid, 4711);
  ASSERT_TRUE(report.state);
  EXPECT_EQ(report.state->port, 4100);
  EXPECT_FALSE(Control("idle").Inspect(true).running);
}

}  // namespace
}  // namespace x402::testing
