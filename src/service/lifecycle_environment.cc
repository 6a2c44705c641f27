// The real ServerFiles and PortChecker: the contract files on disk and the ports as the
// server binds them.
#include "service/lifecycle_environment.h"

#include <thread>

#include "base/file_lock.h"
#include "net/port_probe.h"

namespace x402 {
namespace {

using std::chrono::milliseconds;

class HeldStartLock final : public StartLockHold {
 public:
  explicit HeldStartLock(std::unique_ptr<FileLock> lock) : lock_(std::move(lock)) {}

 private:
  std::unique_ptr<FileLock> lock_;
};

class DiskServerFiles final : public ServerFiles {
 public:
  ServerInspection Inspect(const StatePaths& paths, bool clean_up) override {
    return InspectServer(paths, clean_up);
  }

  std::optional<ServerState> ReadState(const StatePaths& paths) override {
    return ReadServerState(paths.state_file);
  }

  Status PrepareDirectories(const StatePaths& paths) override {
    return PrepareStateDirectories(paths);
  }

  Status LockStarts(const StatePaths& paths, milliseconds wait,
                    std::unique_ptr<StartLockHold>* hold) override {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      std::unique_ptr<FileLock> lock;
      Status s = FileLock::TryAcquire(paths.start_lock, &lock);
      if (!s.ok()) return s;
      if (lock) {
        *hold = std::make_unique<HeldStartLock>(std::move(lock));
        return Status::Ok();
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        return Status::Timeout("another x402-dev command has been starting this server for " +
                               std::to_string(wait.count() / 1000) + " s")
            .WithHint("wait for it, or see `x402-dev mock status`");
      }
      std::this_thread::sleep_for(milliseconds(5));
    }
  }
};

class SocketPortChecker final : public PortChecker {
 public:
  Status CanBind(const std::string& host, uint16_t port) override { return ProbePort(host, port); }
  Status Accepts(const std::string& host, uint16_t port) override {
    return ProbeConnect(host, port);
  }
};

}  // namespace

ServerFiles& RealServerFiles() {
  static DiskServerFiles files;
  return files;
}

PortChecker& RealPortChecker() {
  static SocketPortChecker ports;
  return ports;
}

}  // namespace x402
