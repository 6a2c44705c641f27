// A Permit2 payment as @x402/evm 2.27 makes it (src/shared/permit2.ts
// createPermit2PayloadForProxy(), src/upto/client/permit2.ts createUptoPermit2Payload()):
//
//   {"signature":"0x…","permit2Authorization":{"from":"0x…",
//     "permitted":{"token":"<asset>","amount":"<atomic>"},"spender":"<x402 proxy>",
//     "nonce":"<uint256 decimal>","deadline":"<unix s>",
//     "witness":{"to":"<payTo>",["facilitator":"<address>",]"validAfter":"0"}}}
//
// signed as EIP-712 PermitWitnessTransferFrom under the Permit2 contract's domain
// {name:"Permit2", chainId, verifyingContract: 0x000000000022D473030F116dDEE9F6B43aC78BA3}
// (no version). The exact scheme's witness is Witness(address to,uint256 validAfter); upto's
// adds the facilitator allowed to settle it: Witness(address to,address facilitator,uint256
// validAfter) (src/constants.ts permit2WitnessTypes, uptoPermit2WitnessTypes).
//
// This file reads such a payload and checks its signature; permit2_rules.h decides whether it
// pays an offer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "x402/evm/eip712.h"
#include "x402/evm/signer_recovery.h"
#include "x402/uint256.h"
#include "x402/used_authorizations.h"

namespace x402::evm {

/// The canonical Permit2 contract (the same address on every chain).
inline constexpr std::string_view kPermit2Address = "0x000000000022D473030F116dDEE9F6B43aC78BA3";
/// x402's proxies that spend Permit2 permits: the only spenders the references accept
/// (src/constants.ts x402ExactPermit2ProxyAddress, x402UptoPermit2ProxyAddress).
inline constexpr std::string_view kExactPermit2Proxy = "0x402085c248EeA27D92E8b30b2C58ed07f9E20001";
inline constexpr std::string_view kUptoPermit2Proxy = "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002";

enum class Permit2Witness {
  kExact,  // Witness(address to,uint256 validAfter)
  kUpto,   // Witness(address to,address facilitator,uint256 validAfter)
};

/// The message types of |witness|'s PermitWitnessTransferFrom.
const Eip712Types& Permit2Types(Permit2Witness witness);

/// hashStruct(EIP712Domain) of Permit2 on |chain_id|.
Hash32 Permit2DomainSeparator(uint64_t chain_id);

/// permit2Authorization as read, each field as sent and, where it reads, its value. Nothing is
/// refused here: verifyPermit2() reads each field only when its rule comes (BigInt(deadline) at
/// the deadline rule, the signature last), so a malformed field is refused by its rule, in the
/// reference's order.
struct Permit2Authorization {
  std::string from;  // "" when not a string
  std::string token;
  std::string amount_text;
  /// A uint256 in plain decimal digits (no sign, no leading zero): the only form the mock takes
  /// (the amount rule refuses the others).
  std::optional<Uint256> amount;
  std::string spender;
  std::optional<Uint256> nonce;     // as BigInt() reads it: decimal, or 0x hex
  std::optional<Uint256> deadline;  // as BigInt() reads it
  std::optional<Uint256> valid_after;
  std::string witness_to;
  std::string witness_facilitator;  // upto only
  std::string signature;
  /// The signature step's outcome (strict), for the signature rule.
  SignatureCheck signature_check;
  bool signature_accepted = false;  // matches, or a smart wallet's the policy takes unchecked
  std::string signature_problem;    // why it is not accepted, in words

  int64_t deadline_seconds() const { return deadline ? deadline->SaturatedInt64() : 0; }
  int64_t valid_after_seconds() const { return valid_after ? valid_after->SaturatedInt64() : INT64_MAX; }
};

/// An integer as JavaScript's BigInt() reads x402's fields: decimal digits (leading zeros
/// allowed) or "0x" hex; nullopt for anything else or above 2^256 - 1.
std::optional<Uint256> ParseBigIntText(std::string_view text);

/// Whether |payload| is a Permit2 payload: it has permit2Authorization (@x402/evm
/// isPermit2Payload(), which picks the strategy of the exact scheme by this alone).
bool IsPermit2Payload(const boost::json::object& payload);

/// permit2Authorization.from when it is an address, else "": who the payment claims pays, read
/// before any check so that an early refusal names it.
std::string Permit2Payer(const boost::json::object& payload);

/// Whether |payload| has the shape upto requires: every field a string, the witness with a
/// facilitator (@x402/evm types.ts isUptoPermit2Payload()).
bool IsUptoPermit2Payload(const boost::json::object& payload);

/// Reads permit2Authorization and the signature. False, with |problem|, only when an object
/// the reference reads fields of is missing (permit2Authorization, permitted, witness).
bool ReadPermit2Authorization(const boost::json::object& payload, Permit2Witness witness,
                              Permit2Authorization* out, std::string* problem);

/// The EIP-712 digest the payer signed: PermitWitnessTransferFrom over |auth| (its values as
/// the reference converts them: getAddress, BigInt) under |domain_separator|
/// (Permit2DomainSeparator of the chain); nullopt, with |problem|, when a field does not read.
std::optional<Hash32> Permit2Digest(const Permit2Authorization& auth, Permit2Witness witness,
                                    const Hash32& domain_separator, std::string* problem);

/// The simulated chain's key for a Permit2 nonce: Permit2 keeps one nonce bitmap per owner on
/// each chain, whatever the token or the proxy, so exact and upto payments share it.
UsedAuthorizations::Digest Permit2ReplayKey(std::string_view caip2, std::string_view owner, const Uint256& nonce);

}  // namespace x402::evm
