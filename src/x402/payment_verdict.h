// What checking one payment decided, in terms every scheme shares: valid or the x402 reason and
// its words; who pays, how much, until when; the key under which the simulated chain remembers
// it; and what the scheme found worth showing (details the history and the dashboard print
// without knowing the scheme).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "x402/used_authorizations.h"

namespace x402 {

struct PaymentRequirements;

struct PaymentVerdict {
  bool valid = false;
  std::string reason;   // x402 error reason, e.g. "invalid_exact_evm_payload_recipient_mismatch"
  std::string message;  // what is wrong, for people: "authorization.to 0x… is not payTo 0x…"
  int version = 0;      // x402Version of the payment
  std::string payer;    // who pays, as the payment names it, when it was readable
  std::string amount;   // what the payment authorizes, in the asset's atomic units, when valid
  int64_t valid_before = 0;  // when the authorization expires (Unix seconds, saturated)
  /// The simulated chain's key for this payment (an EIP-3009 authorization: network, asset,
  /// from, nonce), set by the scheme when valid; its simulated transaction id derives from it.
  UsedAuthorizations::Digest replay_key;
  /// The scheme's findings, in order, for people: {"signature", "ecdsa"}, {"recovered", "0x…"}.
  std::vector<std::pair<std::string, std::string>> details;
  /// What the mock accepted without being able to check it, in words ("erc1271 smart-wallet
  /// signature, not verified offline"); "" when everything was checked.
  std::string unchecked;
  /// The refusal is the mock's own limit (a full replay set), not the payment's fault: the
  /// server logs it as a warning.
  bool mock_limit = false;
  /// The offered option the payment matched (nullptr until matched).
  const PaymentRequirements* option = nullptr;

  /// The value of detail |key|, or "".
  std::string Detail(std::string_view key) const {
    for (const auto& [k, v] : details) {
      if (k == key) return v;
    }
    return {};
  }
};

/// A refusal: |reason| (the x402 reason value) and |message| (in words), nothing else known.
inline PaymentVerdict Refusal(std::string reason, std::string message) {
  PaymentVerdict v;
  v.reason = std::move(reason);
  v.message = std::move(message);
  return v;
}

}  // namespace x402
