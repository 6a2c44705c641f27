#include "service/server_control.h"

#include <utility>

#include "config/config_loader.h"

namespace x402 {
namespace {

using std::chrono::milliseconds;

// The address a client connects to for |host| (a wildcard bind is reached on loopback).
std::string ConnectHost(const std::string& host) {
  if (host == "0.0.0.0" || host == "localhost") return "127.0.0.1";
  if (host == "::") return "::1";
  return host;
}

EnvLookup LookupIn(std::map<std::string, std::string> env) {
  return [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
    if (auto it = env.find(name); it != env.end()) return it->second;
    return std::nullopt;
  };
}

Status AlreadyRunning(const ServerInspection& running) {
  const std::string where = running.state ? ", port " + std::to_string(running.state->port) : "";
  return Status::AlreadyRunning("a mock server is already running (PID " +
                                std::to_string(running.pid) + where + ")")
      .WithHint("use `x402-dev mock restart` to restart it with new options");
}

// How long a start may wait for a concurrent one to finish: its readiness wait, plus the
// time a manager takes to give up on it.
constexpr milliseconds kStartLockSlack{15'000};

}  // namespace

struct ServerControl::Plan {
  std::unique_ptr<ServiceManager> manager;
  StartRequest request;
};

ServerControl::ServerControl(LifecycleEnvironment environment, Instance instance)
    : env_(std::move(environment)),
      instance_(std::move(instance)),
      paths_(instance_.Paths(env_.home)) {}

void ServerControl::Note(const std::string& note) {
  if (!note.empty()) notes_.push_back(note);
}

ServerInspection ServerControl::Look(bool clean_up) {
  ServerInspection found = env_.files->Inspect(paths_, clean_up);
  Note(found.cleanup_note);
  return found;
}

Status ServerControl::ChooseManager(Backend backend, ManagerPurpose purpose,
                                    std::unique_ptr<ServiceManager>* out) {
  if (backend == Backend::kDirect) {
    *out = env_.managers->Direct(instance_);
    return Status::Ok();
  }
  std::unique_ptr<ServiceManager> native = env_.managers->Native(instance_);
  const auto usable = [purpose](ServiceManager& manager) {
    return purpose == ManagerPurpose::kInstall ? manager.CanInstall() : manager.Available();
  };
  if (backend == Backend::kAuto) {
    // Containers, CI, sudo and cron often have no reachable user manager: fall back quietly;
    // `mock status` says which backend runs the server.
    *out = native && usable(*native) ? std::move(native) : env_.managers->Direct(instance_);
    return Status::Ok();
  }
  const std::string wanted(ToString(backend));
  if (!native || native->name() != wanted) {
    return Status::ServiceManager("the " + wanted + " backend is not available on this system")
        .WithHint("use --backend auto or --backend direct");
  }
  if (!usable(*native)) {
    return Status::ServiceManager("the " + wanted + " service manager cannot be reached")
        .WithHint("use --backend direct, or check that the user's service manager runs");
  }
  *out = std::move(native);
  return Status::Ok();
}

Status ServerControl::OwnerOf(const ServerInspection& found,
                              std::unique_ptr<ServiceManager>* owner) {
  // "direct" and "foreground" servers are stopped as processes; the others by their manager.
  const std::string backend = found.state ? found.state->backend : "direct";
  if (backend == "direct" || backend == "foreground" || backend.empty()) {
    *owner = env_.managers->Direct(instance_);
    return Status::Ok();
  }
  std::unique_ptr<ServiceManager> native = env_.managers->Native(instance_);
  if (native && native->name() == backend && native->Available()) {
    *owner = std::move(native);
    return Status::Ok();
  }
  // Signalling it directly would only make its manager start it again (Restart=on-failure):
  // never go behind the manager's back.
  std::string hint = "run this from a shell that reaches the " + backend + " manager";
  if (backend == "systemd") {
    hint = "the user's systemd manager is not reachable from here (no user bus); e.g. "
           "`export XDG_RUNTIME_DIR=/run/user/$(id -u)` and try again";
  }
  return Status::ServiceManager("the server (PID " + std::to_string(found.pid) +
                                ") is managed by " + backend + ", which cannot be reached")
      .WithHint(hint);
}

Status ServerControl::MakePlan(const StartOptions& options, const ServerArgs& args,
                               ManagerPurpose purpose, Plan* plan) {
  LoadOptions load;
  Status s = LoadOptionsFromServerArgs(args, env_.home, options.working_directory,
                                       LookupIn(options.env), &load);
  if (!s.ok()) return s;
  int threads = 0;
  s = ThreadsFromServerArgs(args, &threads);
  if (!s.ok()) return s;
  LoadedConfig loaded;
  s = LoadConfig(load, &loaded);
  if (!s.ok()) return s;
  const MockServerConfig& m = loaded.config.mock_server;
  s = ChooseManager(m.backend, purpose, &plan->manager);
  if (!s.ok()) return s;

  StartRequest& request = plan->request;
  request.server_argv = {env_.binary, "mock"};
  for (const std::string& arg : instance_.ServerArgs()) request.server_argv.push_back(arg);
  request.server_argv.insert(request.server_argv.end(), args.begin(), args.end());
  request.args = args;
  request.host = m.host;
  request.port = m.port;
  request.paths = paths_;
  request.timeout = options.ready_timeout;
  request.working_directory = options.working_directory;
  request.env = options.env;
  return Status::Ok();
}

Status ServerControl::CheckPort(const Plan& plan, int64_t replacing_pid) {
  const StartRequest& request = plan.request;
  // Another instance of ours on that port: name it (its PID alone would say little).
  for (const Instance& other : KnownInstances(env_.home)) {
    if (other == instance_) continue;
    const ServerInspection found = env_.files->Inspect(other.Paths(env_.home), false);
    if (found.running && found.state && found.state->port == request.port) {
      return Status::PortInUse("port " + std::to_string(request.port) +
                               " is in use by the x402-dev instance '" + other.Label() +
                               "' (PID " + std::to_string(found.pid) + ")")
          .WithHint("choose another with --port, or stop it: `x402-dev mock stop" +
                    (other.is_default() ? std::string() : " --name " + other.name()) + "`");
    }
  }
  if (env_.skip_port_precheck) return Status::Ok();
  Status s = env_.ports->CanBind(request.host, request.port);
  if (s.code() == StatusCode::kPortInUse) {
    // A server of this instance started since our look (a foreground one: starts through us
    // hold the lock): the answer is "already running", not 2.
    const ServerInspection now = Look(false);
    if (now.running && now.pid != replacing_pid) return AlreadyRunning(now);
  }
  return s;
}

Status ServerControl::Finish(const Plan& plan, int64_t pid, StartOutcome* outcome) {
  // Readiness came from the server after bind+listen; one connect confirms the contract's
  // promise that the port accepts connections now.
  Status s = env_.ports->Accepts(ConnectHost(plan.request.host), plan.request.port);
  if (!s.ok()) {
    // The backend started something that does not serve what was asked (e.g. a unit that read
    // another launch spec): a failed start leaves nothing running, so stop it through its
    // manager (systemd would otherwise keep the unit active, and restart it).
    bool killed = false;
    (void)plan.manager->Stop(pid, paths_, std::chrono::seconds(10), &killed);
    return s;
  }
  const auto state = env_.files->ReadState(paths_);
  outcome->pid = pid;
  outcome->url = state ? state->url
                       : "http://" + plan.request.host + ":" + std::to_string(plan.request.port);
  outcome->backend = std::string(plan.manager->name());
  outcome->log_file = paths_.log_file;
  return Status::Ok();
}

Status ServerControl::StartLocked(const Plan& plan, StartOutcome* outcome) {
  Status s = CheckPort(plan, 0);
  if (!s.ok()) return s;
  int64_t pid = 0;
  s = plan.manager->Start(plan.request, &pid);
  if (!s.ok()) return s;
  return Finish(plan, pid, outcome);
}

Status ServerControl::LockStarts(const StartOptions& options,
                                 std::unique_ptr<StartLockHold>* hold) {
  Status s = env_.files->PrepareDirectories(paths_);
  if (!s.ok()) return s;
  return env_.files->LockStarts(paths_, options.ready_timeout + kStartLockSlack, hold);
}

Status ServerControl::Start(const StartOptions& options, StartOutcome* outcome) {
  Plan plan;
  Status s = MakePlan(options, options.args, ManagerPurpose::kRun, &plan);
  if (!s.ok()) return s;
  std::unique_ptr<StartLockHold> hold;
  s = LockStarts(options, &hold);
  if (!s.ok()) return s;
  // Under the lock: a concurrent start either finished (its server runs: we say so) or
  // failed (nothing runs: we try).
  const ServerInspection found = Look(true);
  if (!found.problem.ok()) return found.problem;
  if (found.running) return AlreadyRunning(found);
  return StartLocked(plan, outcome);
}

Status ServerControl::Restart(const StartOptions& options, StartOutcome* outcome) {
  std::unique_ptr<StartLockHold> hold;
  Status s = LockStarts(options, &hold);
  if (!s.ok()) return s;

  const ServerInspection found = Look(true);
  if (!found.problem.ok()) return found.problem;
  if (!found.running) {
    Plan plan;
    s = MakePlan(options, options.args, ManagerPurpose::kRun, &plan);
    if (!s.ok()) return s;
    return StartLocked(plan, outcome);
  }
  if (!found.state) return Status::Timeout("the server is still starting; try again in a moment");

  // What runs, overridden flag by flag (pg_ctl's postmaster.opts): the same config file,
  // working directory and environment, whoever restarts it and from wherever.
  StartOptions effective = options;
  if (const auto& launch = found.state->launch) {
    effective.args = MergeServerArgs(launch->args, options.args);
    effective.working_directory = launch->working_directory;
    effective.env = launch->env;
  }
  Plan plan;
  s = MakePlan(effective, effective.args, ManagerPurpose::kRun, &plan);
  if (!s.ok()) return s;  // nothing stopped: the old server keeps running
  const bool same_address =
      plan.request.port == found.state->port && plan.request.host == found.state->host;
  if (!same_address) {
    s = CheckPort(plan, found.pid);
    if (!s.ok()) return s;
  }

  std::unique_ptr<ServiceManager> owner;
  s = OwnerOf(found, &owner);
  if (!s.ok()) return s;
  int64_t pid = 0;
  if (owner->name() == plan.manager->name()) {
    // The same manager restarts its own server (systemd: one RestartUnit job).
    s = plan.manager->Restart(plan.request, found.pid, options.stop_timeout, &pid);
  } else {
    StopOutcome stopped;
    s = StopRunning(found, options.stop_timeout, &stopped);
    if (!s.ok()) return s;
    s = plan.manager->Start(plan.request, &pid);
  }
  if (!s.ok()) {
    if (Look(false).running) return s;  // the old one was never stopped
    return MakeStatus(s.code(),
                      "the old server (PID " + std::to_string(found.pid) +
                          ") was stopped, but the new one did not start: " + s.message(),
                      s.hint().empty() ? "fix the cause and run `x402-dev mock start`" : s.hint());
  }
  outcome->stopped_pid = found.pid;
  return Finish(plan, pid, outcome);
}

Status ServerControl::StopRunning(const ServerInspection& found, milliseconds timeout,
                                  StopOutcome* outcome) {
  std::unique_ptr<ServiceManager> owner;
  Status s = OwnerOf(found, &owner);
  if (!s.ok()) return s;
  bool killed = false;
  s = owner->Stop(found.pid, paths_, timeout, &killed);
  if (!s.ok()) return s;
  // A killed server could not clean up after itself.
  (void)env_.files->Inspect(paths_, /*clean_up=*/true);
  outcome->pid = found.pid;
  outcome->killed = killed;
  return Status::Ok();
}

Status ServerControl::Stop(milliseconds timeout, StopOutcome* outcome) {
  const ServerInspection found = Look(true);
  if (!found.problem.ok()) return found.problem;
  if (!found.running) {
    return Status::NotFound("no mock server is running" +
                            (instance_.is_default() ? std::string()
                                                    : " as instance '" + instance_.name() + "'"))
        .WithHint("start one with `x402-dev mock start`");
  }
  return StopRunning(found, timeout, outcome);
}

Status ServerControl::Reload(milliseconds timeout, int64_t* pid) {
  const ServerInspection found = Look(true);
  if (!found.problem.ok()) return found.problem;
  if (!found.running) return Status::NotFound("no mock server is running");
  if (!found.state) return Status::Timeout("the server is still starting; try again in a moment");
  const int64_t before = found.state->reload_count;
  std::unique_ptr<ServiceManager> owner;
  Status s = OwnerOf(found, &owner);
  if (!s.ok()) return s;
  s = owner->Reload(found.pid);
  if (!s.ok()) return s;
  // The server records each reload's outcome in its state file.
  for (milliseconds waited{0}; waited <= timeout; waited += milliseconds(10)) {
    const auto state = env_.files->ReadState(paths_);
    if (state && state->pid == found.pid && state->reload_count > before) {
      if (!state->last_reload_ok) {
        return Status::Config("reload refused: " + state->last_reload_message)
            .WithHint("the running configuration stays in force; fix the file and reload again");
      }
      *pid = found.pid;
      return Status::Ok();
    }
    env_.sleep(milliseconds(10));
  }
  return Status::Timeout("the server did not confirm the reload in time")
      .WithHint("see the log: " + paths_.log_file);
}

Status ServerControl::Install(const StartOptions& options, bool enable, std::string* backend) {
  Plan plan;
  Status s = MakePlan(options, options.args, ManagerPurpose::kInstall, &plan);
  if (!s.ok()) return s;
  s = env_.files->PrepareDirectories(paths_);
  if (!s.ok()) return s;
  *backend = std::string(plan.manager->name());
  return plan.manager->Install(plan.request, enable);
}

Status ServerControl::Uninstall(const StartOptions& options, std::string* backend) {
  Plan plan;
  Status s = MakePlan(options, options.args, ManagerPurpose::kInstall, &plan);
  if (!s.ok()) return s;
  *backend = std::string(plan.manager->name());
  return plan.manager->Uninstall();
}

InstanceReport ServerControl::Inspect(bool with_manager_view) {
  const ServerInspection found = Look(true);
  InstanceReport report;
  report.instance = instance_;
  report.paths = paths_;
  report.problem = found.problem;
  report.running = found.running;
  report.pid = found.pid;
  report.state = found.state;
  if (with_manager_view && found.running && found.state) {
    std::vector<std::string> lines;
    std::unique_ptr<ServiceManager> owner;
    if (OwnerOf(found, &owner).ok() && owner->Describe(found.pid, &lines).ok()) {
      report.manager_lines = std::move(lines);
    }
  }
  return report;
}

std::vector<InstanceReport> InspectAllInstances(const LifecycleEnvironment& environment,
                                                bool with_manager_view) {
  std::vector<InstanceReport> reports;
  for (const Instance& instance : KnownInstances(environment.home)) {
    ServerControl control(environment, instance);
    reports.push_back(control.Inspect(with_manager_view));
  }
  return reports;
}

}  // namespace x402
