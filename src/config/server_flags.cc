#include "config/server_flags.h"

#include <charconv>

namespace x402 {
namespace {

constexpr ServerFlag kServerFlags[] = {
    {kConfigFileFlag, "", "FILE", "project config file (default ./.x402dev.yaml)"},
    {"port", "mock_server.port", "N", "TCP port to listen on (default 3402)"},
    {"host", "mock_server.host", "ADDR", "address to bind (default 127.0.0.1)"},
    {"allowed-hosts", "mock_server.allowed_hosts", "NAMES",
     "Host names answered besides localhost and IPs, comma-separated, or all"},
    {"backend", "mock_server.backend", "NAME", "auto | systemd | launchd | windows | direct"},
    {"network", "mock_server.network", "NAME",
     "offer one option on this network (v1 name or CAIP-2 id), e.g. polygon or eip155:42161"},
    {"pricing", "mock_server.pricing.default", "USD", "default price per request, e.g. 0.01"},
    {"simulation-mode", "mock_server.simulation_mode", "MODE", "success | failure | timeout | pending | lost-response | rpc-outage | slow"},
    {"verification", "mock_server.verification", "MODE",
     "strict (as a real facilitator, default) | shape (hand-made payments)"},
    {"log-level", "log_level", "LEVEL", "server log level: error | warn | info | debug"},
    {"max-connections", "mock_server.max_connections", "N",
     "open connections at most, more get 503 (default auto: 1024 or what fds allow)"},
    {kThreadsFlag, "", "N", "server threads (default: one per core)"},
};

const ServerFlag* FindFlag(std::string_view arg) {
  if (arg.rfind("--", 0) != 0) return nullptr;
  arg.remove_prefix(2);
  for (const ServerFlag& flag : kServerFlags) {
    if (flag.flag == arg) return &flag;
  }
  return nullptr;
}

}  // namespace

std::span<const ServerFlag> ServerFlags() { return kServerFlags; }

ServerArgs MergeServerArgs(const ServerArgs& base, const ServerArgs& overrides) {
  ServerArgs merged;
  for (std::size_t i = 0; i + 1 < base.size(); i += 2) {
    bool overridden = false;
    for (std::size_t j = 0; j + 1 < overrides.size(); j += 2) overridden |= overrides[j] == base[i];
    if (!overridden) merged.insert(merged.end(), {base[i], base[i + 1]});
  }
  merged.insert(merged.end(), overrides.begin(), overrides.end());
  return merged;
}

std::string ServerArgValue(const ServerArgs& args, std::string_view flag) {
  std::string value;
  for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
    if (args[i].size() == flag.size() + 2 && args[i].compare(2, std::string::npos, flag) == 0) {
      value = args[i + 1];  // the last one wins, as on a command line
    }
  }
  return value;
}

Status LoadOptionsFromServerArgs(const ServerArgs& args, const std::string& home,
                                 const std::string& working_directory, EnvLookup env,
                                 LoadOptions* out) {
  LoadOptions options;
  options.home = home;
  options.working_directory = working_directory;
  options.env = std::move(env);
  for (std::size_t i = 0; i < args.size(); i += 2) {
    const ServerFlag* flag = FindFlag(args[i]);
    if (flag == nullptr) return Status::Usage("'" + args[i] + "' is not a server option");
    if (i + 1 >= args.size()) return Status::Usage("'" + args[i] + "' needs a value");
    if (flag->flag == kConfigFileFlag) {
      options.config_file = args[i + 1];
    } else if (!flag->key.empty()) {
      RawSetting setting;
      setting.key = std::string(flag->key);
      setting.text = args[i + 1];
      setting.origin.source = ConfigSource::kFlag;
      setting.origin.name = args[i];
      options.flags.push_back(std::move(setting));
    }
  }
  *out = std::move(options);
  return Status::Ok();
}

Status ThreadsFromServerArgs(const ServerArgs& args, int* threads) {
  const std::string text = ServerArgValue(args, kThreadsFlag);
  *threads = 0;
  if (text.empty()) return Status::Ok();
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 256) {
    return Status::Usage("--threads must be a whole number between 1 and 256 (got '" + text + "')");
  }
  *threads = value;
  return Status::Ok();
}

}  // namespace x402
