// Decoding and checking x402 payments (X-PAYMENT v1, PAYMENT-SIGNATURE v2) against the
// requirements the mock offered. The mock has no chain, so it checks everything a real
// facilitator checks except on-chain state: version, scheme, network, the offer the client
// accepted (v2), the EIP-712 signature (the payer recovered and compared with
// authorization.from; payment_signature.h), recipient, amount, validity window and the shape
// of every field. Each rejection names the x402 error reason and, in words, what is wrong.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "x402/payment_signature.h"
#include "x402/requirements.h"

namespace x402 {

struct PaymentVerdict {
  bool valid = false;
  std::string reason;   // x402 error reason, e.g. "invalid_exact_evm_payload_recipient_mismatch"
  std::string message;  // what is wrong, for people: "authorization.to 0x… is not payTo 0x…"
  int version = 0;      // x402Version of the payment
  std::string payer;    // authorization.from, when it was readable
  std::string nonce;    // authorization.nonce, when valid
  std::string value;    // authorization.value, when valid
  // The signature step (payment_signature.h), once the authorization was readable:
  std::string signature_kind;  // "ecdsa", or "erc1271" / "erc6492" (a smart wallet's)
  std::string recovered;       // ecdsa: the EIP-55 address the signature recovers to
};

/// How strictly payments are checked beyond what the references check offline.
struct PaymentCheckOptions {
  SmartWalletPolicy smart_wallets = SmartWalletPolicy::kAccept;
};

/// Decodes a payment header (base64 → JSON) and checks it. |header_version| is 1 for
/// X-PAYMENT and 2 for PAYMENT-SIGNATURE. |now| is Unix seconds.
PaymentVerdict VerifyPaymentHeader(std::string_view header, int header_version,
                                   const PaymentRequirements& offered, int64_t now,
                                   const PaymentCheckOptions& options = {});

/// Checks an already-parsed payment payload (the facilitator API receives it as JSON).
PaymentVerdict VerifyPaymentPayload(const boost::json::value& payload, int expected_version,
                                    const PaymentRequirements& offered, int64_t now,
                                    const PaymentCheckOptions& options = {});

/// Reads PaymentRequirements as a server sends them to a facilitator: v1 fields
/// (maxAmountRequired, network name) or v2 fields (amount, CAIP-2 network). On failure
/// sets |problem| and returns false.
bool ParseRequirementsJson(const boost::json::value& json, int version, PaymentRequirements* out,
                           std::string* problem);

/// "0x" followed by exactly |hex_digits| hex digits (any case).
bool IsHex(std::string_view s, std::size_t hex_digits);

}  // namespace x402
