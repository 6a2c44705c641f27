#include "state/server_state.h"

#include <boost/json.hpp>
#include <cerrno>

#include "base/file.h"

namespace x402 {
namespace {

namespace json = boost::json;

std::string GetString(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

int64_t GetInt(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  return 0;
}

}  // namespace

std::string SerializeServerState(const ServerState& s) {
  json::object o;
  o["pid"] = s.pid;
  o["host"] = s.host;
  o["port"] = s.port;
  o["url"] = s.url;
  o["backend"] = s.backend;
  o["started_at"] = s.started_at;
  o["config_file"] = s.config_file;
  o["log_file"] = s.log_file;
  o["version"] = s.version;
  o["reload_count"] = s.reload_count;
  o["last_reload_ok"] = s.last_reload_ok;
  o["last_reload_message"] = s.last_reload_message;
  o["instance"] = s.instance;
  o["solana_fee_payer"] = s.solana_fee_payer;
  if (s.launch) o["launch"] = json::parse(SerializeLaunchSpec(*s.launch));
  return json::serialize(o) + "\n";
}

std::optional<ServerState> ParseServerState(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.get_object();
  ServerState s;
  s.pid = GetInt(o, "pid");
  s.host = GetString(o, "host");
  const int64_t port = GetInt(o, "port");
  if (port < 0 || port > 65535) return std::nullopt;
  s.port = static_cast<uint16_t>(port);
  s.url = GetString(o, "url");
  s.backend = GetString(o, "backend");
  s.started_at = GetInt(o, "started_at");
  s.config_file = GetString(o, "config_file");
  s.log_file = GetString(o, "log_file");
  s.version = GetString(o, "version");
  s.reload_count = GetInt(o, "reload_count");
  const json::value* ok = o.if_contains("last_reload_ok");
  s.last_reload_ok = ok == nullptr || !ok->is_bool() || ok->get_bool();
  s.last_reload_message = GetString(o, "last_reload_message");
  s.instance = GetString(o, "instance");
  s.solana_fee_payer = GetString(o, "solana_fee_payer");
  if (const json::value* launch = o.if_contains("launch"); launch != nullptr && launch->is_object()) {
    s.launch = ParseLaunchSpec(json::serialize(*launch));
  }
  return s;
}

Status WriteServerState(const std::string& path, const ServerState& state) {
  return WriteFileAtomically(path, SerializeServerState(state));
}

std::optional<ServerState> ReadServerState(const std::string& path) {
  const auto text = ReadWholeFile(path);
  if (!text) return std::nullopt;
  return ParseServerState(*text);
}

}  // namespace x402
