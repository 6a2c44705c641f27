// The lifecycle contract (docs/cli.md) for the direct backend, with real processes: every
// command's exit codes, the PID file and its lock, readiness, stale and corrupt files,
// concurrent starts, graceful stop, reload, logs and their rotation.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <fstream>
#include <future>
#include <gtest/gtest.h>
#include <atomic>
#include <mutex>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "base/base64.h"
#include "server_process.h"

namespace x402::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using tcp = boost::asio::ip::tcp;

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override { port_ = FreePort(); }

  void TearDown() override {
    // Whatever a test left running is stopped by its PID, never by name.
    const std::string content = ReadText(PidFile());
    const pid_t pid = static_cast<pid_t>(std::atoi(content.c_str()));
    RunX402Dev(home_.path(), {"mock", "stop", "--timeout", "5"});
    if (pid > 1 && ProcessAlive(pid) && fs::exists(PidFile())) ::kill(pid, SIGKILL);
  }

  RunResult Mock(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), "mock");
    return RunX402Dev(home_.path(), args, env);
  }
  RunResult Start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"start", "--port", std::to_string(port_), "--threads", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Mock(args);
  }
  fs::path PidFile() const { return home_.path() / ".x402dev" / "mock-server.pid"; }
  fs::path LogFile() const { return home_.path() / ".x402dev" / "logs" / "mock-server.log"; }
  pid_t PidFromFile() const { return static_cast<pid_t>(std::atoi(ReadText(PidFile()).c_str())); }
  json::object StatusJson() {
    const RunResult r = Mock({"status", "--json"});
    return json::parse(r.out).as_object();
  }
  void WriteConfig(const std::string& yaml) { std::ofstream(home_.path() / ".x402dev.yaml") << yaml; }

  TempDir home_;
  uint16_t port_ = 0;
};

TEST_F(LifecycleTest, StartStatusStopFollowTheExitCodeContract) {
  RunResult r = Mock({"status"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("not running"), std::string::npos);

  r = Start();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("http://127.0.0.1:" + std::to_string(port_)), std::string::npos);
  EXPECT_NE(r.out.find("backend direct"), std::string::npos);
  // start returned 0: the port accepts a connection right now, and it is the PID file's PID.
  const Response health = Get(port_, "/__x402/health");
  EXPECT_EQ(health.result(), http::status::ok);
  const pid_t pid = PidFromFile();
  EXPECT_EQ(ReadText(PidFile()), std::to_string(pid) + "\n");
  EXPECT_EQ(json::parse(health.body()).as_object().at("pid"), pid);
  EXPECT_NE(r.out.find("PID " + std::to_string(pid)), std::string::npos);
  EXPECT_EQ(fs::status(home_.path() / ".x402dev").permissions() & fs::perms::all, fs::perms::owner_all);

  r = Mock({"status"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("running"), std::string::npos);
  const json::object status = StatusJson();
  EXPECT_EQ(status.at("running"), true);
  EXPECT_EQ(status.at("pid"), pid);
  EXPECT_EQ(status.at("port"), port_);
  EXPECT_EQ(status.at("backend"), "direct");
  EXPECT_TRUE(status.contains("uptime_s"));

  r = Start();
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("already running (PID " + std::to_string(pid)), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("restart"), std::string::npos);

  r = Mock({"stop"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(PidFile()));
  EXPECT_FALSE(ProcessAlive(pid));
  boost::asio::io_context ioc;
  tcp::socket socket(ioc);
  boost::system::error_code ec;
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_), ec);
  EXPECT_TRUE(ec) << "the port still accepts connections after stop";

  EXPECT_EQ(Mock({"status"}).exit_code, 1);
  EXPECT_EQ(Mock({"stop"}).exit_code, 1);
  EXPECT_EQ(Mock({"reload"}).exit_code, 1);
}

