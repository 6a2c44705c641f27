#include "x402/evm/eip712.h"

#include <span>
#include <string_view>

#include "x402/evm/hex_bytes.h"
#include "x402/uint256.h"

namespace x402 {
namespace {

std::span<const uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

const Hash32& DomainTypeHash() {
  static const Hash32 hash = Keccak256(Bytes(
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));
  return hash;
}

const Hash32& TransferTypeHash() {
  static const Hash32 hash = Keccak256(
      Bytes("TransferWithAuthorization(address from,address to,uint256 value,"
            "uint256 validAfter,uint256 validBefore,bytes32 nonce)"));
  return hash;
}

// An address ABI-encodes as a word with 12 leading zero bytes.
Uint256Word AddressWord(const EvmAddress& address) {
  Uint256Word word{};
  std::copy(address.begin(), address.end(), word.begin() + 12);
  return word;
}

Uint256Word Uint64Word(uint64_t value) {
  Uint256Word word{};
  for (std::size_t i = 0; i < 8; ++i) word[31 - i] = static_cast<uint8_t>(value >> (8 * i));
  return word;
}

}  // namespace

Hash32 DomainSeparator(const Eip712Domain& domain) {
  const Hash32 name = Keccak256(Bytes(domain.name));
  const Hash32 version = Keccak256(Bytes(domain.version));
  const Uint256Word chain = Uint64Word(domain.chain_id);
  const Uint256Word contract = AddressWord(domain.verifying_contract);
  return Keccak256({DomainTypeHash(), name, version, chain, contract});
}

Hash32 TransferWithAuthorizationDigest(const Hash32& domain_separator,
                                       const TransferWithAuthorization& message) {
  const Uint256Word from = AddressWord(message.from);
  const Uint256Word to = AddressWord(message.to);
  const Hash32 struct_hash = Keccak256({TransferTypeHash(), from, to, message.value,
                                        message.valid_after, message.valid_before, message.nonce});
  static constexpr std::array<uint8_t, 2> kPrefix = {0x19, 0x01};
  return Keccak256({kPrefix, domain_separator, struct_hash});
}

bool ParseUint256Decimal(std::string_view digits, Uint256Word* out) {
  const auto value = Uint256::ParseDecimal(digits);
  if (!value) return false;
  *out = value->ToBigEndian();
  return true;
}

bool ParseBytes32(std::string_view text, Hash32* out) { return DecodePrefixedHex(text, *out); }

}  // namespace x402
