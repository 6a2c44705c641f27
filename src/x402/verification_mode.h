// How strictly the mock checks a payment. kStrict applies the rules of the reference
// facilitators (x402 1.2.0 for v1, @x402/evm 2.27 for v2), refuses a reused authorization
// and, where the ledger is on, a payment above the payer's balance (and, once the signature
// step is built, a signature that does not recover to authorization.from). kShape is the
// lenient check for hand-made payments in curl demos: every field must have its shape, the
// recipient, amount and time window must hold, and nothing is remembered between payments.
#pragma once

#include <optional>
#include <string_view>

namespace x402 {

enum class Verification { kStrict, kShape };

std::string_view ToString(Verification verification);
std::optional<Verification> ParseVerification(std::string_view text);

/// Which facilitator a v1 EVM payment meets (mock_server.v1_rules): x402 1.2.0's (the default:
/// value at least the price) or @x402/evm 2.27's v1 facilitator (a facilitator built on
/// @x402/evm 2.x, which registers a v1 scheme beside the v2 one: value equal to the price, the
/// v2 reason names). Solana v1 payments follow @x402/svm 2.27 either way.
enum class V1Rules { kX402_1_2, kX402_2 };

std::string_view ToString(V1Rules rules);
std::optional<V1Rules> ParseV1Rules(std::string_view text);

/// What the mock does with a signature it cannot check offline (an EVM smart wallet's:
/// ERC-1271, ERC-6492). kAuto (the default) accepts it, unverified, unless the simulated ledger
/// is on: then a stranger could spend a named payer's balance by claiming its address with a
/// signature nobody checks, so it is refused unless `accept` is set explicitly.
enum class SmartWalletPolicy { kAuto, kAccept, kRefuse };

std::string_view ToString(SmartWalletPolicy policy);
std::optional<SmartWalletPolicy> ParseSmartWalletPolicy(std::string_view text);
/// kAuto resolved: accept without a ledger, refuse with one.
SmartWalletPolicy EffectiveSmartWalletPolicy(SmartWalletPolicy configured, bool ledger_enabled);

}  // namespace x402
