// ~/.x402dev/mock-server.json: what the running server tells the CLI about itself. Written by
// the server (atomically: temporary file + rename) once it listens, updated on reload, and
// removed on a clean stop. The PID file's lock, not this file, says whether a server runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "state/launch_spec.h"

namespace x402 {

struct ServerState {
  int64_t pid = 0;
  std::string host;
  uint16_t port = 0;
  std::string url;
  std::string backend;          // "direct", "systemd", … (who started it); "foreground"
  int64_t started_at = 0;       // Unix seconds
  std::string config_file;      // the project file in use, or ""
  std::string log_file;
  std::string version;
  int64_t reload_count = 0;     // how many SIGHUPs were handled
  bool last_reload_ok = true;
  std::string last_reload_message;
  std::string instance;         // "" for the default instance, else its name
  std::string solana_fee_payer; // the address Solana payments name as fee payer
  /// What the server was started with (flags, working directory, X402_DEV_* environment):
  /// `mock restart` starts its successor with the same, whoever runs it and from wherever.
  std::optional<LaunchSpec> launch;
};

std::string SerializeServerState(const ServerState& state);
std::optional<ServerState> ParseServerState(const std::string& json);

/// Writes |state| to |path| atomically (a reader sees the old or the new file, never half).
Status WriteServerState(const std::string& path, const ServerState& state);
/// Reads |path|; nullopt when missing or unparseable.
std::optional<ServerState> ReadServerState(const std::string& path);

}  // namespace x402
