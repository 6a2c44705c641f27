// Issue 16, items 1 and 2: what one hostile client, or many, can make the server hold. Each
// test runs the real binary on a loopback port and attacks it as a client would: chunk
// extensions and trailers that never end, more connections than the process has descriptors,
// more than its connection limit. docs/reliability.md ("Hostile cases") states the bounds.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server_process.h"

namespace x402::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using std::chrono::steady_clock;

// A raw client socket: the attacks below are not requests a well-behaved HTTP client sends.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }

  // Writes all of |bytes|; false once the server has closed or reset the connection.
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Everything the server sends until it closes (or 5 s of silence).
  std::string ReadAll() {
    std::string out;
    char chunk[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      out.append(chunk, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

// Resident memory of |pid| in KiB (VmRSS).
long RssKiB(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// User + system CPU time of |pid|, in clock ticks (fields 14 and 15 of /proc/PID/stat).
long CpuTicks(pid_t pid) {
  std::istringstream in(ReadText("/proc/" + std::to_string(pid) + "/stat"));
  std::string stat = in.str();
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) {
      stime = std::stol(field);
      break;
    }
  }
  return utime + stime;
}

int CountLines(const std::string& text, const std::string& needle) {
  int count = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) count += line.find(needle) != std::string::npos;
  return count;
}

std::string StatusLine(const std::string& response) { return response.substr(0, response.find('\r')); }

constexpr std::string_view kChunkedPost =
    "POST /paid HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";

class ServerLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override { port_ = FreePort(); }

  // `x402-dev mock` in the foreground, under `ulimit -n |open_files|` when it is given.
  std::unique_ptr<ServerProcess> StartServer(std::vector<std::string> extra, int open_files = 0) {
    std::string command = open_files > 0 ? "ulimit -n " + std::to_string(open_files) + " && " : "";
    command += "exec \"$0\" mock --port " + std::to_string(port_) + " --threads 1";
    for (const std::string& arg : extra) command += " " + arg;
    auto server = std::make_unique<ServerProcess>(
        home_.path(), std::vector<std::string>{"-c", command, X402_DEV_BINARY},
        std::vector<std::string>{}, false, "/bin/sh");
    EXPECT_TRUE(server->WaitHealthy(port_)) << server->Stderr();
    return server;
  }

  std::string Log() const { return ReadText(home_.path() / ".x402dev" / "logs" / "mock-server.log"); }

  TempDir home_;
  uint16_t port_ = 0;
};

