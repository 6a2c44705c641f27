// A ServiceManager that records what it was asked and answers as told. The server it
// "starts" appears in a FakeServerFiles (fake_server_files.h), as a real one would appear
// in the contract files, so the lifecycle core sees the effect of its own calls.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fakes/fake_server_files.h"
#include "service/service_manager.h"

namespace x402::testing {

/// What one fake backend saw and how it answers; shared by every manager object the
/// factory hands out for it (the core makes a new one per decision).
struct FakeBackend {
  std::string name = "direct";
  bool available = true;
  bool can_install = true;
  Status start_result = Status::Ok();
  Status stop_result = Status::Ok();
  bool restart_in_one_job = false;  // systemd: RestartUnit instead of Stop + Start
  int64_t next_pid = 5000;

  std::vector<std::string> calls;   // "start", "stop 4711", "restart 4711", "reload 4711", …
  std::vector<StartRequest> starts; // every request of Start / Restart / Install
  FakeServerFiles* files = nullptr; // where a started server appears
};

class FakeServiceManager final : public ServiceManager {
 public:
  explicit FakeServiceManager(FakeBackend* backend) : b_(backend) {}

  std::string_view name() const override { return b_->name; }
  bool Available() override { return b_->available; }
  bool CanInstall() override { return b_->can_install; }

  Status Start(const StartRequest& request, int64_t* pid) override {
    b_->calls.push_back("start");
    return Launch(request, pid);
  }

  Status Restart(const StartRequest& request, int64_t running_pid,
                 std::chrono::milliseconds stop_timeout, int64_t* pid) override {
    if (!b_->restart_in_one_job) return ServiceManager::Restart(request, running_pid, stop_timeout, pid);
    b_->calls.push_back("restart " + std::to_string(running_pid));
    b_->files->StopServer(request.paths);
    return Launch(request, pid);
  }

  Status Stop(int64_t pid, const StatePaths& paths, std::chrono::milliseconds, bool* killed) override {
    b_->calls.push_back("stop " + std::to_string(pid));
    *killed = false;
    if (!b_->stop_result.ok()) return b_->stop_result;
    b_->files->StopServer(paths);
    return Status::Ok();
  }

  Status Reload(int64_t pid) override {
    b_->calls.push_back("reload " + std::to_string(pid));
    return Status::Ok();
  }

  Status Install(const StartRequest& request, bool enable) override {
    b_->calls.push_back(enable ? "install --enable" : "install");
    b_->starts.push_back(request);
    return Status::Ok();
  }
  Status Uninstall() override {
    b_->calls.push_back("uninstall");
    return Status::Ok();
  }

 private:
  Status Launch(const StartRequest& request, int64_t* pid) {
    b_->starts.push_back(request);
    if (!b_->start_result.ok()) return b_->start_result;
    *pid = b_->next_pid++;
    ServerState state;
    state.pid = *pid;
    state.host = request.host;
    state.port = request.port;
    state.url = "http://" + request.host + ":" + std::to_string(request.port);
    state.backend = b_->name;
    LaunchSpec launch;
    launch.args = request.args;
    launch.working_directory = request.working_directory;
    launch.env = request.env;
    state.launch = launch;
    b_->files->RunServer(request.paths, state);
    return Status::Ok();
  }

  FakeBackend* b_;
};

/// Hands out managers of a fake direct backend and, optionally, a fake native one.
class FakeManagers final : public ServiceManagerFactory {
 public:
  FakeBackend direct;
  FakeBackend native;
  bool has_native = true;
  std::vector<Instance> asked_for;  // the instance of every manager handed out

  explicit FakeManagers(FakeServerFiles* files) {
    direct.files = files;
    native.files = files;
    native.name = "systemd";
    native.next_pid = 7000;
  }

  std::unique_ptr<ServiceManager> Direct(const Instance& instance) override {
    asked_for.push_back(instance);
    return std::make_unique<FakeServiceManager>(&direct);
  }
  std::unique_ptr<ServiceManager> Native(const Instance& instance) override {
    asked_for.push_back(instance);
    if (!has_native) return nullptr;
    return std::make_unique<FakeServiceManager>(&native);
  }
};

}  // namespace x402::testing
