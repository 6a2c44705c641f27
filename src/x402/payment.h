// Decoding and checking x402 payments (X-PAYMENT v1, PAYMENT-SIGNATURE v2): the envelope every
// scheme shares. The header is base64 of a JSON object; its x402Version must be the header's;
// the payment is matched to one of the options offered (v1: its `scheme` and `network`; v2: its
// `accepted` object, deep-equal to an offered one, as @x402/core's findMatchingRequirements());
// then the matched option's scheme checks what is inside `payload` (scheme.h). On-chain state
// (a used authorization, the balance) is the settle step's (settle_step.h). Each rejection
// names the x402 error reason and, in words, what is wrong.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "x402/networks.h"
#include "x402/payment_verdict.h"
#include "x402/requirements.h"
#include "x402/verification_mode.h"

namespace x402 {

class SchemeRegistry;

/// How a payment is checked besides what it is checked against.
struct PaymentCheck {
  int64_t now = 0;  // Unix seconds
  Verification verification = Verification::kStrict;
  /// Who checks. The resource server (the paywall) requires a v2 `accepted` equal to an
  /// offered option, as @x402/core's x402ResourceServer.findMatchingRequirements() does; the
  /// facilitator (/facilitator/verify and /settle) is given one option and compares only what
  /// its scheme's facilitator compares (Scheme::CheckAcceptedAsFacilitator).
  bool as_facilitator = false;
  /// A facilitator's /settle (not /verify): upto's requirements then carry the charge, not the
  /// maximum the payer authorized.
  bool settling = false;
  /// Signatures only a chain can verify (EVM smart wallets): accepted unverified, or refused
  /// (strict only). The effective policy; what was configured, and whether the ledger is on,
  /// only word the refusal.
  SmartWalletPolicy smart_wallets = SmartWalletPolicy::kAccept;
  SmartWalletPolicy smart_wallets_configured = SmartWalletPolicy::kAuto;
  bool ledger_enabled = false;
  /// Whose rules a v1 EVM payment meets: x402 1.2.0's or @x402/evm 2.27's v1 facilitator.
  V1Rules v1_rules = V1Rules::kX402_1_2;
};

/// Decodes a payment header (base64 → JSON) and checks it against |options| (an offer's).
/// |header_version| is 1 for X-PAYMENT and 2 for PAYMENT-SIGNATURE. The verdict names the
/// option it matched (verdict.option), when one did.
PaymentVerdict VerifyPaymentHeader(std::string_view header, int header_version,
                                   std::span<const PaymentRequirements> options,
                                   const PaymentCheck& check);

/// Checks an already-parsed payment (the facilitator API receives it as JSON).
PaymentVerdict VerifyPaymentPayload(const boost::json::value& payment, int expected_version,
                                    std::span<const PaymentRequirements> options,
                                    const PaymentCheck& check);

/// The strict resource-server check of one option at |now| (tests and fuzzers).
inline PaymentVerdict VerifyPaymentHeader(std::string_view header, int header_version,
                                          const PaymentRequirements& offered, int64_t now) {
  return VerifyPaymentHeader(header, header_version, OneOption(offered), PaymentCheck{now});
}

/// A facilitator's check of a v2 payment's accepted.network: the requirements' CAIP-2 id, as
/// text (the references compare `accepted.network === requirements.network`). nullopt when it
/// is; else a refusal with |reason|.
std::optional<PaymentVerdict> AcceptedNetworkMismatch(const boost::json::object& accepted,
                                                      const PaymentRequirements& required, std::string_view reason);

/// Reads PaymentRequirements as a server sends them to a facilitator: v1 fields
/// (maxAmountRequired, network name) or v2 fields (amount, CAIP-2 network), resolved against
/// the networks and schemes the mock knows. On failure sets |problem| and returns false.
bool ParseRequirementsJson(const boost::json::value& json, int version, const NetworkTable& networks,
                           const SchemeRegistry& schemes, PaymentRequirements* out,
                           std::string* problem);

}  // namespace x402
