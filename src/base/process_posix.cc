// POSIX process primitives shared by Linux and macOS. Only what POSIX.1-2008 declares belongs
// here: what one kernel alone has (pipe2, /proc, pidfd, kqueue, libproc) goes through
// process_kernel.h into process_linux.cc or process_macos.cc. The macOS compile check
// (tests/portability) compiles this file with strict POSIX feature macros to hold that line.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>

#include "base/process.h"
#include "base/process_kernel.h"
#include "base/process_runner.h"

extern char** environ;

namespace x402 {
namespace {

constexpr int kChildReadyFd = 3;

// Strings and the NULL-terminated char* array posix_spawn takes, kept alive together.
class CStringArray {
 public:
  explicit CStringArray(std::vector<std::string> strings) : strings_(std::move(strings)) {
    for (auto& s : strings_) pointers_.push_back(s.data());
    pointers_.push_back(nullptr);
  }
  char* const* get() { return pointers_.data(); }
  const char* first() const { return strings_.front().c_str(); }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_;
};
constexpr const char* kReadyFdVariable = "X402_DEV_READY_FD";

}  // namespace

int64_t CurrentProcessId() { return static_cast<int64_t>(::getpid()); }

Status SpawnDetached(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
                     const std::string& output_path, DetachedChild* child) {
  // Opened here rather than in the child, so that an unwritable log folder is reported as
  // what it is, not as a failure to start the program.
  const int output_fd =
      ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (output_fd < 0) return FromErrno("cannot open the log file " + output_path, errno);
  int pipe_fds[2];
  if (const int err = kernel::OpenCloexecPipe(pipe_fds); err != 0) {
    ::close(output_fd);
    return FromErrno("cannot create a pipe", err);
  }

  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, kReadyFdVariable, std::strlen(kReadyFdVariable)) == 0) continue;
    env_storage.emplace_back(*e);
  }
  env_storage.push_back(std::string(kReadyFdVariable) + "=" + std::to_string(kChildReadyFd));
  env_storage.insert(env_storage.end(), extra_env.begin(), extra_env.end());
  CStringArray envp(std::move(env_storage));
  CStringArray args(argv);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, output_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, output_fd, 2);
  // dup2 clears close-on-exec on the copy: only the write end, as fd 3, reaches the child.
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], kChildReadyFd);
  // Nothing else the caller has open may reach the server: an inherited pipe would keep the
  // caller's reader waiting for as long as the server runs (`( x402-dev mock start 5>&1 ) | cat`).
  short close_others = 0;
  kernel::CloseOthersInChild(&actions, &close_others, kChildReadyFd);

  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t no_signals, default_signals;
  sigemptyset(&no_signals);
  sigemptyset(&default_signals);
  for (int s : {SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGQUIT}) sigaddset(&default_signals, s);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  // A new session: no controlling terminal, so closing the terminal sends it no SIGHUP.
  posix_spawnattr_setflags(&attributes, static_cast<short>(POSIX_SPAWN_SETSID |
                                                           POSIX_SPAWN_SETSIGMASK |
                                                           POSIX_SPAWN_SETSIGDEF | close_others));

  pid_t pid = -1;
  const int err = ::posix_spawn(&pid, args.first(), &actions, &attributes, args.get(), envp.get());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(pipe_fds[1]);
  ::close(output_fd);
  if (err != 0) {
    ::close(pipe_fds[0]);
    return FromErrno("cannot start " + argv.front(), err);
  }
  child->pid = pid;
  child->ready_read = pipe_fds[0];
  return Status::Ok();
}

std::optional<std::string> ReadReadinessLine(const DetachedChild& child,
                                             std::chrono::milliseconds timeout) {
  const int fd = static_cast<int>(child.ready_read);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string line;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return std::nullopt;
    char buf[512];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return line;  // EOF: whatever arrived (maybe nothing)
    line.append(buf, static_cast<std::size_t>(n));
    if (const auto nl = line.find('\n'); nl != std::string::npos) return line.substr(0, nl);
  }
}

