// Named instances side by side and `mock restart` keeping what runs, on the direct backend
// with real processes (the same under the real systemd user manager: systemd_test.cc).
#include <signal.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sstream>

#include "server_process.h"

namespace x402::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using tcp = boost::asio::ip::tcp;

bool Answers(uint16_t port) {
  try {
    return Get(port, "/__x402/health").result() == http::status::ok;
  } catch (const std::exception&) {
    return false;
  }
}

// The amount the server asks for /api/data (its pricing in force).
std::string Amount(uint16_t port) {
  const Response r = Get(port, "/anything-unpriced");
  return std::string(json::parse(r.body()).at("accepts").at(0).at("maxAmountRequired").as_string());
}

class InstancesTest : public ::testing::Test {
 protected:
  void TearDown() override {
    // Every instance this test started, stopped through the CLI; then by PID if still alive.
    std::vector<pid_t> pids;
    for (const auto& file : PidFiles()) pids.push_back(static_cast<pid_t>(std::atoi(ReadText(file).c_str())));
    RunX402Dev(home_.path(), {"mock", "stop", "--all", "--timeout", "5"});
    for (pid_t pid : pids) {
      if (pid > 1 && ::kill(pid, 0) == 0) ::kill(pid, SIGKILL);
    }
  }

  std::vector<fs::path> PidFiles() const {
    std::vector<fs::path> files = {home_.path() / ".x402dev" / "mock-server.pid"};
    std::error_code ec;
    for (fs::directory_iterator it(home_.path() / ".x402dev" / "instances", ec), end; !ec && it != end;
         it.increment(ec)) {
      files.push_back(it->path() / "mock-server.pid");
    }
    files.erase(std::remove_if(files.begin(), files.end(), [](const fs::path& p) { return !fs::exists(p); }),
                files.end());
    return files;
  }

  RunResult Mock(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), "mock");
    env.push_back("X402_DEV_BACKEND=direct");
    return RunX402Dev(home_.path(), args, env);
  }

  // `x402-dev mock <args>` run from |directory| instead of the home.
  RunResult MockFrom(const fs::path& directory, const std::string& args) {
    return RunBinary("/bin/sh", home_.path(),
                     {"-c", "cd '" + directory.string() + "' && exec '" + std::string(X402_DEV_BINARY) +
                                "' mock " + args},
                     {"X402_DEV_BACKEND=direct"});
  }

  pid_t Pid(const std::string& name = "") const {
    const fs::path dir = name.empty() ? home_.path() / ".x402dev"
                                      : home_.path() / ".x402dev" / "instances" / name;
    return static_cast<pid_t>(std::atoi(ReadText(dir / "mock-server.pid").c_str()));
  }

  TempDir home_;
};

