// The contract files of each instance, in memory: which server runs (the PID file's lock
// holder), its state file, and the start lock. Tests set a scene (a running server, a stale
// PID file, a busy start lock) and the fake service managers change it as real servers would.
#pragma once

#include <map>
#include <string>

#include "service/lifecycle_environment.h"

namespace x402::testing {

class FakeServerFiles final : public ServerFiles {
 public:
  struct Scene {
    bool running = false;
    int64_t pid = 0;
    std::optional<ServerState> state;
    std::string stale_note;  // a stale PID file that Inspect(clean_up) removes and reports
    Status problem = Status::Ok();  // whether a server runs cannot be told (permission, …)
  };

  /// A server of the instance at |paths| runs with |state| (state.pid is its PID).
  void RunServer(const StatePaths& paths, const ServerState& state) {
    Scene& scene = scenes_[paths.dir];
    scene.running = true;
    scene.pid = state.pid;
    scene.state = state;
  }
  void StopServer(const StatePaths& paths) { scenes_[paths.dir] = Scene(); }
  Scene& At(const StatePaths& paths) { return scenes_[paths.dir]; }

  /// The server appears on the second look (a concurrent start that won the race).
  std::optional<ServerState> appears_on_second_look;
  bool start_lock_busy = false;
  int state_reads = 0;
  /// Applied to the state on the Nth ReadState (a server confirming a reload later on).
  std::function<void(ServerState*, int read)> on_read_state;

  ServerInspection Inspect(const StatePaths& paths, bool clean_up) override {
    ++looks_;
    if (looks_ == 2 && appears_on_second_look) RunServer(paths, *appears_on_second_look);
    Scene& scene = scenes_[paths.dir];
    ServerInspection found;
    found.running = scene.running;
    found.pid = scene.pid;
    found.state = scene.state;
    found.problem = scene.problem;
    if (clean_up && !scene.stale_note.empty()) {
      found.cleanup_note = scene.stale_note;
      scene.stale_note.clear();
    }
    return found;
  }

  std::optional<ServerState> ReadState(const StatePaths& paths) override {
    ++state_reads;
    Scene& scene = scenes_[paths.dir];
    if (scene.state && on_read_state) on_read_state(&*scene.state, state_reads);
    return scene.state;
  }

  Status PrepareDirectories(const StatePaths&) override { return Status::Ok(); }

  Status LockStarts(const StatePaths&, std::chrono::milliseconds,
                    std::unique_ptr<StartLockHold>* hold) override {
    if (start_lock_busy) return Status::Timeout("another x402-dev command is starting this server");
    *hold = std::make_unique<StartLockHold>();
    return Status::Ok();
  }

 private:
  std::map<std::string, Scene> scenes_;
  int looks_ = 0;
};

/// Ports as tests say: free unless listed as busy.
class FakePortChecker final : public PortChecker {
 public:
  std::map<uint16_t, std::string> busy;  // port → who holds it
  std::vector<uint16_t> probed;

  Status CanBind(const std::string&, uint16_t port) override {
    probed.push_back(port);
    if (auto it = busy.find(port); it != busy.end()) {
      return Status::PortInUse("port " + std::to_string(port) + " is in use by " + it->second);
    }
    return Status::Ok();
  }
  Status accepts = Status::Ok();  // what the connect after a start finds
  Status Accepts(const std::string&, uint16_t) override { return accepts; }
};

}  // namespace x402::testing
