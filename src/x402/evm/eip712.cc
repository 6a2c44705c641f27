#include "x402/evm/eip712.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <set>
#include <span>
#include <string_view>

#include <boost/json.hpp>

#include "x402/evm/hex_bytes.h"
#include "x402/uint256.h"

namespace x402 {

namespace json = boost::json;

namespace {

std::span<const uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// Hex as viem reads it: "0x" in lower case.
bool LowerHexPrefix(std::string_view text) { return text.size() >= 2 && text[0] == '0' && text[1] == 'x'; }

// A struct type's name as viem's validateReference() takes it: letters, digits, _ $ :, and not
// the name of an atomic type.
bool IsStructName(std::string_view name) {
  if (name.empty()) return false;
  for (char ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                    ch == '$' || ch == ':';
    if (!ok) return false;
  }
  return !(name == "address" || name == "bool" || name == "string" || name == "bytes" ||
           name.starts_with("uint") || name.starts_with("int") || name.starts_with("bytes"));
}

// "uint256" → 256 when |type| is |prefix| followed by a number in [lo, hi] that is a multiple
// of |step|; 0 otherwise. A bare "uint" is not EIP-712 (the EIP requires the size).
int SizedSuffix(std::string_view type, std::string_view prefix, int lo, int hi, int step) {
  if (type.substr(0, prefix.size()) != prefix || type.size() == prefix.size()) return 0;
  const std::string_view digits = type.substr(prefix.size());
  if (digits[0] == '0') return 0;
  int value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return 0;
  return value >= lo && value <= hi && value % step == 0 ? value : 0;
}

// The number of significant bits of a big-endian word.
int BitLength(const Uint256Word& word) {
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] == 0) continue;
    int bits = 8;
    while ((word[i] & (1u << (bits - 1))) == 0) --bits;
    return static_cast<int>((word.size() - 1 - i) * 8) + bits;
  }
  return 0;
}

// Two's complement of a big-endian word: ~x + 1.
Uint256Word Negated(Uint256Word word) {
  for (uint8_t& b : word) b = static_cast<uint8_t>(~b);
  for (std::size_t i = word.size(); i-- > 0;) {
    if (++word[i] != 0) break;
  }
  return word;
}

// An integer member's text or JSON number as a decimal magnitude and its sign.
bool ReadInteger(const json::value& value, std::string* digits, bool* negative) {
  *negative = false;
  if (const json::string* s = value.if_string()) {
    std::string_view text(s->data(), s->size());
    if (!text.empty() && text[0] == '-') {
      *negative = true;
      text.remove_prefix(1);
    }
    *digits = std::string(text);
    return true;
  }
  if (value.is_uint64()) {
    *digits = std::to_string(value.get_uint64());
    return true;
  }
  if (value.is_int64()) {
    const int64_t v = value.get_int64();
    *negative = v < 0;
    // The magnitude of INT64_MIN does not fit in int64_t: go through uint64_t.
    *digits = std::to_string(v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
    return true;
  }
  return false;
}

// Encodes one atomic member (not a struct, string or bytes) as its 32-byte word.
bool EncodeAtomic(const Eip712Types::Member& member, const json::value& value, Uint256Word* word,
                  std::string* why) {
  using Kind = Eip712Types::Member::Kind;
  *word = {};
  switch (member.kind) {
    case Kind::kAddress: {
      const json::string* s = value.if_string();
      const auto address = s && LowerHexPrefix(*s) ? ParseEvmAddress(std::string_view(s->data(), s->size())) : std::nullopt;
      if (!address) {
        *why = "must be an address (0x + 40 hex digits)";
        return false;
      }
      std::copy(address->begin(), address->end(), word->begin() + 12);
      return true;
    }
    case Kind::kBool:
      if (!value.is_bool()) {
        *why = "must be true or false";
        return false;
      }
      (*word)[31] = value.get_bool() ? 1 : 0;
      return true;
    case Kind::kUint:
    case Kind::kInt: {
      std::string digits;
      bool negative = false;
      const auto magnitude = ReadInteger(value, &digits, &negative) ? Uint256::ParseDecimal(digits) : std::nullopt;
      const bool is_signed = member.kind == Kind::kInt;
      if (!magnitude || (negative && !is_signed)) {
        *why = std::string("must be ") + (is_signed ? "an integer" : "a non-negative integer") +
               " (decimal digits)";
        return false;
      }
      Uint256Word bytes = magnitude->ToBigEndian();
      // uintN: below 2^N. intN: below 2^(N-1), or down to -2^(N-1) (magnitude - 1 below it).
      const int limit = is_signed ? member.size - 1 : member.size;
      const int bits = negative && !magnitude->IsZero() ? BitLength((*magnitude - 1).ToBigEndian()) : BitLength(bytes);
      if (bits > limit) {
        *why = "is out of range for " + member.type;
        return false;
      }
      *word = negative ? Negated(bytes) : bytes;
      return true;
    }
    case Kind::kFixedBytes: {
      const json::string* s = value.if_string();
      const std::string_view text = s ? std::string_view(s->data(), s->size()) : std::string_view();
      // Left-aligned, zero-padded on the right (ABI encoding of bytesN).
      if (s == nullptr || !LowerHexPrefix(text) ||
          !DecodePrefixedHex(text, std::span<uint8_t>(word->data(), static_cast<std::size_t>(member.size)))) {
        *why = "must be " + std::to_string(member.size) + " bytes of hex (0x + " +
               std::to_string(2 * member.size) + " digits)";
        return false;
      }
      return true;
    }
    case Kind::kBytes:
    case Kind::kString:
    case Kind::kStruct:
      break;
  }
  *why = "is not an atomic type";
  return false;
}

// The bytes of a dynamic `bytes` member: "0x" followed by an even number of hex digits
// ("0x" alone is the empty value).
bool DecodeDynamicBytes(std::string_view text, std::vector<uint8_t>* out) {
  if (!LowerHexPrefix(text) || text.size() % 2 != 0) {
    return false;
  }
  out->resize((text.size() - 2) / 2);
  return out->empty() || DecodePrefixedHex(text, *out);
}

}  // namespace

