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

std::string_view ToString(V1Rules rules) { return rules == V1Rules::kX402_2 ? "x402-2" : "x402-1.2"; }

std::optional<V1Rules> ParseV1Rules(std::string_view text) {
  if (text == "x402-1.2") return V1Rules::kX402_1_2;
  if (text == "x402-2") return V1Rules::kX402_2;
  return std::nullopt;
}

std::string_view ToString(SmartWalletPolicy policy) {
  switch (policy) {
    case SmartWalletPolicy::kAuto: return "auto";
    case SmartWalletPolicy::kAccept: return "accept";
    case SmartWalletPolicy::kRefuse: return "refuse";
  }
  return "auto";
}

std::optional<SmartWalletPolicy> ParseSmartWalletPolicy(std::string_view text) {
  if (text == "auto") return SmartWalletPolicy::kAuto;
  if (text == "accept") return SmartWalletPolicy::kAccept;
  if (text == "refuse") return SmartWalletPolicy::kRefuse;
  return std::nullopt;
}

SmartWalletPolicy EffectiveSmartWalletPolicy(SmartWalletPolicy configured, bool ledger_enabled) {
  if (configured != SmartWalletPolicy::kAuto) return configured;
  return ledger_enabled ? SmartWalletPolicy::kRefuse : SmartWalletPolicy::kAccept;
}

}  // namespace x402
