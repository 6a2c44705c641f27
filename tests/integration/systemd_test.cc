// The systemd backend against a real systemd user manager (systemd_harness.h): the unit
// starts and stops through sd-bus, systemd restarts a crashed server, and `systemctl --user`
// and `x402-dev mock status` describe the same process.
#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <future>
#include <sstream>
#include <gtest/gtest.h>
#include <thread>

#include "server_process.h"
#include "systemd_harness.h"

namespace x402::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class SystemdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string why = SystemdHarnessUnavailableReason();
    if (!why.empty()) GTEST_SKIP() << why;
    manager_ = std::make_unique<SystemdUserManager>();
    ASSERT_TRUE(manager_->ok()) << manager_->why();
    port_ = FreePort();
  }

  void TearDown() override {
    if (manager_ && manager_->ok()) {
      Mock({"stop", "--all", "--timeout", "5"});
      manager_->Systemctl("stop x402-mock 'x402-mock@*'");
    }
    manager_.reset();  // stops the user manager and waits for it
  }

  RunResult Mock(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), "mock");
    std::vector<std::string> all = manager_->Env();
    all.insert(all.end(), env.begin(), env.end());
    return RunX402Dev(manager_->home(), args, all);
  }
  RunResult Start(std::vector<std::string> extra = {}, std::vector<std::string> env = {}) {
    std::vector<std::string> args = {"start", "--port", std::to_string(port_), "--threads", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Mock(args, env);
  }
  std::string Systemctl(const std::string& args) {
    std::string out;
    manager_->Systemctl(args, &out);
    return Trim(out);
  }
  fs::path PidFile() const { return manager_->home() / ".x402dev" / "mock-server.pid"; }
  int64_t PidFromFile() const {
    std::ifstream in(PidFile());
    int64_t pid = 0;
    in >> pid;
    return pid;
  }

  std::unique_ptr<SystemdUserManager> manager_;
  uint16_t port_ = 0;
};

TEST_F(SystemdTest, StartRunsTheUnitAndSystemdAgreesWithThePidFile) {
  const RunResult r = Start();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("backend systemd"), std::string::npos) << r.out;
  EXPECT_EQ(Systemctl("is-active x402-mock"), "active");
  const int64_t pid = PidFromFile();
  EXPECT_EQ(Systemctl("show -p MainPID --value x402-mock"), std::to_string(pid));
  EXPECT_EQ(json::parse(Get(port_, "/__x402/health").body()).as_object().at("pid"), pid);
  // READY=1 came with a status line that systemctl shows.
  EXPECT_NE(Systemctl("status x402-mock").find("listening on http://127.0.0.1:" +
                                                std::to_string(port_)),
            std::string::npos);
  const RunResult status = Mock({"status"});
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_NE(status.out.find("backend:  systemd"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("MainPID " + std::to_string(pid)), std::string::npos) << status.out;
  EXPECT_EQ(status.out.find("disagree"), std::string::npos);
  // The unit is written once; a second start of the same binary does not rewrite it.
  const fs::path unit = manager_->home() / ".config" / "systemd" / "user" / "x402-mock.service";
  ASSERT_TRUE(fs::exists(unit));
  const auto written = fs::last_write_time(unit);
  ASSERT_EQ(Mock({"restart", "--port", std::to_string(port_)}).exit_code, 0);
  EXPECT_EQ(fs::last_write_time(unit), written);
}