std::optional<Eip712Types> Eip712Types::Make(std::vector<Eip712StructType> types, std::string* problem) {
  using Kind = Member::Kind;
  Eip712Types out;
  auto index_of = [&types](std::string_view name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < types.size(); ++i) {
      if (types[i].name == name) return i;
    }
    return std::nullopt;
  };
  for (std::size_t t = 0; t < types.size(); ++t) {
    const Eip712StructType& type = types[t];
    if (!IsStructName(type.name)) {
      *problem = "'" + type.name + "' is not a struct type name (letters, digits, _ $ :, not an atomic type's)";
      return std::nullopt;
    }
    if (*index_of(type.name) != t) {
      *problem = "type " + type.name + " is defined twice";
      return std::nullopt;
    }
    Type resolved;
    resolved.name = type.name;
    for (const Eip712Member& m : type.members) {
      Member member;
      member.name = m.name;
      member.type = m.type;
      if (m.type == "address") {
        member.kind = Kind::kAddress;
      } else if (m.type == "bool") {
        member.kind = Kind::kBool;
      } else if (m.type == "string") {
        member.kind = Kind::kString;
      } else if (m.type == "bytes") {
        member.kind = Kind::kBytes;
      } else if (int bits = SizedSuffix(m.type, "uint", 8, 256, 8)) {
        member.kind = Kind::kUint;
        member.size = bits;
      } else if (int ibits = SizedSuffix(m.type, "int", 8, 256, 8)) {
        member.kind = Kind::kInt;
        member.size = ibits;
      } else if (int bytes = SizedSuffix(m.type, "bytes", 1, 32, 1)) {
        member.kind = Kind::kFixedBytes;
        member.size = bytes;
      } else if (const auto index = index_of(m.type)) {
        member.kind = Kind::kStruct;
        member.struct_index = *index;
      } else {
        *problem = type.name + "." + m.name + ": type '" + m.type + "' is not an EIP-712 type of this set" +
                   (m.type.find('[') != std::string::npos ? " (arrays are not supported)" : "");
        return std::nullopt;
      }
      resolved.members.push_back(std::move(member));
    }
    out.types_.push_back(std::move(resolved));
  }
  // encodeType: the type, then every struct it reaches (directly or not) sorted by name. A type
  // that reaches itself has no finite encoding.
  for (std::size_t i = 0; i < out.types_.size(); ++i) {
    std::set<std::string> reached;
    bool cyclic = false;
    std::function<void(std::size_t)> visit = [&](std::size_t t) {
      for (const Member& m : out.types_[t].members) {
        if (m.kind != Kind::kStruct) continue;
        if (m.struct_index == i) {
          cyclic = true;
          continue;
        }
        if (reached.insert(out.types_[m.struct_index].name).second) visit(m.struct_index);
      }
    };
    visit(i);
    if (cyclic) {
      *problem = out.types_[i].name + " references itself";
      return std::nullopt;
    }
    auto signature = [](const Type& t) {
      std::string s = t.name + "(";
      for (std::size_t m = 0; m < t.members.size(); ++m) {
        if (m > 0) s += ',';
        s += t.members[m].type + " " + t.members[m].name;
      }
      return s + ")";
    };
    std::string encoded = signature(out.types_[i]);
    for (const std::string& name : reached) encoded += signature(out.types_[*index_of(name)]);
    out.types_[i].hash = Keccak256(Bytes(encoded));
    out.types_[i].encoded = std::move(encoded);
  }
  return out;
}

