// Decoding and checking x402 payments (X-PAYMENT v1, PAYMENT-SIGNATURE v2) against the
// requirements the mock offered: version, scheme, network, the offer the client accepted (v2),
// the shape of every field, in strict mode the EIP-712 signature (the payer recovered and
// compared with authorization.from; payment_signature.h), then the exact-scheme rules of the
// reference facilitator of the payment's version (exact_rules.h). On-chain state (a used
// nonce, the balance) is the settle step's (settle_step.h). Each rejection names the x402
// error reason and, in words, what is wrong.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "x402/payment_signature.h"
#include "x402/requirements.h"
#include "x402/verification_mode.h"

namespace x402 {

struct PaymentVerdict {
  bool valid = false;
  std::string reason;   // x402 error reason, e.g. "invalid_exact_evm_payload_recipient_mismatch"
  std::string message;  // what is wrong, for people: "authorization.to 0x… is not payTo 0x…"
  int version = 0;      // x402Version of the payment
  std::string payer;    // authorization.from, when it was readable
  std::string nonce;    // authorization.nonce, when valid
  std::string value;    // authorization.value, when valid
  int64_t valid_before = 0;  // authorization.validBefore (Unix seconds, saturated), when valid
  // The signature step (payment_signature.h), once the authorization was readable:
  std::string signature_kind;  // "ecdsa", or "erc1271" / "erc6492" (a smart wallet's)
  std::string recovered;       // ecdsa: the EIP-55 address the signature recovers to
  /// The refusal is the mock's own limit (a full replay set), not the payment's fault: the
  /// server logs it as a warning.
  bool mock_limit = false;
};

/// How a payment is checked besides what it is checked against.
struct PaymentCheck {
  int64_t now = 0;  // Unix seconds
  Verification verification = Verification::kStrict;
  /// Who checks. The resource server (the paywall) requires a v2 `accepted` equal to the
  /// offer, as @x402/core's x402ResourceServer.findMatchingRequirements() does; the
  /// facilitator (/facilitator/verify and /settle) compares only its scheme and network with
  /// the requirements, as @x402/evm's verifyEIP3009() does.
  bool as_facilitator = false;
  /// ERC-1271 / ERC-6492 signatures need a chain to verify: accepted unverified, or refused
  /// (strict only). The effective policy; what was configured, and whether the ledger is on,
  /// only word the refusal.
  SmartWalletPolicy smart_wallets = SmartWalletPolicy::kAccept;
  SmartWalletPolicy smart_wallets_configured = SmartWalletPolicy::kAuto;
  bool ledger_enabled = false;
};

/// Decodes a payment header (base64 → JSON) and checks it. |header_version| is 1 for
/// X-PAYMENT and 2 for PAYMENT-SIGNATURE.
PaymentVerdict VerifyPaymentHeader(std::string_view header, int header_version,
                                   const PaymentRequirements& offered, const PaymentCheck& check);

/// Checks an already-parsed payment payload (the facilitator API receives it as JSON).
PaymentVerdict VerifyPaymentPayload(const boost::json::value& payload, int expected_version,
                                    const PaymentRequirements& offered, const PaymentCheck& check);

/// The strict resource-server check at |now| (tests and fuzzers).
inline PaymentVerdict VerifyPaymentHeader(std::string_view header, int header_version,
                                          const PaymentRequirements& offered, int64_t now) {
  return VerifyPaymentHeader(header, header_version, offered, PaymentCheck{now});
}

/// Reads PaymentRequirements as a server sends them to a facilitator: v1 fields
/// (maxAmountRequired, network name) or v2 fields (amount, CAIP-2 network). On failure
/// sets |problem| and returns false.
bool ParseRequirementsJson(const boost::json::value& json, int version, PaymentRequirements* out,
                           std::string* problem);

/// "0x" followed by exactly |hex_digits| hex digits (any case).
bool IsHex(std::string_view s, std::size_t hex_digits);

}  // namespace x402
