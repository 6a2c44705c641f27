// The EIP-712 digest an x402 "exact" EVM payment signs: EIP-3009's TransferWithAuthorization
// under the token's domain. Both x402 1.2.0 and @x402/evm 2.27 build it with viem's
// hashTypedData from
//   domain  {name: extra.name, version: extra.version, chainId: <the network's>, verifyingContract: asset}
//   message {from, to, value, validAfter, validBefore, nonce}
// and tests/unit/data/eip712_vectors.json pins this code to viem's output.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "x402/evm/evm_address.h"
#include "x402/evm/keccak.h"

namespace x402 {

/// A 256-bit unsigned integer as ABI-encoded: 32 bytes, big-endian.
using Uint256Word = std::array<uint8_t, 32>;

struct Eip712Domain {
  std::string_view name;     // the token's EIP-712 name, e.g. "USDC"
  std::string_view version;  // e.g. "2"
  uint64_t chain_id = 0;     // e.g. 84532 for base-sepolia
  EvmAddress verifying_contract{};
};

struct TransferWithAuthorization {
  EvmAddress from{};
  EvmAddress to{};
  Uint256Word value{};
  Uint256Word valid_after{};
  Uint256Word valid_before{};
  Hash32 nonce{};
};

/// hashStruct(EIP712Domain): the same for every payment made to one token on one chain, so
/// callers compute it once (the Paywall does, per snapshot).
Hash32 DomainSeparator(const Eip712Domain& domain);

/// keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message)): what the payer signed.
Hash32 TransferWithAuthorizationDigest(const Hash32& domain_separator,
                                       const TransferWithAuthorization& message);

/// A decimal string (as x402 sends value, validAfter, validBefore) as a uint256 word;
/// false when it is empty, has a non-digit or exceeds 2^256 - 1.
bool ParseUint256Decimal(std::string_view digits, Uint256Word* out);

/// "0x" + 64 hex digits (any case) as 32 bytes; false otherwise.
bool ParseBytes32(std::string_view text, Hash32* out);

}  // namespace x402
