// The signature step of an x402 "exact" EVM payment, as x402 1.2.0's verify and @x402/evm
// 2.27's verifyEIP3009 do it: rebuild the EIP-712 TransferWithAuthorization digest from the
// offer (domain) and the payload's authorization (message), recover the signer from the
// 65-byte ECDSA signature, and compare it with authorization.from.
//
// Smart-wallet signatures (ERC-1271: any other length; ERC-6492: the 0x6492… magic suffix)
// are verified by a real facilitator with an eth_call to the wallet contract. The mock has no
// chain, so it cannot: it classifies them and lets the caller's policy decide.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "x402/keccak.h"
#include "x402/requirements.h"

namespace x402 {

/// What the mock does with a signature it cannot check offline. kAuto (the default) accepts
/// it, unverified, unless the simulated ledger is on: then a stranger could spend a named
/// payer's balance by claiming its address with a signature nobody checks, so it is refused
/// unless `accept` is set explicitly (EffectiveSmartWalletPolicy).
enum class SmartWalletPolicy { kAuto, kAccept, kRefuse };

std::string_view ToString(SmartWalletPolicy policy);
/// kAuto resolved: accept without a ledger, refuse with one.
SmartWalletPolicy EffectiveSmartWalletPolicy(SmartWalletPolicy configured, bool ledger_enabled);
std::optional<SmartWalletPolicy> ParseSmartWalletPolicy(std::string_view text);

enum class SignatureKind {
  kUnreadable,  // a field the digest needs is missing or malformed: the field checks report it
  kNoDomain,    // the offer lacks what the EIP-712 domain needs (name, version, chain, asset)
  kEcdsa,       // 65 bytes: recovered and compared
  kErc1271,     // a contract wallet's signature (not 65 bytes, no ERC-6492 wrapper)
  kErc6492,     // a not-yet-deployed wallet's signature (ends with the ERC-6492 magic bytes)
};

std::string_view ToString(SignatureKind kind);

struct SignatureCheck {
  SignatureKind kind = SignatureKind::kUnreadable;
  bool matches = false;   // kEcdsa: the recovered address is authorization.from
  std::string recovered;  // kEcdsa: the EIP-55 address recovered, or "" when none could be
};

/// The EIP-712 domain separator of |offered|'s token (name, version, chain id from the CAIP-2
/// network, verifyingContract = asset); nullopt when a part is missing or malformed.
std::optional<Hash32> OfferDomainSeparator(const PaymentRequirements& offered);

/// Checks the signature of |payload| (the exact scheme's {signature, authorization}) against
/// |offered|. Uses offered.domain_separator when set, else computes it.
SignatureCheck CheckPaymentSignature(const boost::json::object& payload,
                                     const PaymentRequirements& offered);

}  // namespace x402
