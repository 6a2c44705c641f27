// Issue 16: the hostile cases of the lifecycle, each on the real binary and real processes —
// what a careless environment (no HOME, a relative one), a hostile one (a symlinked state
// directory), a shell pipeline and a user poking at the options do to `x402-dev mock`.
// docs/reliability.md, "Hostile cases and the behaviour chosen", lists the choices.
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <thread>

#include "server_process.h"

namespace x402::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::steady_clock;

std::set<std::string> Entries(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

mode_t Mode(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

// The value of NAME=value lines printed by a script.
std::string Value(const std::string& out, const std::string& name) {
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name + "=", 0) == 0) return line.substr(name.size() + 1);
  }
  return "<missing>";
}

class HostileTest : public ::testing::Test {
 protected:
  void SetUp() override { port_ = FreePort(); }
  void TearDown() override {
    const pid_t pid = static_cast<pid_t>(std::atoi(ReadText(PidFile()).c_str()));
    RunX402Dev(home_.path(), {"mock", "stop", "--timeout", "5"});
    if (pid > 1 && ProcessAlive(pid) && fs::exists(PidFile())) ::kill(pid, SIGKILL);
  }
  RunResult Mock(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), "mock");
    return RunX402Dev(home_.path(), args, env);
  }
  std::vector<std::string> StartArgs() const {
    return {"start", "--port", std::to_string(port_), "--threads", "1", "--backend", "direct"};
  }
  fs::path PidFile() const { return home_.path() / ".x402dev" / "mock-server.pid"; }

  TempDir home_;
  uint16_t port_ = 0;
};

// Item 3. HOME unset made ~/.x402dev relative to the current directory: a start from each of
// two folders gave two servers. Now the account's home (getpwuid) is used: one server, the
// second start says so, nothing is written in either folder. The account's home is replaced,
// for this test only, by an empty folder bind-mounted over it in a private mount namespace.
TEST_F(HostileTest, HomeUnsetMeansTheAccountsHomeFromEveryFolder) {
  if (::geteuid() != 0 || ::access("/usr/bin/unshare", X_OK) != 0) {
    GTEST_SKIP() << "needs root and unshare (a private mount over the account's home)";
  }
  const passwd* account = ::getpwuid(::getuid());
  ASSERT_NE(account, nullptr);
  const std::string account_home = account->pw_dir;
  if (!fs::is_directory(account_home)) GTEST_SKIP() << "the account has no home directory";
  TempDir fake_home, a, b;
  const std::string script = R"SH(
set -u
binary=$1 port=$2 other_port=$3 account_home=$4 fake_home=$5 a=$6 b=$7
mount --bind "$fake_home" "$account_home" || { echo "mounted=no"; exit 0; }
echo "mounted=yes"
cd "$a" && env -u HOME "$binary" mock start --port "$port" --threads 1 --backend direct >/dev/null 2>&1
echo "first=$?"
cd "$b" && env -u HOME "$binary" mock start --port "$other_port" --threads 1 --backend direct 2>&1 >/dev/null | head -1 | sed 's/^/second_err=/'
cd "$b" && env -u HOME "$binary" mock start --port "$other_port" --threads 1 --backend direct >/dev/null 2>&1
echo "second=$?"
echo "pid=$(cat "$account_home/.x402dev/mock-server.pid" 2>/dev/null)"
cd "$b" && HOME= "$binary" mock status >/dev/null 2>&1
echo "status_empty_home=$?"
cd "$a" && env -u HOME "$binary" mock stop >/dev/null 2>&1
echo "stop=$?"
echo "in_a=$(ls -A "$a" | tr '\n' ' ')"
echo "in_b=$(ls -A "$b" | tr '\n' ' ')"
)SH";
  const RunResult r = RunBinary(
      "/usr/bin/unshare", home_.path(),
      {"--mount", "--propagation", "private", "bash", "-c", script, "bash", X402_DEV_BINARY,
       std::to_string(port_), std::to_string(FreePort()), account_home, fake_home.path().string(),
       a.path().string(), b.path().string()});
  if (Value(r.out, "mounted") != "yes") GTEST_SKIP() << "cannot bind-mount here: " << r.out << r.err;
  const std::string pid = Value(r.out, "pid");
  if (!pid.empty() && pid != "<missing>" && ProcessAlive(std::stoi(pid))) {
    ::kill(std::stoi(pid), SIGKILL);
  }
  EXPECT_EQ(Value(r.out, "first"), "0") << r.out << r.err;
  EXPECT_EQ(Value(r.out, "second"), "3") << "a second server started from another folder\n"
                                         << r.out;
  EXPECT_NE(Value(r.out, "second_err").find("already running"), std::string::npos) << r.out;
  EXPECT_EQ(Value(r.out, "status_empty_home"), "0") << "HOME= must find the same server";
  EXPECT_EQ(Value(r.out, "stop"), "0") << r.out;
  EXPECT_EQ(Value(r.out, "in_a"), "") << "written in the current directory";
  EXPECT_EQ(Value(r.out, "in_b"), "") << "written in the current directory";
  EXPECT_TRUE(fs::exists(fake_home.path() / ".x402dev" / "logs" / "mock-server.log"));
}

