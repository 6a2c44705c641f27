#include "server_process.h"

#include "base/base64.h"
#include "signed_payment.h"
#include "x402/paywall.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/json.hpp>
#include <atomic>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

extern char** environ;

namespace x402::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "x402-it-XXXXXX").string();
  path_ = ::mkdtemp(pattern.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

uint16_t FreePort() {
  net::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool ProcessAlive(pid_t pid) {
  const std::string stat = ReadText("/proc/" + std::to_string(pid) + "/stat");
  const std::size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z';
}

namespace {

pid_t Spawn(const std::filesystem::path& home, const std::vector<std::string>& args,
            const std::vector<std::string>& extra_env, const std::filesystem::path& out,
            const std::filesystem::path& err, bool pid_namespace, const std::string& binary) {
  std::vector<std::string> argv_storage;
  if (pid_namespace) argv_storage = {"unshare", "--pid", "--fork"};
  argv_storage.push_back(binary);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    // Each test decides HOME, the X402_DEV_* layer and which user manager (if any) is
    // reachable; nothing leaks in from the developer's session.
    if (entry.rfind("HOME=", 0) == 0 || entry.rfind("X402_DEV_", 0) == 0 ||
        entry.rfind("XDG_RUNTIME_DIR=", 0) == 0 || entry.rfind("XDG_CONFIG_HOME=", 0) == 0 ||
        entry.rfind("DBUS_SESSION_BUS_ADDRESS=", 0) == 0) {
      continue;
    }
    env_storage.push_back(entry);
  }
  // |home| is HOME and the working directory, unless the caller names another HOME.
  bool home_given = false;
  for (const auto& e : extra_env) home_given = home_given || e.rfind("HOME=", 0) == 0;
  if (!home_given) env_storage.push_back("HOME=" + home.string());
  env_storage.push_back("NO_COLOR=1");
  // The payments these tests make by hand (ValidPaymentHeader) are not signed and reuse one
  // nonce: they pass the shape checks only. A test about strict verification says so.
  bool verification_given = false;
  for (const auto& e : extra_env) {
    verification_given = verification_given || e.rfind("X402_DEV_VERIFICATION=", 0) == 0;
  }
  if (!verification_given) env_storage.push_back("X402_DEV_VERIFICATION=shape");
  env_storage.insert(env_storage.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  // The binary resolves ./.x402dev.yaml against its working directory: make it |home|.
  const std::string cwd = home.string();
  std::vector<char*> argv_with_cd;
  pid_t pid = -1;
  const std::string shell_cd = "cd \"$0\" && exec \"$@\"";
  std::vector<std::string> sh = {"/bin/sh", "-c", shell_cd, cwd};
  sh.insert(sh.end(), argv_storage.begin(), argv_storage.end());
  for (auto& a : sh) argv_with_cd.push_back(a.data());
  argv_with_cd.push_back(nullptr);
  ::posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv_with_cd.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// Distinct output files for processes started concurrently in one HOME.
int Counter() {
  static std::atomic<int> counter{0};
  return ++counter;
}

}  // namespace

ServerProcess::ServerProcess(const std::filesystem::path& home, std::vector<std::string> args,
                             std::vector<std::string> env, bool pid_namespace,
                             const std::string& binary)
    : out_(home / ("stdout." + std::to_string(::getpid()) + "." + std::to_string(Counter()) + ".txt")),
      err_(home / ("stderr." + std::to_string(::getpid()) + "." + std::to_string(Counter()) + ".txt")) {
  pid_ = Spawn(home, args, env, out_, err_, pid_namespace, binary);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 1 && !reaped_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

bool ServerProcess::WaitHealthy(uint16_t port, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (!reaped_ && ::waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      return false;
    }
    try {
      if (Get(port, "/__x402/health").result() == http::status::ok) return true;
    } catch (const std::exception&) {
      // not listening yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void ServerProcess::Signal(int signal) {
  if (pid_ > 1 && !reaped_) ::kill(pid_, signal);
}

std::optional<int> ServerProcess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!reaped_) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return std::nullopt;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

std::string ServerProcess::Stdout() const { return ReadText(out_); }
std::string ServerProcess::Stderr() const { return ReadText(err_); }

bool ServerProcess::WaitForStderr(std::string_view text, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Stderr().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

RunResult RunBinary(const std::string& binary, const std::filesystem::path& home,
                    std::vector<std::string> args, std::vector<std::string> env) {
  ServerProcess process(home, std::move(args), std::move(env), false, binary);
  RunResult result;
  result.exit_code = process.Wait(std::chrono::seconds(30)).value_or(-1);
  result.out = process.Stdout();
  result.err = process.Stderr();
  return result;
}

StartRace RaceStarts(int count, const std::function<RunResult()>& start) {
  std::vector<std::future<RunResult>> starts;
  for (int i = 0; i < count; ++i) starts.push_back(std::async(std::launch::async, start));
  StartRace race;
  for (auto& f : starts) {
    const RunResult r = f.get();
    if (r.exit_code == 0) ++race.ok;
    if (r.exit_code == 3 && r.err.find("already running") != std::string::npos) ++race.already_running;
  }
  return race;
}

pid_t SpawnUnrelatedProcess() {
  pid_t pid = -1;
  std::string sleep = "sleep", seconds = "60";
  char* argv[] = {sleep.data(), seconds.data(), nullptr};
  ::posix_spawnp(&pid, "sleep", nullptr, nullptr, argv, environ);
  return pid;
}

RunResult RunX402Dev(const std::filesystem::path& home, std::vector<std::string> args,
                     std::vector<std::string> env, bool pid_namespace) {
  ServerProcess process(home, std::move(args), std::move(env), pid_namespace);
  RunResult result;
  result.exit_code = process.Wait(std::chrono::seconds(30)).value_or(-1);
  result.out = process.Stdout();
  result.err = process.Stderr();
  return result;
}

struct HttpClient::Impl {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(uint16_t port) : impl_(std::make_unique<Impl>()), port_(port) {
  impl_->stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
}

HttpClient::~HttpClient() = default;

Response HttpClient::Send(Request request) {
  if (request.find(http::field::host) == request.end()) {
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  }
  request.prepare_payload();
  http::write(impl_->stream, request);
  return Read();
}

void HttpClient::WriteRaw(const std::string& bytes) {
  net::write(impl_->stream.socket(), net::buffer(bytes));
}

Response HttpClient::Read() {
  http::response_parser<http::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  parser.header_limit(256 * 1024);  // a long path's offer makes a long PAYMENT-REQUIRED header
  http::read(impl_->stream, impl_->buffer, parser);
  return parser.release();
}

bool HttpClient::ServerClosed(std::chrono::milliseconds within) {
  impl_->stream.expires_after(within);
  char byte;
  beast::error_code ec;
  impl_->stream.socket().non_blocking(false);
  // A blocking read with a socket timeout: EOF/reset means closed; timeout means open.
  timeval tv{static_cast<time_t>(within.count() / 1000),
             static_cast<suseconds_t>((within.count() % 1000) * 1000)};
  ::setsockopt(impl_->stream.socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  impl_->stream.socket().read_some(net::buffer(&byte, 1), ec);
  return ec == net::error::eof || ec == net::error::connection_reset;
}

std::string ValidPaymentHeader(const std::string& to, const std::string& value) {
  namespace json = boost::json;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  json::object payment = {
      {"x402Version", 1},
      {"scheme", "exact"},
      {"network", "base-sepolia"},
      {"payload",
       {{"signature", "0x" + std::string(130, 'e')},
        {"authorization",
         {{"from", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"},
          {"to", to},
          {"value", value},
          {"validAfter", std::to_string(now - 600)},
          {"validBefore", std::to_string(now + 300)},
          {"nonce", "0x" + std::string(64, '5')}}}}}};
  // Signed by the key of "from" (test key 1) for the default offer's EIP-712 domain
  // (base-sepolia USDC): the server verifies signatures.
  SignPayment(payment, Paywall(PaywallConfig{}).RequirementsFor("/api/data", "").front());
  return Base64Encode(json::serialize(payment));
}

Response Get(uint16_t port, const std::string& target,
             std::vector<std::pair<std::string, std::string>> headers) {
  HttpClient client(port);
  Request req{http::verb::get, target, 11};
  for (auto& [k, v] : headers) req.set(k, v);
  return client.Send(std::move(req));
}

}  // namespace x402::testing