TEST_F(LifecycleTest, KillNineThenStatusIsNotRunningAndCleansUp) {
  ASSERT_EQ(Start().exit_code, 0);
  const pid_t pid = PidFromFile();
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  // The detached server is not our child; wait until the kernel has released its lock.
  for (int i = 0; i < 500 && ProcessAlive(pid); ++i) usleep(10'000);
  const RunResult r = Mock({"status"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("stale PID file"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(PidFile()));
  // …and a new start works at once, without manual clean-up.
  EXPECT_EQ(Start().exit_code, 0);
}

// The direct backend's crash loop: SIGKILL, then `mock start` straight away (no status, no
// clean-up in between), five times. The kernel releases the PID-file lock with the process,
// so the stale file never blocks a start.
TEST_F(LifecycleTest, KillNineThenStartWorksAtOnceEveryTime) {
  ASSERT_EQ(Start().exit_code, 0);
  for (int crash = 1; crash <= 5; ++crash) {
    const pid_t pid = PidFromFile();
    ASSERT_GT(pid, 1);
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    for (int i = 0; i < 500 && ProcessAlive(pid); ++i) usleep(10'000);
    const RunResult again = Start();
    ASSERT_EQ(again.exit_code, 0) << "crash " << crash << ": " << again.err;
    EXPECT_NE(PidFromFile(), pid);
    EXPECT_EQ(Get(port_, "/api/data").result_int(), 402);
  }
}

TEST_F(LifecycleTest, PidFileNamingAnUnrelatedProcessNeverSignalsIt) {
  // A PID reused by another program after a crash: alive, but not holding the lock.
  const pid_t unrelated = SpawnUnrelatedProcess();
  ASSERT_GT(unrelated, 1);
  fs::create_directories(PidFile().parent_path());
  std::ofstream(PidFile()) << unrelated << "\n";
  const RunResult status = Mock({"status"});
  EXPECT_EQ(status.exit_code, 1);
  EXPECT_NE(status.err.find("stale PID file (PID " + std::to_string(unrelated)), std::string::npos)
      << status.err;
  std::ofstream(PidFile()) << unrelated << "\n";
  EXPECT_EQ(Mock({"stop"}).exit_code, 1);
  int wstatus = 0;
  EXPECT_EQ(::waitpid(unrelated, &wstatus, WNOHANG), 0) << "the unrelated process was signalled";
  ::kill(unrelated, SIGKILL);
  ::waitpid(unrelated, &wstatus, 0);
}

TEST_F(LifecycleTest, TenConcurrentStartsGiveExactlyOneServer) {
  const StartRace race = RaceStarts(10, [&] { return Start(); });
  EXPECT_EQ(race.ok, 1);
  EXPECT_EQ(race.already_running, 9);
  const pid_t pid = PidFromFile();
  EXPECT_EQ(json::parse(Get(port_, "/__x402/health").body()).as_object().at("pid"), pid);
  EXPECT_EQ(Mock({"stop"}).exit_code, 0);
}

TEST_F(LifecycleTest, PortHeldByAnotherProgramExits2NamingThePort) {
  boost::asio::io_context ioc;
  tcp::acceptor holder(ioc, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_));
  const RunResult r = Start();
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("port " + std::to_string(port_) + " is in use by PID " +
                       std::to_string(::getpid())),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(PidFile()));
}

TEST_F(LifecycleTest, StopAnswersTheRequestInFlightFirst) {
  WriteConfig("mock_server:\n  simulation_mode: timeout\n  timeout_delay_ms: 1500\n");
  ASSERT_EQ(Start().exit_code, 0);
  auto slow = std::async(std::launch::async,
                         [&] { return Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader()}}); });
  usleep(300'000);
  const RunResult r = Mock({"stop"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slow.get().result(), http::status::request_timeout);
  EXPECT_FALSE(fs::exists(PidFile()));
}

TEST_F(LifecycleTest, StopEscalatesToSigkillAfterTheTimeoutAndSaysSo) {
  WriteConfig("mock_server:\n  simulation_mode: timeout\n  timeout_delay_ms: 60000\n");
  ASSERT_EQ(Start().exit_code, 0);
  const pid_t pid = PidFromFile();
  auto slow = std::async(std::launch::async, [&] {
    try {
      return Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader()}}).result_int();
    } catch (const std::exception&) {
      return 0u;  // the connection dies with the killed server
    }
  });
  usleep(300'000);
  const RunResult r = Mock({"stop", "--timeout", "1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("killed (SIGKILL)"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(PidFile()));
  EXPECT_FALSE(ProcessAlive(pid));
  slow.get();
}

TEST_F(LifecycleTest, ReloadAppliesAValidConfigAndRefusesAnInvalidOne) {
  WriteConfig("mock_server:\n  pricing:\n    default: 0.02\n");
  ASSERT_EQ(Start().exit_code, 0);
  auto amount = [&] {
    const json::object v1 = json::parse(Get(port_, "/x").body()).as_object();
    return std::string(v1.at("accepts").as_array()[0].as_object().at("maxAmountRequired").as_string());
  };
  EXPECT_EQ(amount(), "20000");
  WriteConfig("mock_server:\n  pricing:\n    default: 0.04\n");
  RunResult r = Mock({"reload"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(amount(), "40000");
  WriteConfig("mock_server:\n  pricing:\n    default: lots\n");
  r = Mock({"reload"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("reload refused"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(".x402dev.yaml:3"), std::string::npos) << r.err;
  EXPECT_EQ(amount(), "40000");
}

TEST_F(LifecycleTest, RestartReplacesTheServerWithNewOptions) {
  RunResult r = Mock({"restart", "--port", std::to_string(port_)});  // nothing runs: just start
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const pid_t first = PidFromFile();
  const uint16_t second_port = FreePort();
  r = Mock({"restart", "--port", std::to_string(second_port)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const pid_t second = PidFromFile();
  EXPECT_NE(first, second);
  EXPECT_FALSE(ProcessAlive(first));
  EXPECT_EQ(json::parse(Get(second_port, "/__x402/health").body()).as_object().at("pid"), second);
}

TEST_F(LifecycleTest, LogsShowTheServerAndRotationStaysBounded) {
  EXPECT_EQ(Mock({"logs"}).exit_code, 1);
  WriteConfig("log_max_size: 1K\nlog_max_files: 2\n");
  ASSERT_EQ(Start().exit_code, 0);
  for (int i = 0; i < 80; ++i) Get(port_, "/api/data", {{"X-PAYMENT", ValidPaymentHeader()}});
  const RunResult r = Mock({"logs", "-n", "3"});
  EXPECT_EQ(r.exit_code, 0);
  // The last lines are payment outcomes and access lines (which of them, depends on where the
  // 1K log last rotated).
  EXPECT_NE(r.out.find("/api/data"), std::string::npos) << r.out;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(LogFile().parent_path())) {
    ++files;
    EXPECT_LT(fs::file_size(entry.path()), 4096u) << entry.path();
  }
  EXPECT_GE(files, 2);  // it did rotate…
  EXPECT_LE(files, 3);  // …and kept only the live file plus two archives
}

TEST_F(LifecycleTest, ForegroundServerIsSeenAndStoppedFromAnotherProcess) {
  ServerProcess foreground(home_.path(), {"mock", "--port", std::to_string(port_)});
  ASSERT_TRUE(foreground.WaitHealthy(port_)) << foreground.Stderr();
  const json::object status = StatusJson();
  EXPECT_EQ(status.at("running"), true);
  EXPECT_EQ(status.at("pid"), foreground.pid());
  EXPECT_EQ(status.at("backend"), "foreground");
  EXPECT_EQ(ReadText(PidFile()), std::to_string(foreground.pid()) + "\n");
  RunResult r = Start();
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("already running"), std::string::npos);
  r = Mock({"stop"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(foreground.Wait(), 0);
  EXPECT_FALSE(fs::exists(PidFile()));
}

TEST_F(LifecycleTest, ASecondForegroundServerIsRefused) {
  ServerProcess first(home_.path(), {"mock", "--port", std::to_string(port_)});
  ASSERT_TRUE(first.WaitHealthy(port_));
  const RunResult second = Mock({"--port", std::to_string(FreePort())});
  EXPECT_EQ(second.exit_code, 3);
  EXPECT_NE(second.err.find("already running (PID " + std::to_string(first.pid())), std::string::npos)
      << second.err;
  first.Signal(SIGTERM);
  EXPECT_EQ(first.Wait(), 0);
}

TEST_F(LifecycleTest, InvalidConfigMakesStartFailWith3AndLeavesNothing) {
  WriteConfig("mock_server:\n  port: 99999\n");
  const RunResult r = Mock({"start"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(".x402dev.yaml:2: mock_server.port"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(PidFile()));
}

TEST_F(LifecycleTest, InstallWithoutANativeManagerExplainsWhy) {
  const RunResult r = Mock({"install", "--backend", "direct"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("nothing to install"), std::string::npos) << r.err;
}

// --- corrupt PID files, inside a private PID namespace -------------------------------------
//
// Run `x402-dev mock status` and `stop` in `unshare --pid --fork`: even a bug that signalled
// the PID from a corrupt file could only reach processes of that empty namespace.

bool CanUnsharePid() {
  return std::system("unshare --pid --fork true >/dev/null 2>&1") == 0;
}

struct CorruptCase {
  const char* name;
  std::function<void(const fs::path&)> make;
};

class CorruptPidFileTest : public LifecycleTest, public ::testing::WithParamInterface<CorruptCase> {};

TEST_P(CorruptPidFileTest, IsReportedRemovedAndNothingIsSignalled) {
  if (!CanUnsharePid()) GTEST_SKIP() << "needs `unshare --pid` (root or user namespaces)";
  fs::create_directories(PidFile().parent_path());
  GetParam().make(PidFile());
  const RunResult status = RunX402Dev(home_.path(), {"mock", "status"}, {}, /*pid_namespace=*/true);
  EXPECT_EQ(status.exit_code, 1) << status.err;
  EXPECT_NE(status.err.find("removed a"), std::string::npos) << status.err;
  EXPECT_FALSE(fs::exists(fs::symlink_status(PidFile())));
  GetParam().make(PidFile());
  const RunResult stop = RunX402Dev(home_.path(), {"mock", "stop"}, {}, /*pid_namespace=*/true);
  EXPECT_EQ(stop.exit_code, 1) << stop.err;
}

void Write(const fs::path& p, const std::string& text) {
  fs::remove(p);
  std::ofstream(p) << text;
}

INSTANTIATE_TEST_SUITE_P(
    EveryShape, CorruptPidFileTest,
    ::testing::Values(
        CorruptCase{"Empty", [](const fs::path& p) { Write(p, ""); }},
        CorruptCase{"NonNumeric", [](const fs::path& p) { Write(p, "hello\n"); }},
        CorruptCase{"Zero", [](const fs::path& p) { Write(p, "0\n"); }},
        CorruptCase{"One", [](const fs::path& p) { Write(p, "1\n"); }},
        CorruptCase{"Negative", [](const fs::path& p) { Write(p, "-1\n"); }},
        CorruptCase{"TooLarge", [](const fs::path& p) { Write(p, "99999999999\n"); }},
        CorruptCase{"Spaces", [](const fs::path& p) { Write(p, " 42 \n"); }},
        CorruptCase{"Symlink",
                    [](const fs::path& p) {
                      fs::remove(p);
                      fs::create_symlink("/proc/self/stat", p);
                    }}),
    [](const ::testing::TestParamInfo<CorruptCase>& param) { return std::string(param.param.name); });

}  // namespace
}  // namespace x402::testing

namespace x402::testing {
namespace {

// Issue 9, lifecycle storm: 4 shells × 50 calls of start/stop/status/restart on one HOME and
// port. Every exit code must be one the contract allows for that command, there is never more
// than one server, and nothing is left running at the end.
TEST(LifecycleStormTest, ParallelCallsKeepTheContract) {
  TempDir home;
  const std::string port = std::to_string(FreePort());
  std::atomic<int> unexpected{0};
  std::mutex report_mutex;
  std::string report;
  std::map<std::string, int> outcomes;  // "start→0" → count, printed for the reliability log
  auto shell = [&](int seed) {
    const char* ops[] = {"start", "stop", "status", "restart"};
    for (int i = 0; i < 50; ++i) {
      const std::string op = ops[(seed * 7 + i * 3 + i / 5) % 4];
      std::vector<std::string> args = {"mock", op};
      if (op == "start" || op == "restart") {
        args.insert(args.end(), {"--port", port, "--threads", "1", "--backend", "direct"});
      }
      const RunResult r = RunX402Dev(home.path(), args);
      bool allowed = false;
      if (op == "start") allowed = r.exit_code == 0 || r.exit_code == 3 || r.exit_code == 2;
      if (op == "stop") allowed = r.exit_code == 0 || r.exit_code == 1;
      if (op == "status") allowed = r.exit_code == 0 || r.exit_code == 1;
      if (op == "restart") allowed = r.exit_code == 0 || r.exit_code == 2 || r.exit_code == 3;
      // exit 3 only for a contract reason, never a crash or an internal error
      if (r.exit_code == 3 && r.err.find("internal") != std::string::npos) allowed = false;
      {
        std::lock_guard<std::mutex> lock(report_mutex);
        ++outcomes[op + "→" + std::to_string(r.exit_code)];
      }
      if (!allowed) {
        ++unexpected;
        std::lock_guard<std::mutex> lock(report_mutex);
        report += op + " → " + std::to_string(r.exit_code) + ": " + r.err + "\n";
      }
    }
  };
  std::vector<std::thread> shells;
  for (int s = 0; s < 4; ++s) shells.emplace_back(shell, s);
  for (auto& t : shells) t.join();
  EXPECT_EQ(unexpected, 0) << report;
  std::string summary = "storm outcomes:";
  for (const auto& [outcome, count] : outcomes) summary += " " + outcome + "×" + std::to_string(count);
  std::cout << summary << "\n";
  // The servers of this storm, by their command line (the CLI calls have all returned).
  auto servers = [&] {
    int count = 0;
    for (const auto& entry : fs::directory_iterator("/proc")) {
      const std::string name = entry.path().filename();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::string cmdline = ReadText(entry.path() / "cmdline");
      std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
      if (cmdline.rfind(std::string(X402_DEV_BINARY) + " mock --port " + port + " ", 0) == 0 &&
          ProcessAlive(static_cast<pid_t>(std::stoi(name)))) {
        ++count;
      }
    }
    return count;
  };
  EXPECT_LE(servers(), 1) << "two servers after the storm";
  // Stop what runs, and nothing is left.
  const RunResult stop = RunX402Dev(home.path(), {"mock", "stop"});
  EXPECT_TRUE(stop.exit_code == 0 || stop.exit_code == 1) << stop.err;
  EXPECT_EQ(RunX402Dev(home.path(), {"mock", "status"}).exit_code, 1);
  boost::asio::io_context ioc;
  tcp::socket socket(ioc);
  boost::system::error_code ec;
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                               static_cast<uint16_t>(std::stoi(port))), ec);
  EXPECT_TRUE(ec) << "a server is still listening after the storm";
  EXPECT_EQ(servers(), 0) << "an orphan server after the storm";
}

}  // namespace
}  // namespace x402::testing

namespace x402::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// Issue 28: the instance's Solana fee payer is generated once, kept in the state directory,
// the same after a restart, and shown by `mock status` and `config show`; a fee-payer file that
// is a link, or that does not read, stops the start with what is wrong and is left as it was.
class SolanaFeePayerTest : public ::testing::Test {
 protected:
  void SetUp() override { port_ = FreePort(); }
  void TearDown() override { RunX402Dev(home_.path(), {"mock", "stop", "--timeout", "5"}); }
  RunResult Run(std::vector<std::string> args) { return RunX402Dev(home_.path(), std::move(args)); }
  RunResult Start() { return Run({"mock", "start", "--port", std::to_string(port_), "--threads", "1"}); }
  fs::path KeyFile() const { return home_.path() / ".x402dev" / "solana-fee-payer.json"; }

  TempDir home_;
  uint16_t port_ = 0;
};

TEST_F(SolanaFeePayerTest, IsKeptAcrossRestartsAndShownByStatusAndConfigShow) {
  ASSERT_EQ(Start().exit_code, 0);
  const std::string address = std::string(
      json::parse(Run({"mock", "status", "--json"}).out).as_object().at("solana_fee_payer").as_string());
  ASSERT_GE(address.size(), 32u);
  // solana-keygen's format: 64 numbers, the last 32 the public key whose base58 is the address.
  const json::array key = json::parse(ReadText(KeyFile())).as_array();
  ASSERT_EQ(key.size(), 64u);
  EXPECT_NE(Run({"mock", "status"}).out.find("fee payer " + address), std::string::npos);
  EXPECT_NE(Run({"config", "show"}).out.find("solana fee payer: " + address), std::string::npos);
  const json::value supported = json::parse(Get(port_, "/facilitator/supported").body());
  EXPECT_EQ(supported.at("signers").at("solana:*").at(0), json::value(address));

  ASSERT_EQ(Run({"mock", "stop"}).exit_code, 0);
  ASSERT_EQ(Start().exit_code, 0);
  EXPECT_EQ(json::parse(Run({"mock", "status", "--json"}).out).at("solana_fee_payer"), json::value(address));
}

TEST_F(SolanaFeePayerTest, ALinkOrAnUnreadableKeyStopsTheStartAndIsLeftAlone) {
  fs::create_directories(home_.path() / ".x402dev");
  fs::permissions(home_.path() / ".x402dev", fs::perms::owner_all);
  const fs::path elsewhere = home_.path() / "elsewhere.json";
  std::ofstream(elsewhere) << "not a key";
  fs::create_symlink(elsewhere, KeyFile());
  RunResult r = Start();
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("solana-fee-payer.json"), std::string::npos) << r.err;
  EXPECT_EQ(ReadText(elsewhere), "not a key");

  fs::remove(KeyFile());
  std::ofstream(KeyFile()) << "[1,2,3]";
  r = Start();
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("64 bytes"), std::string::npos) << r.err;
  EXPECT_EQ(ReadText(KeyFile()), "[1,2,3]");
}

}  // namespace
}  // namespace x402::testing
