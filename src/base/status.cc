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

Status FromErrno(std::string_view context, int err) {
  std::string msg(context);
  msg += ": ";
  msg += std::strerror(err);
  return Status::Io(std::move(msg));
}

}  // namespace x402
