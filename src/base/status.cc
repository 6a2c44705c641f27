#include "base/status.h"

#include <cstring>
#include <string_view>

namespace x402 {

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = message_;
  if (!hint_.empty()) out += " (hint: " + hint_ + ")";
  return out;
}

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kNotFound: return "not-found";
    case StatusCode::kPortInUse: return "port-in-use";
    case StatusCode::kUsage: return "usage";
    case StatusCode::kConfig: return "config";
    case StatusCode::kAlreadyRunning: return "already-running";
    case StatusCode::kIo: return "io";
    case StatusCode::kServiceManager: return "service-manager";
    case StatusCode::kTimeout: return "timeout";
    case StatusCode::kInternal: return "internal";
  }
  return "internal";
}

std::optional<StatusCode> ParseStatusCodeName(std::string_view name) {
  for (StatusCode code :
       {StatusCode::kOk, StatusCode::kNotFound, StatusCode::kPortInUse, StatusCode::kUsage,
        StatusCode::kConfig, StatusCode::kAlreadyRunning, StatusCode::kIo,
        StatusCode::kServiceManager, StatusCode::kTimeout,
        StatusCode::kInternal}) {
    if (StatusCodeName(code) == name) return code;
  }
  return std::nullopt;
}

Status MakeStatus(StatusCode code, std::string message, std::string hint) {
  Status s(code, std::move(message));
  s.hint_ = std::move(hint);
  return s;
}

Status FromErrno(std::string_view context, int err) {
  std::string msg(context);
  msg += ": ";
  msg += std::strerror(err);
  return Status::Io(std::move(msg));
}

}  // namespace x402
