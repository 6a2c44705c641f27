// The signature step of an x402 "exact" EVM payment, as x402 1.2.0's verify and @x402/evm
// 2.27's verifyEIP3009 do it: rebuild the EIP-712 TransferWithAuthorization digest from the
// offer (domain) and the payload's authorization (message), recover the signer from the
// 65-byte ECDSA signature, and compare it with authorization.from.
// Smart-wallet signatures are classified, not checked (signer_recovery.h).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "x402/evm/eip712.h"
#include "x402/evm/keccak.h"
#include "x402/evm/signer_recovery.h"
#include "x402/requirements.h"

namespace x402 {

/// EIP-3009's message type, TransferWithAuthorization(address from,address to,uint256 value,
/// uint256 validAfter,uint256 validBefore,bytes32 nonce) (@x402/evm src/constants.ts
/// authorizationTypes).
const Eip712Types& TransferWithAuthorizationTypes();

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
