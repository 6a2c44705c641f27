// Fuzzes the PID-file reader: whatever a PID file holds, the only PIDs that come out are
// in (1, PID_MAX], and an unlocked file is stale or corrupt — never "live".
#include <cstddef>
#include <cstdint>
#include <string>

#include "state/pid_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string content(reinterpret_cast<const char*>(data), size);
  const int64_t pid = x402::ParsePidFileContent(content);
  if (pid != 0 && (pid <= 1 || pid > 4'194'304)) __builtin_trap();
  const x402::PidFileState state = x402::ClassifyPidFile(0, content);
  if (state.kind == x402::PidFileState::Kind::kLive) __builtin_trap();
  if (state.kind == x402::PidFileState::Kind::kStale && state.pid <= 1) __builtin_trap();
  return 0;
}