TEST_F(InstancesTest, NamedInstancesRunSideBySideWithTheDefaultOne) {
  const uint16_t p0 = FreePort(), pa = FreePort(), pb = FreePort();
  ASSERT_EQ(Mock({"start", "--port", std::to_string(p0)}).exit_code, 0);
  RunResult r = Mock({"start", "--name", "a", "--port", std::to_string(pa)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("mock server 'a'"), std::string::npos) << r.out;
  // X402_DEV_INSTANCE names the instance too.
  r = Mock({"start", "--port", std::to_string(pb)}, {"X402_DEV_INSTANCE=b"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(home_.path() / ".x402dev/instances/a/logs/mock-server.log"));
  EXPECT_TRUE(Answers(p0) && Answers(pa) && Answers(pb));
  const std::set<pid_t> pids = {Pid(), Pid("a"), Pid("b")};
  EXPECT_EQ(pids.size(), 3u);

  // Each instance sees its own server.
  r = Mock({"status", "--name", "a", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json::object a = json::parse(r.out).as_object();
  EXPECT_EQ(a.at("instance"), "a");
  EXPECT_EQ(a.at("pid"), Pid("a"));
  EXPECT_EQ(a.at("port"), pa);

  r = Mock({"list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("default"), std::string::npos);
  for (const std::string name : {"a", "b"}) {
    EXPECT_NE(r.out.find("\n" + name + " "), std::string::npos) << r.out;
  }
  r = Mock({"status", "--all", "--json"});
  json::array rows = json::parse(r.out).as_array();
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) EXPECT_EQ(row.at("running"), true) << json::serialize(row);

  // A third instance on a's port: exit 2 naming a.
  r = Mock({"start", "--name", "c", "--port", std::to_string(pa)});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("instance 'a'"), std::string::npos) << r.err;

  // Stopping one leaves the others serving.
  const pid_t a_pid = Pid("a");
  r = Mock({"stop", "--name", "a"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("stopped mock server 'a' (PID " + std::to_string(a_pid) + ")"),
            std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists(home_.path() / ".x402dev/instances/a/mock-server.pid"));
  EXPECT_FALSE(Answers(pa));
  EXPECT_TRUE(Answers(p0));
  EXPECT_TRUE(Answers(pb));
  EXPECT_EQ(Mock({"status", "--name", "a"}).exit_code, 1);

  EXPECT_EQ(Mock({"stop", "--all"}).exit_code, 0);
  EXPECT_FALSE(Answers(p0) || Answers(pb));
  r = Mock({"list"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(Mock({"stop", "--all"}).exit_code, 1);
}

TEST_F(InstancesTest, AnInvalidNameIsExit3WithTheRule) {
  for (const std::string name : {"Bad", "-x", "a_b", "../etc"}) {
    const RunResult r = Mock({"start", "--name", name, "--port", std::to_string(FreePort())});
    EXPECT_EQ(r.exit_code, 3) << name;
    EXPECT_NE(r.err.find("[a-z0-9][a-z0-9-]{0,31}"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(home_.path() / ".x402dev" / "instances"));
}

TEST_F(InstancesTest, RestartKeepsTheOptionsItWasStartedWithFromAnyDirectory) {
  const uint16_t port = FreePort();
  TempDir project;
  std::ofstream(project.path() / "prices.yaml") << "mock_server:\n  pricing:\n    default: 0.07\n";
  RunResult r = MockFrom(project.path(), "start --port " + std::to_string(port) + " --config prices.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Amount(port), "70000");
  const pid_t first = Pid();

  // From elsewhere, no options: the same port and config file (resolved where it was given).
  TempDir elsewhere;
  r = MockFrom(elsewhere.path(), "restart");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("stopped mock server (PID " + std::to_string(first) + ")"), std::string::npos);
  EXPECT_NE(Pid(), first);
  EXPECT_EQ(Amount(port), "70000");

  // An option given to restart overrides that one only.
  r = MockFrom(elsewhere.path(), "restart --pricing 0.02");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Amount(port), "20000");
  const uint16_t moved = FreePort();
  r = Mock({"restart", "--port", std::to_string(moved)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(Answers(port));
  EXPECT_EQ(Amount(moved), "20000");  // still the restart's --pricing: the record moved along
  const json::object status = json::parse(Mock({"status", "--json"}).out).as_object();
  EXPECT_EQ(status.at("port"), moved);
}

TEST_F(InstancesTest, RestartOntoAPortInUseIsExit2AndTheOldServerKeepsRunning) {
  const uint16_t port = FreePort();
  ASSERT_EQ(Mock({"start", "--port", std::to_string(port)}).exit_code, 0);
  const pid_t old = Pid();
  boost::asio::io_context io;
  tcp::acceptor holder(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const uint16_t held = holder.local_endpoint().port();

  RunResult r = Mock({"restart", "--port", std::to_string(held)});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(std::to_string(held)), std::string::npos) << r.err;
  EXPECT_EQ(Pid(), old);
  EXPECT_TRUE(Answers(port));

  // An invalid option is refused before the stop too.
  r = Mock({"restart", "--simulation-mode", "sometimes"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(Pid(), old);
  r = Mock({"restart", "--threads", "0"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("--threads"), std::string::npos) << r.err;
  EXPECT_EQ(Pid(), old);
}

}  // namespace
}  // namespace x402::testing
