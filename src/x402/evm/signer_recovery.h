// Who signed a digest: secp256k1 public-key recovery from a 65-byte Ethereum signature
// (r ‖ s ‖ v), then the address (the last 20 bytes of keccak256 of the public key).
// libsecp256k1's recovery module does the curve work.
//
// Accepted exactly as viem's recoverAddress accepts (what x402 1.2.0 and @x402/evm 2.27 call):
// v = 27/28 or 0/1; any s in [1, n-1], high s included (viem's recovery, @noble/curves'
// Signature.recoverPublicKey, does not enforce EIP-2's low s; the token contract would refuse
// a high s at settlement, which an offline mock cannot reach). r or s of 0 or ≥ n, or another
// v, recovers nothing.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "x402/evm/evm_address.h"
#include "x402/evm/keccak.h"

namespace x402 {

using EcdsaSignature = std::array<uint8_t, 65>;

/// The address whose key made |signature| over |digest|; nullopt when none can.
/// Thread-safe and allocation-free (one static libsecp256k1 context, never written).
std::optional<EvmAddress> RecoverSigner(const Hash32& digest, const EcdsaSignature& signature);

// Smart-wallet signatures (ERC-1271: any other length; ERC-6492: the 0x6492… magic suffix) are
// verified by a real facilitator with an eth_call to the wallet contract. The mock has no
// chain, so it cannot: it classifies them and lets the caller's policy decide.
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
  bool matches = false;   // kEcdsa: the recovered address is the claimed signer
  std::string recovered;  // kEcdsa: the EIP-55 address recovered, or "" when none could be
};

/// Checks |signature| ("0x" hex as a payload carries it) over |digest| against |claimed|: a
/// 65-byte one is recovered (kEcdsa), a longer hex one is a smart wallet's (kErc1271 /
/// kErc6492, not checked), anything else kUnreadable.
SignatureCheck CheckSignature(const Hash32& digest, std::string_view signature, const EvmAddress& claimed);

/// The kind |signature| would be checked as, without a digest (kEcdsa for 65 bytes).
SignatureKind ClassifySignature(std::string_view signature);

}  // namespace x402
