// Signs x402 "exact" payments in tests the way a wallet does (EIP-712 digest from
// x402/evm/eip712.h, libsecp256k1 signing with a fixed test key), so tests can build payments the
// mock's signature check accepts, and payments altered after signing that it must refuse.
// The digest code itself is pinned to viem's by eip712_test.cc.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "x402/evm/eip712.h"
#include "x402/evm/keccak.h"
#include "x402/requirements.h"

namespace x402::testing {

/// The private key 0x00…0n: well-known test keys, never funded. Key 1 is the address
/// 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf, key 2 0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF.
Hash32 TestKey(uint8_t n);

/// The EIP-55 address of |private_key|.
std::string AddressOf(const Hash32& private_key);

/// A 65-byte signature (r ‖ s ‖ v, v = 27/28) of |digest| by |private_key|, as "0x…" hex.
std::string SignDigest(const Hash32& digest, const Hash32& private_key);

/// The signature of |message| (typed by |types|' |primary|) under |domain_separator|, as
/// viem's signTypedData makes it; empty when the message does not read as its type.
std::string SignTypedData(const Hash32& domain_separator, const Eip712Types& types, std::string_view primary,
                          const boost::json::object& message, const Hash32& private_key);

/// A 65-byte signature (r ‖ s ‖ v, v = 27/28) by |private_key| of |authorization| under
/// |offer|'s EIP-712 domain, as "0x…" hex. Empty when a field of |authorization| does not read.
std::string SignAuthorization(const PaymentRequirements& offer,
                              const boost::json::object& authorization, const Hash32& private_key);

/// Replaces payment.payload.signature by |private_key|'s signature of payment.payload.authorization;
/// leaves the payment alone when the authorization does not read.
void SignPayment(boost::json::object& payment, const PaymentRequirements& offer,
                 const Hash32& private_key = TestKey(1));

/// A Permit2 payment's `payload` as @x402/evm 2.27's client makes it for |option|
/// (createPermit2PayloadForProxy / createUptoPermit2Payload): permitted {asset, amount},
/// spender the exact (or, |upto|, the upto) proxy, nonce |nonce|, deadline |deadline|, witness
/// {to: payTo[, facilitator: the mock's], validAfter: "0"}, signed by |private_key|.
boost::json::object Permit2Payload(const PaymentRequirements& option, bool upto, uint64_t nonce, int64_t deadline,
                                   const Hash32& private_key = TestKey(1));

/// Replaces payload.signature by |private_key|'s Permit2 signature of payload.permit2Authorization
/// on |option|'s chain (after a test changed a field it signs).
void SignPermit2(boost::json::object& payload, const PaymentRequirements& option, bool upto,
                 const Hash32& private_key = TestKey(1));

}  // namespace x402::testing
