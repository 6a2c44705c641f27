#include "x402/verification_mode.h"

namespace x402 {

std::string_view ToString(Verification verification) {
  switch (verification) {
    case Verification::kStrict: return "strict";
    case Verification::kShape: return "shape";
  }
  return "strict";
}

std::optional<Verification> ParseVerification(std::string_view text) {
  for (Verification v : {Verification::kStrict, Verification::kShape}) {
    if (ToString(v) == text) return v;
  }
  return std::nullopt;
}

}  // namespace x402
