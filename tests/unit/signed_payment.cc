#include "signed_payment.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>

#include "x402/evm/eip712.h"
#include "x402/evm/hex_bytes.h"
#include "x402/evm/exact/eip3009_signature.h"

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

std::string_view Text(const json::object& obj, std::string_view key) {
  const json::value* v = obj.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
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

std::string SignAuthorization(const PaymentRequirements& offer, const json::object& authorization,
                              const Hash32& private_key) {
  TransferWithAuthorization message;
  const auto domain = OfferDomainSeparator(offer);
  if (!domain || !DecodePrefixedHex(Text(authorization, "from"), message.from) ||
      !DecodePrefixedHex(Text(authorization, "to"), message.to) ||
      !ParseUint256Decimal(Text(authorization, "value"), &message.value) ||
      !ParseUint256Decimal(Text(authorization, "validAfter"), &message.valid_after) ||
      !ParseUint256Decimal(Text(authorization, "validBefore"), &message.valid_before) ||
      !ParseBytes32(Text(authorization, "nonce"), &message.nonce)) {
    return {};
  }
  const Hash32 digest = TransferWithAuthorizationDigest(*domain, message);
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

void SignPayment(json::object& payment, const PaymentRequirements& offer, const Hash32& private_key) {
  json::value* inner = payment.if_contains("payload");
  if (inner == nullptr || !inner->is_object()) return;
  json::value* authorization = inner->get_object().if_contains("authorization");
  if (authorization == nullptr || !authorization->is_object()) return;
  const std::string signature = SignAuthorization(offer, authorization->get_object(), private_key);
  if (!signature.empty()) inner->get_object()["signature"] = signature;
}

}  // namespace x402::testing
