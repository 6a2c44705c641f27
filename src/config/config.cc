#include "config/config.h"

namespace x402 {

std::string_view ToString(Backend backend) {
  switch (backend) {
    case Backend::kAuto: return "auto";
    case Backend::kSystemd: return "systemd";
    case Backend::kLaunchd: return "launchd";
    case Backend::kWindows: return "windows";
    case Backend::kDirect: return "direct";
  }
  return "auto";
}

std::optional<Backend> ParseBackend(std::string_view text) {
  for (Backend b : {Backend::kAuto, Backend::kSystemd, Backend::kLaunchd, Backend::kWindows,
                    Backend::kDirect}) {
    if (ToString(b) == text) return b;
  }
  return std::nullopt;
}

}  // namespace x402
