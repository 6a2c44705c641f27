// EIP-712 typed-data hashing, one implementation for every message x402 signs on EVM chains:
// EIP-3009's TransferWithAuthorization (exact), Permit2's PermitWitnessTransferFrom with its
// TokenPermissions and Witness (exact through Permit2, upto) and EIP-2612's Permit (the
// eip2612GasSponsoring extension). The references sign and verify with viem's
// signTypedData / hashTypedData, and this file follows viem's rules:
//   - the domain's type lists only the fields the domain has, in the order name, version,
//     chainId, verifyingContract, salt (viem getTypesForEIP712Domain; Permit2's has no version);
//   - encodeType is the primary type followed by every struct type it references, directly or
//     not, sorted by name (the EIP's rule; viem findTypeDependencies + sort);
//   - hashStruct encodes atomic members as 32-byte words, string and bytes as their keccak,
//     and struct members as their own hashStruct.
// tests/unit/data/typed_data_vectors.json (made with viem) pins it, non-ASCII names included.
// Arrays are not needed by any x402 message and are refused when a type set is made.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "x402/evm/evm_address.h"
#include "x402/evm/keccak.h"

namespace x402 {

/// A 256-bit unsigned integer as ABI-encoded: 32 bytes, big-endian.
using Uint256Word = std::array<uint8_t, 32>;

/// One member of a struct type, as EIP-712 writes it: {"to", "address"}.
struct Eip712Member {
  std::string name;
  std::string type;
};

/// A struct type: its name and members in order.
struct Eip712StructType {
  std::string name;
  std::vector<Eip712Member> members;
};

/// A set of struct types (EIP-712's `types` without EIP712Domain), checked and prepared once:
/// every member's type resolved, every type's encodeType and typeHash computed. Immutable, so
/// one instance (a function-local static per message kind) serves every thread.
class Eip712Types {
 public:
  /// The set of |types|; nullopt, with |problem| saying why, when a member's type is neither
  /// an atomic EIP-712 type (address, bool, bytes1..32, uint8..256, int8..256), string, bytes
  /// nor a struct of the set, or when a struct references itself.
  static std::optional<Eip712Types> Make(std::vector<Eip712StructType> types, std::string* problem);

  /// encodeType(|primary|): "Mail(Person from,Person to,string contents)Person(string name,
  /// address wallet)". "" when |primary| is not in the set.
  std::string EncodeType(std::string_view primary) const;
  /// keccak256(encodeType(|primary|)); zero when |primary| is not in the set.
  Hash32 TypeHash(std::string_view primary) const;

  /// hashStruct(|primary|, |message|), reading the members as viem takes them from JSON:
  /// addresses as "0x" + 40 hex digits (any case), integers as decimal strings (a '-' for intN)
  /// or JSON integers, bytesN and bytes as "0x" hex, strings as they are, bools as JSON bools,
  /// structs as objects. Members the type does not list are ignored. nullopt, with |problem|
  /// naming the member ("witness.to must be an address"), when one is missing or does not read
  /// as its type (an integer out of its type's range included).
  std::optional<Hash32> HashStruct(std::string_view primary, const boost::json::object& message,
                                   std::string* problem) const;

  /// A member with its type resolved once (how eip712.cc encodes it).
  struct Member {
    enum class Kind { kAddress, kBool, kUint, kInt, kFixedBytes, kBytes, kString, kStruct };
    std::string name;
    std::string type;
    Kind kind = Kind::kAddress;
    int size = 0;                  // bits for uintN/intN, bytes for bytesN
    std::size_t struct_index = 0;  // kStruct: the index of its type in the set
  };
  struct Type {
    std::string name;
    std::vector<Member> members;
    std::string encoded;  // encodeType
    Hash32 hash{};        // keccak256(encoded)
  };

 private:
  std::vector<Type> types_;
};

/// An EIP-712 domain: any subset of its five fields.
struct Eip712Domain {
  std::optional<std::string_view> name;     // e.g. "USDC", "Permit2"
  std::optional<std::string_view> version;  // e.g. "2"; Permit2's domain has none
  std::optional<uint64_t> chain_id;         // e.g. 84532 for base-sepolia
  std::optional<EvmAddress> verifying_contract;
  std::optional<Hash32> salt;
};

/// A token's domain, {name, version, chainId, verifyingContract}: what EIP-3009 and EIP-2612
/// signatures are made under.
Eip712Domain TokenDomain(std::string_view name, std::string_view version, uint64_t chain_id,
                         const EvmAddress& contract);

/// The domain's type as viem derives it: "EIP712Domain(string name,uint256 chainId,address
/// verifyingContract)" for Permit2's.
std::string DomainType(const Eip712Domain& domain);

/// hashStruct(EIP712Domain): the same for every payment made under one domain, so callers
/// compute it once (the paywall does, per offered option).
Hash32 DomainSeparator(const Eip712Domain& domain);

/// keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash): what the signer signed.
Hash32 TypedDataDigest(const Hash32& domain_separator, const Hash32& struct_hash);

/// A decimal string (as x402 sends amounts and times) as a uint256 word; false when it is
/// empty, has a non-digit or exceeds 2^256 - 1.
bool ParseUint256Decimal(std::string_view digits, Uint256Word* out);

/// "0x" + 64 hex digits (any case) as 32 bytes; false otherwise.
bool ParseBytes32(std::string_view text, Hash32* out);

}  // namespace x402