std::string Eip712Types::EncodeType(std::string_view primary) const {
  for (const Type& t : types_) {
    if (t.name == primary) return t.encoded;
  }
  return {};
}

Hash32 Eip712Types::TypeHash(std::string_view primary) const {
  for (const Type& t : types_) {
    if (t.name == primary) return t.hash;
  }
  return {};
}

namespace {

// hashStruct of |type| over |message|; |path| prefixes member names in a problem ("witness.").
std::optional<Hash32> HashStructOf(std::span<const Eip712Types::Type> types, const Eip712Types::Type& type,
                                   const json::object& message, const std::string& path, std::string* problem) {
  using Kind = Eip712Types::Member::Kind;
  // typeHash ‖ one word per member.
  std::vector<uint8_t> encoded((type.members.size() + 1) * 32);
  std::copy(type.hash.begin(), type.hash.end(), encoded.begin());
  for (std::size_t i = 0; i < type.members.size(); ++i) {
    const Eip712Types::Member& member = type.members[i];
    uint8_t* slot = encoded.data() + 32 * (i + 1);
    const json::value* value = message.if_contains(member.name);
    if (value == nullptr) {
      *problem = path + member.name + " is missing";
      return std::nullopt;
    }
    Hash32 word{};
    switch (member.kind) {
      case Kind::kStruct: {
        const json::object* inner = value->if_object();
        if (inner == nullptr) {
          *problem = path + member.name + " must be an object (" + member.type + ")";
          return std::nullopt;
        }
        const auto hash = HashStructOf(types, types[member.struct_index], *inner, path + member.name + ".", problem);
        if (!hash) return std::nullopt;
        word = *hash;
        break;
      }
      case Kind::kString: {
        const json::string* s = value->if_string();
        if (s == nullptr) {
          *problem = path + member.name + " must be a string";
          return std::nullopt;
        }
        word = Keccak256(Bytes(std::string_view(s->data(), s->size())));
        break;
      }
      case Kind::kBytes: {
        const json::string* s = value->if_string();
        std::vector<uint8_t> bytes;
        if (s == nullptr || !DecodeDynamicBytes(std::string_view(s->data(), s->size()), &bytes)) {
          *problem = path + member.name + " must be hex bytes (0x followed by an even number of digits)";
          return std::nullopt;
        }
        word = Keccak256(bytes);
        break;
      }
      default: {
        std::string why;
        if (!EncodeAtomic(member, *value, &word, &why)) {
          *problem = path + member.name + " " + why;
          return std::nullopt;
        }
      }
    }
    std::copy(word.begin(), word.end(), slot);
  }
  return Keccak256(encoded);
}

}  // namespace

std::optional<Hash32> Eip712Types::HashStruct(std::string_view primary, const json::object& message,
                                              std::string* problem) const {
  for (const Type& t : types_) {
    if (t.name == primary) return HashStructOf(types_, t, message, "", problem);
  }
  *problem = "no type " + std::string(primary);
  return std::nullopt;
}

Eip712Domain TokenDomain(std::string_view name, std::string_view version, uint64_t chain_id,
                         const EvmAddress& contract) {
  Eip712Domain domain;
  domain.name = name;
  domain.version = version;
  domain.chain_id = chain_id;
  domain.verifying_contract = contract;
  return domain;
}

std::string DomainType(const Eip712Domain& domain) {
  std::string out = "EIP712Domain(";
  auto add = [&out](bool present, std::string_view member) {
    if (!present) return;
    if (out.back() != '(') out += ',';
    out += member;
  };
  add(domain.name.has_value(), "string name");
  add(domain.version.has_value(), "string version");
  add(domain.chain_id.has_value(), "uint256 chainId");
  add(domain.verifying_contract.has_value(), "address verifyingContract");
  add(domain.salt.has_value(), "bytes32 salt");
  return out + ")";
}

Hash32 DomainSeparator(const Eip712Domain& domain) {
  std::vector<uint8_t> encoded;
  encoded.reserve(6 * 32);
  auto append = [&encoded](const auto& word) { encoded.insert(encoded.end(), word.begin(), word.end()); };
  append(Keccak256(Bytes(DomainType(domain))));
  if (domain.name) append(Keccak256(Bytes(*domain.name)));
  if (domain.version) append(Keccak256(Bytes(*domain.version)));
  if (domain.chain_id) append(Uint256(*domain.chain_id).ToBigEndian());
  if (domain.verifying_contract) {
    Uint256Word word{};
    std::copy(domain.verifying_contract->begin(), domain.verifying_contract->end(), word.begin() + 12);
    append(word);
  }
  if (domain.salt) append(*domain.salt);
  return Keccak256(encoded);
}

Hash32 TypedDataDigest(const Hash32& domain_separator, const Hash32& struct_hash) {
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
