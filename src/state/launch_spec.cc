#include "state/launch_spec.h"

#include <boost/json.hpp>
#include <filesystem>

#include "base/file.h"
#include "base/private_directory.h"
#include "config/settings.h"
#include "state/server_state.h"

namespace x402 {

namespace json = boost::json;

std::string SerializeLaunchSpec(const LaunchSpec& spec) {
  json::object o;
  o["working_directory"] = spec.working_directory;
  json::array args;
  for (const auto& a : spec.args) args.emplace_back(a);
  o["args"] = std::move(args);
  json::object env;
  for (const auto& [k, v] : spec.env) env[k] = v;
  o["env"] = std::move(env);
  return json::serialize(o) + "\n";
}

std::optional<LaunchSpec> ParseLaunchSpec(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.get_object();
  LaunchSpec spec;
  if (const auto* wd = o.if_contains("working_directory"); wd && wd->is_string()) {
    spec.working_directory = std::string(wd->get_string());
  }
  if (const auto* args = o.if_contains("args"); args && args->is_array()) {
    for (const auto& a : args->get_array()) {
      if (!a.is_string()) return std::nullopt;
      spec.args.emplace_back(a.get_string());
    }
  }
  if (const auto* env = o.if_contains("env"); env && env->is_object()) {
    for (const auto& [k, val] : env->get_object()) {
      if (!val.is_string()) return std::nullopt;
      spec.env[std::string(k)] = std::string(val.get_string());
    }
  }
  return spec;
}

Status WriteLaunchSpec(const StatePaths& paths, const LaunchSpec& spec) {
  Status s = PrepareStateDirectories(paths);
  if (!s.ok()) return s;
  s = CheckPlainFileOrMissing(paths.launch_spec);
  if (!s.ok()) return s;
  return WriteFileAtomically(paths.launch_spec, SerializeLaunchSpec(spec));
}

std::map<std::string, std::string> ConfigEnvironment(const EnvLookup& env) {
  std::map<std::string, std::string> out;
  for (const SettingDef& def : Settings()) {
    if (def.env.empty()) continue;
    if (auto value = env(std::string(def.env))) out[std::string(def.env)] = *value;
  }
  if (auto config = env("X402_DEV_CONFIG")) out["X402_DEV_CONFIG"] = *config;
  return out;
}

}  // namespace x402