// Item 3. A relative HOME would move ~/.x402dev with the current directory: refused.
TEST_F(HostileTest, ARelativeHomeIsRefusedWith3AndNothingIsWritten) {
  for (const std::vector<std::string>& args :
       {StartArgs(), std::vector<std::string>{"status"}, std::vector<std::string>{"stop"}}) {
    const RunResult r = Mock(args, {"HOME=relative-home"});
    EXPECT_EQ(r.exit_code, 3) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("HOME 'relative-home' is a relative path"), std::string::npos) << r.err;
  }
  // (The harness keeps each run's stdout.*/stderr.* there.)
  for (const std::string& name : Entries(home_.path())) {
    EXPECT_TRUE(name.rfind("stdout.", 0) == 0 || name.rfind("stderr.", 0) == 0)
        << name << " was written in the current directory";
  }
}

// Item 4. ~/.x402dev -> a folder of someone else's (as root with a user's HOME: /etc) was
// made 0700 and written into before the PID file's check refused it. Every command now
// refuses it first, and the target stays exactly as it was.
TEST_F(HostileTest, ASymlinkedStateDirectoryIsRefusedBeforeAnythingIsWrittenThroughIt) {
  TempDir target;
  ::chmod(target.path().c_str(), 0755);
  std::ofstream(target.path() / "keep") << "precious\n";
  std::ofstream(target.path() / "mock-server.pid") << "4711\n";  // stale: cleanup would remove it
  const auto untouched = [&](const std::string& what) {
    EXPECT_EQ(Mode(target.path()), 0755u) << what << " chmod-ed the link's target";
    EXPECT_EQ(Entries(target.path()), (std::set<std::string>{"keep", "mock-server.pid"}))
        << what << " wrote or removed something in the link's target";
    EXPECT_EQ(ReadText(target.path() / "keep"), "precious\n") << what;
  };
  fs::create_directory_symlink(target.path(), home_.path() / ".x402dev");
  for (const std::vector<std::string>& args :
       {StartArgs(), std::vector<std::string>{"status"}, std::vector<std::string>{"stop"},
        std::vector<std::string>{"restart", "--port", std::to_string(port_), "--backend", "direct"},
        std::vector<std::string>{"reload"}}) {
    const RunResult r = Mock(args);
    EXPECT_EQ(r.exit_code, 3) << args[0] << ": " << r.out << r.err;
    EXPECT_NE(r.err.find("is a symbolic link"), std::string::npos) << args[0] << ": " << r.err;
    untouched("mock " + args[0]);
  }
  // The server itself (a foreground run, or a service manager's) checks too.
  RunResult r = RunX402Dev(home_.path(), {"mock", "--port", std::to_string(port_), "--threads", "1"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  untouched("the foreground server");

  // A real ~/.x402dev with logs -> the target.
  fs::remove(home_.path() / ".x402dev");
  fs::create_directory(home_.path() / ".x402dev");
  fs::create_directory_symlink(target.path(), home_.path() / ".x402dev" / "logs");
  r = Mock(StartArgs());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("logs is a symbolic link"), std::string::npos) << r.err;
  untouched("mock start (linked logs/)");
  r = RunX402Dev(home_.path(), {"mock", "--port", std::to_string(port_), "--threads", "1"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  untouched("the foreground server (linked logs/)");
  EXPECT_FALSE(fs::exists(PidFile())) << "no server may have started";

  // A real logs/ whose log file is a link: the server refuses to open it.
  fs::remove(home_.path() / ".x402dev" / "logs");
  fs::create_directory(home_.path() / ".x402dev" / "logs");
  fs::create_symlink(target.path() / "keep", home_.path() / ".x402dev" / "logs" / "mock-server.log");
  r = Mock(StartArgs());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  untouched("mock start (linked log file)");
}

// Item 5. The direct backend handed the caller's open descriptors to the server, so a pipe
// the caller held open kept its reader waiting for as long as the server ran.
TEST_F(HostileTest, APipeTheCallerHoldsIsNotInheritedByTheServer) {
  const std::string script = "( \"$0\" mock start --port \"$1\" --threads 1 --backend direct 5>&1 ) | cat";
  const auto begin = steady_clock::now();
  const RunResult r = RunBinary("/usr/bin/timeout", home_.path(),
                                {"20", "bash", "-c", script, X402_DEV_BINARY, std::to_string(port_)});
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - begin);
  EXPECT_EQ(r.exit_code, 0) << "124 means the pipeline hung until timeout killed it\n" << r.err;
  EXPECT_LT(took.count(), 8000) << "the pipeline waited for the server";
  EXPECT_NE(r.out.find("started mock server"), std::string::npos) << r.out;
  EXPECT_EQ(Mock({"status"}).exit_code, 0) << "the server must still run";
  // And it holds nothing of the caller's beyond 0-2 (the log) and its own files.
  const pid_t pid = static_cast<pid_t>(std::atoi(ReadText(PidFile()).c_str()));
  const fs::path fd5 = fs::path("/proc") / std::to_string(pid) / "fd" / "5";
  std::error_code ec;
  const fs::path points_to = fs::read_symlink(fd5, ec);
  EXPECT_TRUE(ec || points_to.string().rfind("pipe:", 0) != 0) << "fd 5 is " << points_to;
}

// Item 14. `logs -f` printed the last lines and then the whole file again from byte 0.
TEST_F(HostileTest, LogsFollowStartsFromTheEndNotFromTheStart) {
  const fs::path log = home_.path() / ".x402dev" / "logs" / "mock-server.log";
  fs::create_directories(log.parent_path());
  {
    std::ofstream out(log);
    for (int i = 0; i < 20000; ++i) out << "old line " << i << "\n";
  }
  ServerProcess follow(home_.path(), {"mock", "logs", "-f", "-n", "2"});
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  std::ofstream(log, std::ios::app) << "new line A\n";
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  follow.Signal(SIGTERM);
  follow.Wait(std::chrono::seconds(5));
  const std::string out = follow.Stdout();
  EXPECT_EQ(out, "old line 19998\nold line 19999\nnew line A\n") << out.substr(0, 200);
}

// Item 15. Each command's help describes that command and only its options; no internal
// plumbing (--subcommand, --action, --file) shows.
TEST_F(HostileTest, EachHelpDescribesItsOwnCommandAndNoPlumbing) {
  const std::vector<std::vector<std::string>> helps = {
      {"--help"}, {"mock", "--help"}, {"mock", "start", "--help"}, {"mock", "stop", "--help"},
      {"mock", "status", "--help"}, {"mock", "restart", "--help"}, {"mock", "reload", "--help"},
      {"mock", "logs", "--help"}, {"mock", "list", "--help"}, {"mock", "install", "--help"},
      {"mock", "uninstall", "--help"}, {"config", "--help"}, {"config", "show", "--help"},
      {"config", "validate", "--help"}, {"init", "--help"}};
  for (const auto& args : helps) {
    const RunResult r = RunX402Dev(home_.path(), args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.exit_code, 0) << joined << r.err;
    for (const char* plumbing : {"--subcommand", "--action", "--file ", "--file\n", "--launch-spec"}) {
      EXPECT_EQ(r.out.find(plumbing), std::string::npos) << joined << "shows " << plumbing << "\n"
                                                         << r.out;
    }
  }
  const RunResult restart = RunX402Dev(home_.path(), {"mock", "restart", "--help"});
  EXPECT_NE(restart.out.find("x402-dev mock restart"), std::string::npos) << restart.out;
  EXPECT_NE(restart.out.find("starts it again"), std::string::npos) << restart.out;
  EXPECT_EQ(restart.out.find("Starts the mock server in the background"), std::string::npos)
      << restart.out;
  const RunResult uninstall = RunX402Dev(home_.path(), {"mock", "uninstall", "--help"});
  EXPECT_NE(uninstall.out.find("x402-dev mock uninstall"), std::string::npos) << uninstall.out;
  for (const char* config_flag : {"--config", "--port", "--pricing", "--enable", "--host"}) {
    EXPECT_EQ(uninstall.out.find(config_flag), std::string::npos)
        << "uninstall --help shows " << config_flag << "\n" << uninstall.out;
  }
}

// Item 16. `stop --timeout 0` kills at once (as `docker stop -t 0`); `--wait-timeout 0` is
// refused with a message that states the real range.
TEST_F(HostileTest, StopTimeoutZeroKillsAtOnceAndWaitTimeoutZeroSaysTheRange) {
  ASSERT_EQ(Mock(StartArgs()).exit_code, 0);
  const pid_t pid = static_cast<pid_t>(std::atoi(ReadText(PidFile()).c_str()));
  const auto begin = steady_clock::now();
  RunResult r = Mock({"stop", "--timeout", "0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(steady_clock::now() - begin, std::chrono::seconds(3));
  EXPECT_FALSE(ProcessAlive(pid));
  EXPECT_FALSE(fs::exists(PidFile()));

  std::vector<std::string> args = StartArgs();
  args.insert(args.end(), {"--wait-timeout", "0"});
  r = Mock(args);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("--wait-timeout"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("above 0 and at most 3600"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(PidFile()));
}

// Item 17. `start --threads 0` said only "the server exited during start-up with status 3":
// every option is checked before anything is spawned, and the reason is on stderr.
TEST_F(HostileTest, StartWithThreadsZeroSaysWhyBeforeSpawning) {
  const RunResult r = Mock({"start", "--port", std::to_string(port_), "--threads", "0"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("--threads"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("exited during start-up"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(home_.path() / ".x402dev" / "logs" / "mock-server.log"))
      << "a server was spawned";
}

}  // namespace
}  // namespace x402::testing
