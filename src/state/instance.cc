#include "state/instance.h"

#include <algorithm>
#include <filesystem>

namespace x402 {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxNameLength = 32;

bool IsNameChar(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return c == '-' && !first;
}

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!IsNameChar(name[i], i == 0)) return false;
  }
  return true;
}

fs::path StateDirectory(const std::string& home, const std::string& name) {
  const fs::path root = fs::path(home) / ".x402dev";
  return name.empty() ? root : root / "instances" / name;
}

}  // namespace

Status Instance::Parse(std::string_view name, Instance* out) {
  if (name.empty()) {
    *out = Instance();
    return Status::Ok();
  }
  if (!IsValidName(name)) {
    return Status::Usage("invalid instance name '" + std::string(name) + "'")
        .WithHint("a name is 1-32 characters: lowercase letters, digits and '-', not starting "
                  "with '-' ([a-z0-9][a-z0-9-]{0,31})");
  }
  *out = Instance(std::string(name));
  return Status::Ok();
}

StatePaths Instance::Paths(const std::string& home) const {
  const fs::path dir = StateDirectory(home, name_);
  StatePaths p;
  p.root = StateDirectory(home, "").string();
  p.dir = dir.string();
  p.pid_file = (dir / "mock-server.pid").string();
  p.state_file = (dir / "mock-server.json").string();
  p.log_dir = (dir / "logs").string();
  p.log_file = (dir / "logs" / "mock-server.log").string();
  p.launch_spec = (dir / "launch-spec.json").string();
  p.start_lock = (dir / "start.lock").string();
  p.solana_fee_payer = (dir / "solana-fee-payer.json").string();
  return p;
}

std::string Instance::SystemdUnit() const {
  return is_default() ? "x402-mock.service" : "x402-mock@" + name_ + ".service";
}

std::string Instance::LaunchdLabel() const {
  return is_default() ? "dev.x402.mock" : "dev.x402.mock." + name_;
}

std::string Instance::WindowsServiceName() const {
  return is_default() ? "x402-mock" : "x402-mock-" + name_;
}

std::vector<std::string> Instance::ServerArgs() const {
  if (is_default()) return {};
  return {"--name", name_};
}

std::string Instance::HomeFromLaunchSpec(const std::string& launch_spec_path) const {
  // <home>/.x402dev/launch-spec.json, or <home>/.x402dev/instances/NAME/launch-spec.json.
  fs::path dir = fs::absolute(launch_spec_path).parent_path();
  if (!is_default()) dir = dir.parent_path().parent_path();
  return dir.parent_path().string();
}

std::vector<Instance> KnownInstances(const std::string& home) {
  std::vector<Instance> out = {Instance()};
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(StateDirectory(home, "") / "instances", ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (IsValidName(name) && it->is_directory(ec) && !it->is_symlink(ec)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    Instance instance;
    if (Instance::Parse(name, &instance).ok()) out.push_back(std::move(instance));
  }
  return out;
}

}  // namespace x402
