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
#include <span>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "x402/evm/keccak.h"
#include "x402/requirements.h"

namespace x402 {

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

/// The EIP-712 domain separator of |offered|'s token (name = extra.name, version =
/// extra.version, chain id from the CAIP-2 network, verifyingContract = asset); nullopt when a
/// part is missing or malformed.
std::optional<Hash32> OfferDomainSeparator(const PaymentRequirements& offered);

/// The exact scheme's precomputation for an offered option: its domain separator, hashed once
/// per paywall snapshot (every payment to the option is signed under it).
struct Eip3009Domain : PreparedOption {
  explicit Eip3009Domain(const Hash32& s) : separator(s) {}
  Hash32 separator;
};

/// Checks the signature of |payload| (the exact scheme's {signature, authorization}) against
/// |offered|. Uses the option's Eip3009Domain when prepared, else computes the separator.
SignatureCheck CheckPaymentSignature(const boost::json::object& payload,
                                     const PaymentRequirements& offered);

/// An EIP-712 domain's name and version, as a token's extra names them.
struct DomainName {
  std::string name;
  std::string version;
};

/// When |payload|'s 65-byte signature does not recover authorization.from under |offered|'s
/// domain: the name and version among |candidates| under which it does (same chain, same
/// token), which is the likely mistake (a client that signed with another token's domain);
/// nullopt when none does. Only for the message of a refusal: up to one recovery per candidate.
std::optional<DomainName> FindSigningDomain(const boost::json::object& payload,
                                            const PaymentRequirements& offered,
                                            std::span<const DomainName> candidates);

}  // namespace x402
