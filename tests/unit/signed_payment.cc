#include "signed_payment.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>

#include "x402/evm/eip712.h"
#include "x402/evm/hex_bytes.h"
#include "x402/evm/evm_networks.h"
#include "x402/evm/exact/eip3009_signature.h"
#include "x402/evm/permit2_payload.h"
#include "x402/evm/permit2_rules.h"

namespace x402::testing {
namespace {

namespace json = boost::json;

// Signing needs a context of its own (the static one verifies only); tests share one.
const secp256k1_context* SigningContext() {
  static secp256k1_context* context = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  return context;
}

std::string Hex(const uint8_t* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0x0f];
  }
  return out;
}

}  // namespace

Hash32 TestKey(uint8_t n) {
  Hash32 key{};
  key[31] = n;
  return key;
}

std::string AddressOf(const Hash32& private_key) {
  secp256k1_pubkey public_key;
  if (secp256k1_ec_pubkey_create(SigningContext(), &public_key, private_key.data()) != 1) return {};
  std::array<uint8_t, 65> uncompressed;
  size_t length = uncompressed.size();
  secp256k1_ec_pubkey_serialize(SigningContext(), uncompressed.data(), &length, &public_key,
                                SECP256K1_EC_UNCOMPRESSED);
  const Hash32 hash = Keccak256(std::span<const uint8_t>(uncompressed).subspan(1));
  EvmAddress address;
  std::copy(hash.end() - 20, hash.end(), address.begin());
  return ChecksumAddress(address);
}

std::string SignDigest(const Hash32& digest, const Hash32& private_key) {
  secp256k1_ecdsa_recoverable_signature signature;
  if (secp256k1_ecdsa_sign_recoverable(SigningContext(), &signature, digest.data(),
                                       private_key.data(), nullptr, nullptr) != 1) {
    return {};
  }
  std::array<uint8_t, 65> bytes;
  int recovery_id = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(SigningContext(), bytes.data(),
                                                          &recovery_id, &signature);
  bytes[64] = static_cast<uint8_t>(27 + recovery_id);
  return Hex(bytes.data(), bytes.size());
}

std::string SignTypedData(const Hash32& domain_separator, const Eip712Types& types, std::string_view primary,
                          const json::object& message, const Hash32& private_key) {
  std::string problem;
  const auto hash = types.HashStruct(primary, message, &problem);
  if (!hash) return {};
  return SignDigest(TypedDataDigest(domain_separator, *hash), private_key);
}

std::string SignAuthorization(const PaymentRequirements& offer, const json::object& authorization,
                              const Hash32& private_key) {
  const auto domain = OfferDomainSeparator(offer);
  if (!domain) return {};
  return SignTypedData(*domain, TransferWithAuthorizationTypes(), "TransferWithAuthorization", authorization,
                       private_key);
}

void SignPayment(json::object& payment, const PaymentRequirements& offer, const Hash32& private_key) {
  json::value* inner = payment.if_contains("payload");
  if (inner == nullptr || !inner->is_object()) return;
  json::value* authorization = inner->get_object().if_contains("authorization");
  if (authorization == nullptr || !authorization->is_object()) return;
  const std::string signature = SignAuthorization(offer, authorization->get_object(), private_key);
  if (!signature.empty()) inner->get_object()["signature"] = signature;
}

json::object Permit2Payload(const PaymentRequirements& option, bool upto, uint64_t nonce, int64_t deadline,
                            const Hash32& private_key) {
  json::object witness{{"to", option.pay_to}};
  if (upto) witness["facilitator"] = evm::kFacilitatorAddress;
  witness["validAfter"] = "0";
  json::object payload{
      {"signature", ""},
      {"permit2Authorization",
       {{"from", AddressOf(private_key)},
        {"permitted", {{"token", option.asset}, {"amount", option.amount.units.ToDecimal()}}},
        {"spender", upto ? evm::kUptoPermit2Proxy : evm::kExactPermit2Proxy},
        {"nonce", std::to_string(nonce)},
        {"deadline", std::to_string(deadline)},
        {"witness", std::move(witness)}}}};
  SignPermit2(payload, option, upto, private_key);
  return payload;
}

void SignPermit2(json::object& payload, const PaymentRequirements& option, bool upto, const Hash32& private_key) {
  const json::value* auth = payload.if_contains("permit2Authorization");
  if (auth == nullptr || !auth->is_object()) return;
  const evm::Permit2Witness witness = upto ? evm::Permit2Witness::kUpto : evm::Permit2Witness::kExact;
  const std::string signature =
      SignTypedData(evm::Permit2DomainSeparator(evm::ChainIdOf(option.caip2)), evm::Permit2Types(witness),
                    "PermitWitnessTransferFrom", auth->get_object(), private_key);
  if (!signature.empty()) payload["signature"] = signature;
}

}  // namespace x402::testing