std::optional<int> ReapChild(const DetachedChild& child, std::chrono::milliseconds timeout) {
  const int64_t pid = child.pid;
  if (pid <= 1) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(static_cast<pid_t>(pid), &status, WNOHANG);
    if (r == static_cast<pid_t>(pid)) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return 128 + WTERMSIG(status);
    }
    if (r < 0) return std::nullopt;  // not our child
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void CloseReadiness(DetachedChild* child) {
  if (child->ready_read >= 0) ::close(static_cast<int>(child->ready_read));
  child->ready_read = -1;
}

// By PID: until we reap it, our child's PID stays ours (a zombie keeps it).
Status KillChild(const DetachedChild& child) { return SendSignal(child.pid, ProcessSignal::kKill); }

void ReleaseChild(DetachedChild* child) { CloseReadiness(child); }

Status SendSignal(int64_t pid, ProcessSignal signal) {
  // The one guard every signal goes through: never 0 (our process group), never -1 (every
  // process we may signal), never 1 (init), never a value that does not fit a pid_t.
  if (pid <= 1 || pid > INT_MAX) {
    return Status::Internal("refusing to signal PID " + std::to_string(pid));
  }
  int number = SIGTERM;
  switch (signal) {
    case ProcessSignal::kTerminate: number = SIGTERM; break;
    case ProcessSignal::kKill: number = SIGKILL; break;
    case ProcessSignal::kReload: number = SIGHUP; break;
  }
  if (::kill(static_cast<pid_t>(pid), number) != 0) {
    return FromErrno("cannot signal PID " + std::to_string(pid), errno);
  }
  return Status::Ok();
}

bool ProcessExited(int64_t pid) {
  if (pid <= 1 || pid > INT_MAX) return true;
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return errno == ESRCH;
  return kernel::IsZombie(pid);
}

bool WaitForExit(int64_t pid, std::chrono::milliseconds timeout) {
  if (ProcessExited(pid)) return true;
  if (kernel::AwaitExitNotice(pid, timeout)) return ProcessExited(pid);
  // The kernel cannot watch it (an older Linux without pidfd): look again in small steps.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ProcessExited(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

namespace {

class PosixProcessRunner final : public ProcessRunner {
 public:
  ProcessResult Run(const std::vector<std::string>& argv) override {
    ProcessResult result;
    int fds[2];
    if (argv.empty() || kernel::OpenCloexecPipe(fds) != 0) return result;
    CStringArray args(argv);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    pid_t pid = -1;
    const int err = ::posix_spawn(&pid, args.first(), &actions, nullptr, args.get(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (err == 0) {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0) result.output.append(buf, static_cast<std::size_t>(n));
      }
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    ::close(fds[0]);
    return result;
  }
};

}  // namespace

std::optional<uint64_t> RaiseOpenFileLimit() {
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return std::nullopt;
  // select() cannot take descriptors above FD_SETSIZE, which is why the soft limit stays low
  // by default; this process never uses select(). macOS refuses more than OPEN_MAX however
  // high the hard limit is.
  rlim_t wanted = limit.rlim_max;
#ifdef OPEN_MAX
  if (wanted == RLIM_INFINITY || wanted > OPEN_MAX) wanted = OPEN_MAX;
#endif
  if (wanted != RLIM_INFINITY && wanted > limit.rlim_cur) {
    struct rlimit raised = limit;
    raised.rlim_cur = wanted;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY) return std::nullopt;
  return static_cast<uint64_t>(limit.rlim_cur);
}

std::unique_ptr<ProcessRunner> CreateProcessRunner() {
  return std::make_unique<PosixProcessRunner>();
}

void ReportReadiness(const std::string& line) {
  static std::mutex mutex;
  static bool done = false;
  std::lock_guard<std::mutex> lock(mutex);
  if (done) return;
  done = true;
  const char* value = std::getenv(kReadyFdVariable);
  if (value == nullptr) return;
  const int fd = std::atoi(value);
  if (fd < 3) return;
  const std::string text = line + "\n";
  ssize_t ignored = ::write(fd, text.data(), text.size());
  (void)ignored;
  ::close(fd);
}

}  // namespace x402