TEST_F(SystemdTest, StopReloadAndRestartGoThroughSystemd) {
  std::ofstream(manager_->home() / ".x402dev.yaml") << "mock_server:\n  pricing:\n    default: 0.02\n";
  ASSERT_EQ(Start().exit_code, 0);
  auto amount = [&] {
    const json::object v1 = json::parse(Get(port_, "/x").body()).as_object();
    return std::string(v1.at("accepts").as_array()[0].as_object().at("maxAmountRequired").as_string());
  };
  EXPECT_EQ(amount(), "20000");
  std::ofstream(manager_->home() / ".x402dev.yaml") << "mock_server:\n  pricing:\n    default: 0.03\n";
  RunResult r = Mock({"reload"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(amount(), "30000");
  std::ofstream(manager_->home() / ".x402dev.yaml") << "mock_server:\n  pricing:\n    default: x\n";
  EXPECT_EQ(Mock({"reload"}).exit_code, 3);
  EXPECT_EQ(amount(), "30000");
  EXPECT_EQ(Systemctl("is-active x402-mock"), "active");

  const int64_t before = PidFromFile();
  std::ofstream(manager_->home() / ".x402dev.yaml") << "";
  r = Mock({"restart", "--port", std::to_string(port_)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(PidFromFile(), before);

  r = Mock({"stop"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Systemctl("is-active x402-mock"), "inactive");
  EXPECT_FALSE(fs::exists(PidFile()));
  EXPECT_EQ(Mock({"status"}).exit_code, 1);
}

TEST_F(SystemdTest, ACrashedServerIsRestartedAndStatusTellsTheNewPid) {
  ASSERT_EQ(Start().exit_code, 0);
  const int64_t first = PidFromFile();
  Systemctl("kill -s KILL x402-mock");
  // Until the restarted server is listening (RestartSec=1): its PID in the PID file and in
  // `status --json`, which says "listening" once the server has written its state.
  int64_t now = 0;
  RunResult status;
  for (int i = 0; i < 500; ++i) {
    now = PidFromFile();
    if (now != first && now > 0) {
      status = Mock({"status", "--json"});
      if (status.exit_code == 0 &&
          status.out.find("\"state\":\"listening\"") != std::string::npos) {
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string diagnosis = Systemctl("status x402-mock") + "\n" + status.out + status.err;
  ASSERT_NE(now, first) << diagnosis;
  ASSERT_EQ(status.exit_code, 0) << diagnosis;
  EXPECT_EQ(json::parse(status.out).as_object().at("pid"), now) << diagnosis;
  EXPECT_EQ(Systemctl("show -p MainPID --value x402-mock"), std::to_string(now)) << diagnosis;
  EXPECT_EQ(Systemctl("show -p NRestarts --value x402-mock"), "1") << diagnosis;
}

// Twenty SIGKILLs in a row. Restart=on-failure brings the server back each time until the
// unit's start limit (StartLimitBurst=5 in StartLimitIntervalSec=60, the first start counted)
// stops it; then `mock status` must say "not running" and `mock start` must recover at once.
// Throughout, whenever status says running, its PID is the PID file's and systemd's MainPID.
TEST_F(SystemdTest, CrashLoopIsRestartedWithinThePolicyAndStatusStaysTruthful) {
  ASSERT_EQ(Start().exit_code, 0);
  int restarted = 0;
  int start_limit_hits = 0;
  for (int crash = 1; crash <= 20; ++crash) {
    const int64_t before = PidFromFile();
    ASSERT_GT(before, 0) << "crash " << crash;
    ASSERT_EQ(Systemctl("show -p MainPID --value x402-mock"), std::to_string(before));
    Systemctl("kill -s KILL x402-mock");

    bool back = false;
    bool failed = false;
    for (int i = 0; i < 500 && !back && !failed; ++i) {  // RestartSec=1; 10 s at most
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (Systemctl("show -p ActiveState --value x402-mock") == "failed") {
        failed = true;
        break;
      }
      const RunResult status = Mock({"status", "--json"});
      if (status.exit_code != 0) continue;
      const int64_t pid = json::parse(status.out).as_object().at("pid").as_int64();
      if (pid == before) continue;  // systemd has not noticed the kill yet
      EXPECT_EQ(PidFromFile(), pid) << "crash " << crash;
      EXPECT_EQ(Systemctl("show -p MainPID --value x402-mock"), std::to_string(pid));
      EXPECT_EQ(Get(port_, "/api/data").result_int(), 402) << "crash " << crash;
      back = true;
    }
    if (back) {
      ++restarted;
      continue;
    }
    ASSERT_TRUE(failed) << "crash " << crash << ": neither restarted nor failed within 10 s";
    ++start_limit_hits;
    // The unit stays failed with the reason of the last run (killed); systemd logs the
    // refused restart as "Start request repeated too quickly".
    EXPECT_EQ(Systemctl("show -p Result --value x402-mock"), "signal");
    EXPECT_EQ(Systemctl("show -p NRestarts --value x402-mock"), "5");  // the 5th was refused
    const RunResult status = Mock({"status"});
    EXPECT_EQ(status.exit_code, 1) << status.out << status.err;
    EXPECT_NE(status.err.find("no mock server is running"), std::string::npos) << status.err;
    const RunResult again = Start();
    ASSERT_EQ(again.exit_code, 0) << again.err;
  }
  // Per round of five crashes: four restarts, then the fifth start inside a minute is refused.
  EXPECT_EQ(restarted, 16);
  EXPECT_EQ(start_limit_hits, 4);
}

TEST_F(SystemdTest, PortInUseExits2AndDoesNotLeaveTheUnitFailed) {
  boost::asio::io_context ioc;
  using tcp = boost::asio::ip::tcp;
  tcp::acceptor holder(ioc, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_));
  // Skip the CLI's own pre-check, so the server's bind failure travels through systemd:
  // exit status 2 → ExecMainStatus → CLI exit 2.
  const RunResult r = Start({}, {"X402_DEV_TEST_SKIP_PORT_PRECHECK=1"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("port " + std::to_string(port_) + " is in use"), std::string::npos) << r.err;
  EXPECT_NE(Systemctl("is-failed x402-mock"), "failed");
  EXPECT_EQ(Systemctl("show -p NRestarts --value x402-mock"), "0");  // RestartPreventExitStatus=2
  EXPECT_FALSE(fs::exists(PidFile()));
}

TEST_F(SystemdTest, StoppedFromOutsideMeansNotRunning) {
  ASSERT_EQ(Start().exit_code, 0);
  Systemctl("stop x402-mock");
  const RunResult r = Mock({"status"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(fs::exists(PidFile()));
}

TEST_F(SystemdTest, InstallEnableAndUninstallLeaveTheRightFiles) {
  const fs::path units = manager_->home() / ".config" / "systemd" / "user";
  RunResult r = Mock({"install", "--enable"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(units / "x402-mock.service"));
  EXPECT_TRUE(fs::is_symlink(units / "default.target.wants" / "x402-mock.service"));
  EXPECT_EQ(Systemctl("is-enabled x402-mock"), "enabled");
  EXPECT_NE(r.err.find("loginctl enable-linger"), std::string::npos) << r.err;
  const std::string unit = [&] {
    std::ifstream in(units / "x402-mock.service");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }();
  EXPECT_NE(unit.find("Type=notify"), std::string::npos);
  EXPECT_NE(unit.find("ExecStart=" + std::string(X402_DEV_BINARY) + " mock --launch-spec"),
            std::string::npos);

  r = Mock({"uninstall"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(units / "x402-mock.service"));
  EXPECT_FALSE(fs::exists(units / "default.target.wants" / "x402-mock.service"));
}

TEST_F(SystemdTest, TheLaunchSpecCarriesFlagsEnvironmentAndWorkingDirectory) {
  // systemd passes none of the caller's environment or directory; the launch spec does.
  fs::create_directories(manager_->home() / "project");
  std::ofstream(manager_->home() / "project" / ".x402dev.yaml")
      << "mock_server:\n  pricing:\n    per_resource:\n      /p: 0.07\n";
  std::vector<std::string> env = manager_->Env();
  env.push_back("HOME=" + manager_->home().string());
  env.push_back("X402_DEV_SIMULATION_MODE=failure");
  // Start from the project directory: run through a shell that cds there.
  const RunResult r = RunX402Dev(manager_->home() / "project",
                                 {"mock", "start", "--port", std::to_string(port_), "--pricing", "0.04"},
                                 env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::object p = json::parse(Get(port_, "/p").body()).as_object();
  EXPECT_EQ(p.at("accepts").as_array()[0].as_object().at("maxAmountRequired"), "70000");
  const json::object other = json::parse(Get(port_, "/other").body()).as_object();
  EXPECT_EQ(other.at("accepts").as_array()[0].as_object().at("maxAmountRequired"), "40000");
  // The environment layer came along too: a valid payment meets the simulated failure.
  const Response paid = Get(port_, "/other", {{"X-PAYMENT", ValidPaymentHeader("0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF", "40000")}});
  EXPECT_EQ(json::parse(paid.body()).as_object().at("error"), "unexpected_settle_error");
  EXPECT_NE(Systemctl("show -p Environment --value x402-mock").find("X402_DEV_LAUNCHED_BY=systemd"),
            std::string::npos);
  const RunResult status = Mock({"status", "--json"});
  EXPECT_EQ(json::parse(status.out).as_object().at("config_file"),
            json::value((manager_->home() / "project" / ".x402dev.yaml").string()));
}

TEST_F(SystemdTest, NamedInstancesRunAsTemplateUnitsBesideTheDefaultOne) {
  ASSERT_EQ(Start().exit_code, 0);
  const uint16_t port_a = FreePort(), port_b = FreePort();
  RunResult r = Mock({"start", "--name", "a", "--port", std::to_string(port_a), "--pricing", "0.04"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("backend systemd"), std::string::npos) << r.out;
  r = Mock({"start", "--name", "b", "--port", std::to_string(port_b)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path units = manager_->home() / ".config" / "systemd" / "user";
  EXPECT_TRUE(fs::exists(units / "x402-mock@.service"));

  // systemctl and x402-dev describe the same process for each instance.
  const fs::path a_pid_file = manager_->home() / ".x402dev/instances/a/mock-server.pid";
  const std::string a_pid = Trim([&] {
    std::ifstream in(a_pid_file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }());
  EXPECT_EQ(Systemctl("show -p MainPID --value x402-mock@a"), a_pid);
  EXPECT_EQ(Systemctl("is-active x402-mock@b"), "active");
  EXPECT_EQ(Systemctl("show -p MainPID --value x402-mock"), std::to_string(PidFromFile()));
  r = Mock({"status", "--name", "a"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("PID:      " + a_pid), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("x402-mock@a.service active"), std::string::npos) << r.out;
  EXPECT_NE(Systemctl("status x402-mock@a").find("listening on http://127.0.0.1:" +
                                                   std::to_string(port_a)),
            std::string::npos);

  // restart keeps a's options (its pricing) under systemd too.
  r = Mock({"restart", "--name", "a"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::object offer = json::parse(Get(port_a, "/x").body()).as_object();
  EXPECT_EQ(offer.at("accepts").as_array()[0].as_object().at("maxAmountRequired"), "40000");

  // Stop one; the others keep serving.
  r = Mock({"stop", "--name", "a"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Systemctl("is-active x402-mock@a"), "inactive");
  EXPECT_EQ(Get(port_b, "/__x402/health").result(), http::status::ok);
  EXPECT_EQ(Get(port_, "/__x402/health").result(), http::status::ok);
  r = Mock({"list", "--json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(json::parse(r.out).as_array().size(), 3u);

  r = Mock({"stop", "--all"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Systemctl("is-active x402-mock@b"), "inactive");
  EXPECT_EQ(Systemctl("is-active x402-mock"), "inactive");
}

TEST_F(SystemdTest, RestartKeepsWhatRunsAndChecksTheNewPortFirst) {
  ASSERT_EQ(Start({"--pricing", "0.04"}).exit_code, 0);
  const uint16_t moved = FreePort();
  RunResult r = Mock({"restart", "--port", std::to_string(moved)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // From another directory, no options: the port and price of the running server.
  fs::create_directories(manager_->home() / "elsewhere");
  r = RunX402Dev(manager_->home() / "elsewhere", {"mock", "restart"}, [&] {
    std::vector<std::string> env = manager_->Env();
    env.push_back("HOME=" + manager_->home().string());
    return env;
  }());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::object offer = json::parse(Get(moved, "/x").body()).as_object();
  EXPECT_EQ(offer.at("accepts").as_array()[0].as_object().at("maxAmountRequired"), "40000");
  EXPECT_EQ(Systemctl("show -p MainPID --value x402-mock"), std::to_string(PidFromFile()));

  // A port another program holds: exit 2, and the unit keeps serving the old one.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor holder(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const int64_t before = PidFromFile();
  r = Mock({"restart", "--port", std::to_string(holder.local_endpoint().port())});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(PidFromFile(), before);
  EXPECT_EQ(Systemctl("is-active x402-mock"), "active");
  EXPECT_EQ(Get(moved, "/__x402/health").result(), http::status::ok);
}

TEST_F(SystemdTest, InstallAndUninstallANamedInstance) {
  const fs::path units = manager_->home() / ".config" / "systemd" / "user";
  RunResult r = Mock({"install", "--name", "ci", "--enable", "--port", std::to_string(port_)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(units / "x402-mock@.service"));
  EXPECT_TRUE(fs::is_symlink(units / "default.target.wants" / "x402-mock@ci.service"));
  EXPECT_EQ(Systemctl("is-enabled x402-mock@ci"), "enabled");
  r = Mock({"start", "--name", "ci", "--port", std::to_string(port_)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Systemctl("is-active x402-mock@ci"), "active");
  r = Mock({"uninstall", "--name", "ci"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(units / "default.target.wants" / "x402-mock@ci.service"));
  EXPECT_EQ(Systemctl("is-active x402-mock@ci"), "inactive");
  EXPECT_EQ(Mock({"status", "--name", "ci"}).exit_code, 1);
}

TEST_F(SystemdTest, ConcurrentStartsGiveOneSuccessAndOneAlreadyRunning) {
  // systemd merges two StartUnit jobs into one; the start lock makes the second say so.
  const StartRace race = RaceStarts(4, [&] { return Start(); });
  EXPECT_EQ(race.ok, 1);
  EXPECT_EQ(race.already_running, 3);
  EXPECT_EQ(Systemctl("show -p MainPID --value x402-mock"), std::to_string(PidFromFile()));
}

// Issue 16, item 8: the binary path went into ExecStart= as it was. A space made the unit
// fail with status 203 (and restart), a `%` was read as a specifier. Quoted and escaped, the
// unit runs the binary from a directory named with both.
TEST_F(SystemdTest, StartsAndStopsABinaryWhosePathHasASpaceAndAPercentSign) {
  const fs::path dir = manager_->home() / "my tools %h 100%" / "bin dir";
  fs::create_directories(dir);
  const fs::path binary = dir / "x402-dev";
  fs::copy_file(X402_DEV_BINARY, binary);
  const std::vector<std::string> env = manager_->Env();
  RunResult r = RunBinary(binary.string(), manager_->home(),
                          {"mock", "start", "--port", std::to_string(port_), "--threads", "2"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err << "\n" << Systemctl("status x402-mock");
  EXPECT_NE(r.out.find("backend systemd"), std::string::npos) << r.out;
  EXPECT_EQ(Systemctl("is-active x402-mock"), "active");
  // systemd runs exactly this file: its MainPID's executable is the copy.
  const std::string main_pid = Systemctl("show -p MainPID --value x402-mock");
  EXPECT_EQ(fs::read_symlink("/proc/" + main_pid + "/exe"), binary);
  EXPECT_EQ(Get(port_, "/__x402/health").result(), http::status::ok);
  r = RunBinary(binary.string(), manager_->home(), {"mock", "stop"}, env);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Systemctl("is-active x402-mock"), "inactive");

  // A line break cannot be written into a unit without changing what it says: exit 3, and
  // the unit written before stays as it was.
  const fs::path unit_file = manager_->home() / ".config/systemd/user/x402-mock.service";
  const std::string before = [&] {
    std::ifstream in(unit_file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }();
  const fs::path odd = manager_->home() / "odd\nExecStartPre=-/bin/true";
  fs::create_directories(odd);
  fs::copy_file(X402_DEV_BINARY, odd / "x402-dev");
  r = RunBinary((odd / "x402-dev").string(), manager_->home(),
                {"mock", "start", "--backend", "systemd", "--port", std::to_string(port_)}, env);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("line break"), std::string::npos) << r.err;
  std::ifstream in(unit_file);
  std::stringstream after;
  after << in.rdbuf();
  EXPECT_EQ(after.str(), before);
}

// Issue 16, item 9: the unit went to the CLI's $XDG_CONFIG_HOME/systemd/user, which the user
// manager does not read ("Unit x402-mock.service not found"). It goes where the manager looks.
TEST_F(SystemdTest, TheUnitGoesWhereTheManagerLooksWhateverTheCallersXdgConfigHome) {
  const fs::path elsewhere = manager_->home() / "elsewhere-config";
  fs::create_directories(elsewhere);
  const RunResult r = Start({}, {"XDG_CONFIG_HOME=" + elsewhere.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Systemctl("is-active x402-mock"), "active");
  EXPECT_TRUE(fs::exists(manager_->home() / ".config/systemd/user/x402-mock.service"));
  EXPECT_FALSE(fs::exists(elsewhere / "systemd"));
  EXPECT_EQ(Mock({"stop"}, {"XDG_CONFIG_HOME=" + elsewhere.string()}).exit_code, 0);
  EXPECT_EQ(Systemctl("is-active x402-mock"), "inactive");
}

// Issue 16, item 10: with a HOME other than the manager's, the unit read the manager's launch
// spec (%h), served another port, the CLI exited 3 and the unit stayed active. Now start
// refuses up front, says why, and nothing runs.
TEST_F(SystemdTest, AHomeOtherThanTheManagersIsRefusedAndNothingRuns) {
  // The manager's home has a launch spec of its own (an earlier start there, on another port).
  const uint16_t other_port = FreePort();
  ASSERT_EQ(Start().exit_code, 0);
  ASSERT_EQ(Mock({"stop"}).exit_code, 0);
  TempDir other_home;
  std::vector<std::string> env = manager_->Env();
  env.push_back("HOME=" + other_home.path().string());
  const RunResult r = RunX402Dev(
      other_home.path(), {"mock", "start", "--backend", "systemd", "--port", std::to_string(other_port)},
      env);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("HOME=" + manager_->home().string()), std::string::npos) << r.err;
  EXPECT_NE(Systemctl("is-active x402-mock"), "active");
  EXPECT_NE(Systemctl("is-active x402-mock"), "activating");
  EXPECT_FALSE(fs::exists(PidFile()));
  // Nothing answers on either port.
  boost::asio::io_context io;
  for (const uint16_t port : {port_, other_port}) {
    boost::asio::ip::tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    EXPECT_TRUE(ec) << "port " << port << " answers";
  }
}

// Issue 16 item 7: from a shell without the user bus (cron, ssh, sudo: XDG_RUNTIME_DIR unset
// or pointing elsewhere) stop used to signal the systemd-owned server directly, and
// Restart=on-failure brought it back. Now stop, restart and reload exit 3 saying how to reach
// the manager, and the server is never touched.
TEST_F(SystemdTest, WithoutTheUserBusStopRestartAndReloadExit3AndLeaveTheServerAlone) {
  ASSERT_EQ(Start().exit_code, 0);
  const int64_t pid = PidFromFile();
  ASSERT_GT(pid, 1);
  TempDir empty_runtime;
  const std::string home = "HOME=" + manager_->home().string();
  const std::vector<std::vector<std::string>> shells = {
      {home},                                                          // XDG_RUNTIME_DIR unset
      {home, "XDG_RUNTIME_DIR=" + empty_runtime.path().string()}};     // pointing at no bus
  for (const auto& env : shells) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"mock", "stop"},
          std::vector<std::string>{"mock", "restart", "--port", std::to_string(port_)},
          std::vector<std::string>{"mock", "reload"}}) {
      const RunResult r = RunX402Dev(manager_->home(), args, env);
      EXPECT_EQ(r.exit_code, 3) << args[1] << " with " << env.back() << ": " << r.out << r.err;
      EXPECT_NE(r.err.find("managed by systemd"), std::string::npos) << r.err;
      EXPECT_NE(r.err.find("XDG_RUNTIME_DIR"), std::string::npos) << r.err;
    }
  }
  // Nothing reached the server: the same process, never restarted by systemd, still serving.
  EXPECT_EQ(PidFromFile(), pid);
  EXPECT_EQ(Systemctl("show -p MainPID --value x402-mock"), std::to_string(pid));
  EXPECT_EQ(Systemctl("show -p NRestarts --value x402-mock"), "0");
  EXPECT_EQ(json::parse(Get(port_, "/__x402/health").body()).as_object().at("pid"), pid);
}

TEST(SystemdFallbackTest, AutoUsesDirectWhenNoUserManagerRuns) {
  TempDir home;
  TempDir empty_runtime;
  const uint16_t port = FreePort();
  const RunResult r = RunX402Dev(home.path(), {"mock", "start", "--port", std::to_string(port)},
                                 {"XDG_RUNTIME_DIR=" + empty_runtime.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("backend direct"), std::string::npos) << r.out;
  const RunResult explicit_systemd = RunX402Dev(
      home.path(), {"mock", "start", "--port", std::to_string(FreePort()), "--backend", "systemd"},
      {"XDG_RUNTIME_DIR=" + empty_runtime.path().string()});
  EXPECT_EQ(explicit_systemd.exit_code, 3);
  EXPECT_EQ(RunX402Dev(home.path(), {"mock", "stop"}).exit_code, 0);
}

}  // namespace
}  // namespace x402::testing