TEST_F(ServerLimitsTest, AnEndlessChunkExtensionIsRefusedWith400) {
  auto server = StartServer({});
  RawConnection client(port_);
  ASSERT_TRUE(client.connected());
  // 40 KiB of extension on one chunk-size line: more than any header may be, never a body.
  client.Send(std::string(kChunkedPost) + "5;" + std::string(40 * 1024, 'a'));
  EXPECT_EQ(StatusLine(client.ReadAll()), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(Get(port_, "/").result_int(), 402);
}

TEST_F(ServerLimitsTest, EndlessTrailersAreRefusedWith431) {
  auto server = StartServer({});
  RawConnection client(port_);
  ASSERT_TRUE(client.connected());
  std::string trailers;
  while (trailers.size() < 40 * 1024) trailers += "X-Trailer-" + std::to_string(trailers.size()) + ": value\r\n";
  client.Send(std::string(kChunkedPost) + "5\r\nhello\r\n0\r\n" + trailers);
  EXPECT_EQ(StatusLine(client.ReadAll()), "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_EQ(Get(port_, "/").result_int(), 402);
}

TEST_F(ServerLimitsTest, SmallChunkExtensionsAndTrailersAreStillAccepted) {
  auto server = StartServer({});
  RawConnection client(port_);
  ASSERT_TRUE(client.connected());
  client.Send("POST /paid HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
              "Transfer-Encoding: chunked\r\n\r\n"
              "5;name=value\r\nhello\r\n0;last\r\nX-Checksum: abc\r\n\r\n");
  // Unpaid, so the paywall answers 402: the framing itself was accepted.
  const std::string response = client.ReadAll();
  EXPECT_EQ(StatusLine(response), "HTTP/1.1 402 Payment Required") << response.substr(0, 300);
}

// The case: 64 MiB of chunk extension and then 16 MiB of trailers, on each of 8
// connections at once, took the server from 5 MB to over 100 MB. The read buffer's limit
// bounds what each connection can make it hold; the figure asserted is the bound
// docs/reliability.md states.
TEST_F(ServerLimitsTest, EightConnectionsOfEndlessExtensionsAndTrailersDoNotGrowTheServer) {
  auto server = StartServer({});
  const pid_t pid = server->pid();
  // Warm up the allocator and the paths a normal request takes before measuring.
  for (int i = 0; i < 20; ++i) ASSERT_EQ(Get(port_, "/warm").result_int(), 402);
  const long baseline = RssKiB(pid);
  ASSERT_GT(baseline, 0);

  std::atomic<long> peak{baseline};
  std::atomic<bool> attacking{true};
  std::thread sampler([&] {
    while (attacking) {
      peak = std::max(peak.load(), RssKiB(pid));
      std::this_thread::sleep_for(5ms);
    }
  });

  std::atomic<int> answered_meanwhile{0};
  std::vector<std::thread> attackers;
  for (int i = 0; i < 8; ++i) {
    attackers.emplace_back([&, i] {
      const std::string block(64 * 1024, i % 2 == 0 ? 'e' : 't');
      {
        RawConnection extension(port_);
        extension.Send(std::string(kChunkedPost) + "5;");
        for (int sent = 0; sent < 64 * 16 && extension.Send(block); ++sent) {
        }
      }
      {
        RawConnection trailer(port_);
        trailer.Send(std::string(kChunkedPost) + "5\r\nhello\r\n0\r\nX-Endless: ");
        for (int sent = 0; sent < 16 * 16 && trailer.Send(block); ++sent) {
        }
      }
    });
  }
  // Others are still served while it goes on.
  std::thread bystander([&] {
    for (int i = 0; i < 20; ++i) {
      try {
        if (Get(port_, "/bystander").result_int() == 402) ++answered_meanwhile;
      } catch (const std::exception&) {
      }
      std::this_thread::sleep_for(10ms);
    }
  });
  for (auto& t : attackers) t.join();
  bystander.join();
  attacking = false;
  sampler.join();

  const long growth_kib = peak - baseline;
  std::cout << "[ figures ] RSS baseline " << baseline << " KiB, peak " << peak.load()
            << " KiB, growth " << growth_kib << " KiB under 8 x (64 MiB extension + 16 MiB trailers)\n";
  EXPECT_LT(growth_kib, 16 * 1024) << "the server held what the clients sent";
  EXPECT_EQ(answered_meanwhile, 20);
  EXPECT_EQ(Get(port_, "/after").result_int(), 402);
}

// The case: with `ulimit -n 40` and 60 idle connections, accept() failed with EMFILE
// as fast as it could be retried: a core busy, 69,653 log lines in 3 s. Now it pauses, logs a
// count, and serves again when the idle connections go. --max-connections is set above what
// the descriptors allow, so it is accept() that runs out, not the limit that refuses.
TEST_F(ServerLimitsTest, OutOfDescriptorsAcceptPausesInsteadOfSpinning) {
  auto server = StartServer({"--max-connections", "1000"}, 40);
  const pid_t pid = server->pid();
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 60; ++i) {
    idle.push_back(std::make_unique<RawConnection>(port_));
    ASSERT_TRUE(idle.back()->connected());  // the kernel's backlog takes them all
  }
  std::this_thread::sleep_for(300ms);  // accept has run out by now
  const long cpu_before = CpuTicks(pid);
  std::this_thread::sleep_for(2s);
  const long cpu_ticks = CpuTicks(pid) - cpu_before;
  const long ticks_per_second = ::sysconf(_SC_CLK_TCK);
  std::cout << "[ figures ] server CPU over 2 s out of descriptors: "
            << 1000 * cpu_ticks / ticks_per_second << " ms\n";
  EXPECT_LT(cpu_ticks, ticks_per_second / 5) << "more than 10 % of a core while out of descriptors";

  const std::string log = Log();
  const int lines = CountLines(log, "accept failed");
  EXPECT_GE(lines, 1) << "running out of descriptors must be said";
  EXPECT_LE(lines, 3) << log.substr(log.size() > 2000 ? log.size() - 2000 : 0);
  EXPECT_NE(log.find("Too many open files"), std::string::npos);

  idle.clear();  // the idle connections close: descriptors come back
  bool served = false;
  for (auto deadline = steady_clock::now() + 5s; !served && steady_clock::now() < deadline;) {
    try {
      served = Get(port_, "/again").result_int() == 402;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(50ms);
    }
  }
  EXPECT_TRUE(served) << "the server did not serve again once descriptors were free";
}

TEST_F(ServerLimitsTest, PastTheConnectionLimitClientsGet503AndThenServiceAgain) {
  auto server = StartServer({"--max-connections", "5"});
  const pid_t pid = server->pid();
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 5; ++i) idle.push_back(std::make_unique<RawConnection>(port_));
  std::this_thread::sleep_for(200ms);  // all five accepted and waiting for a header

  RawConnection sixth(port_);
  ASSERT_TRUE(sixth.connected());
  sixth.Send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  const std::string refused = sixth.ReadAll();
  EXPECT_EQ(StatusLine(refused), "HTTP/1.1 503 Service Unavailable");
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;

  // Many more than the limit and its refusal slots: the server neither spins nor logs each.
  std::vector<std::unique_ptr<RawConnection>> crowd;
  for (int i = 0; i < 60; ++i) crowd.push_back(std::make_unique<RawConnection>(port_));
  const long cpu_before = CpuTicks(pid);
  std::this_thread::sleep_for(2s);
  const long cpu_ticks = CpuTicks(pid) - cpu_before;
  EXPECT_LT(cpu_ticks, ::sysconf(_SC_CLK_TCK) / 5);
  EXPECT_LE(CountLines(Log(), "connection limit"), 3) << Log();

  idle.clear();
  crowd.clear();
  bool served = false;
  for (auto deadline = steady_clock::now() + 5s; !served && steady_clock::now() < deadline;) {
    try {
      served = Get(port_, "/again").result_int() == 402;
    } catch (const std::exception&) {
    }
    if (!served) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(served);
}

// Issue 25, item 6: memory bounds that hold what the docs say. 10,000 requests for distinct
// 6 KB paths: each unpaid answer (~30 KB: the path is in the v1 body twice and in the
// PAYMENT-REQUIRED header) went into the per-thread cache (4096 entries, ~120 MB) and every
// history record kept its cached answer alive. Now the cache is bounded in bytes (4 MiB per
// thread) and a record keeps only its own small copies (paths cut to 1 KiB): docs/server.md
// states ~15 MiB for the default 1000 records, 4 MiB of cache per thread.
TEST_F(ServerLimitsTest, TenThousandLargePathsStayWithinTheDocumentedBound) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // The sanitizers' shadow memory and ASan's quarantine of freed blocks (up to 256 MiB) are
  // what RSS would measure; the plain debug build measures the server's own.
  GTEST_SKIP() << "RSS bounds are measured without sanitizers";
#endif
  auto server = StartServer({});
  const long baseline = RssKiB(server->pid());
  HttpClient client(port_);
  long peak = baseline;
  for (int i = 0; i < 10'000; ++i) {
    const std::string path = "/" + std::to_string(i) + "/" + std::string(6'000, 'p');
    Request request{http::verb::get, path, 11};
    const Response answer = client.Send(request);
    ASSERT_EQ(answer.result(), http::status::payment_required) << i;
    if (i % 1'000 == 999) peak = std::max(peak, RssKiB(server->pid()));
  }
  // The history still answers, page by page (one page is at most ~1 MiB).
  const Response page = Get(port_, "/__x402/requests?limit=1000");
  EXPECT_EQ(page.result(), http::status::ok);
  EXPECT_LT(page.body().size(), 1'100'000u);
  peak = std::max(peak, RssKiB(server->pid()));
  std::cout << "[ figures ] RSS baseline " << baseline << " KiB, peak " << peak << " KiB (+"
            << peak - baseline << " KiB) after 10,000 requests for 6 KB paths\n";
  // 15 MiB of history + 4 MiB of cache (one thread) + the allocator's slack.
  EXPECT_LT(peak - baseline, 32 * 1024);
}

}  // namespace
}  // namespace x402::testing
