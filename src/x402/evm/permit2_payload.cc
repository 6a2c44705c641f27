#include "x402/evm/permit2_payload.h"

#include <boost/json.hpp>

#include "x402/evm/evm_address.h"
#include "x402/evm/hex_bytes.h"
#include "x402/json_fields.h"

namespace x402::evm {
namespace {

namespace json = boost::json;

Eip712Types MakeTypes(Permit2Witness witness) {
  std::vector<Eip712Member> witness_members = {{"to", "address"}};
  if (witness == Permit2Witness::kUpto) witness_members.push_back({"facilitator", "address"});
  witness_members.push_back({"validAfter", "uint256"});
  std::string problem;
  return *Eip712Types::Make({{"PermitWitnessTransferFrom",
                              {{"permitted", "TokenPermissions"},
                               {"spender", "address"},
                               {"nonce", "uint256"},
                               {"deadline", "uint256"},
                               {"witness", "Witness"}}},
                             {"TokenPermissions", {{"token", "address"}, {"amount", "uint256"}}},
                             {"Witness", std::move(witness_members)}},
                            &problem);
}

// x402's zod schemas (and viem) take lowercase "0x" only.
bool IsAddress(std::string_view s) { return s.size() == 42 && s[1] == 'x' && IsPrefixedHex(s, 40); }

// A time as BigInt(text) reads it (leading zeros allowed), saturated at INT64_MAX: a deadline
// of 2^200 is far in the future, not malformed.
bool ParseTime(std::string_view text, int64_t* out) {
  const auto value = Uint256::ParseDecimal(text);
  if (!value) return false;
  *out = value->SaturatedInt64();
  return true;
}

}  // namespace

const Eip712Types& Permit2Types(Permit2Witness witness) {
  static const Eip712Types exact = MakeTypes(Permit2Witness::kExact);
  static const Eip712Types upto = MakeTypes(Permit2Witness::kUpto);
  return witness == Permit2Witness::kUpto ? upto : exact;
}

Hash32 Permit2DomainSeparator(uint64_t chain_id) {
  Eip712Domain domain;
  domain.name = "Permit2";
  domain.chain_id = chain_id;
  domain.verifying_contract = *ParseEvmAddress(kPermit2Address);
  return DomainSeparator(domain);
}

bool IsPermit2Payload(const json::object& payload) { return payload.contains("permit2Authorization"); }

bool IsUptoPermit2Payload(const json::object& payload) {
  const json::object* auth = ObjectField(payload, "permit2Authorization");
  if (StringField(payload, "signature") == nullptr || auth == nullptr) return false;
  for (std::string_view key : {"from", "spender", "nonce", "deadline"}) {
    if (StringField(*auth, key) == nullptr) return false;
  }
  const json::object* permitted = ObjectField(*auth, "permitted");
  const json::object* witness = ObjectField(*auth, "witness");
  return permitted != nullptr && StringField(*permitted, "token") != nullptr &&
         StringField(*permitted, "amount") != nullptr && witness != nullptr &&
         StringField(*witness, "facilitator") != nullptr && StringField(*witness, "to") != nullptr &&
         StringField(*witness, "validAfter") != nullptr;
}

bool ReadPermit2Authorization(const json::object& payload, Permit2Witness witness, Permit2Authorization* out,
                              std::string* problem) {
  const json::object* auth = ObjectField(payload, "permit2Authorization");
  if (auth == nullptr) {
    *problem = "payload.permit2Authorization is missing";
    return false;
  }
  auto address = [&](const json::object& obj, std::string_view path, std::string_view key, std::string* field) {
    const std::string_view text = TextField(obj, key);
    if (!IsAddress(text)) {
      *problem = std::string(path) + std::string(key) + " must be an address (0x + 40 hex digits)";
      return false;
    }
    *field = std::string(text);
    return true;
  };
  if (!address(*auth, "permit2Authorization.", "from", &out->from)) return false;
  out->signature = std::string(TextField(payload, "signature"));
  if (ClassifySignature(out->signature) == SignatureKind::kUnreadable) {
    *problem = "payload.signature must be a hex signature of at least 65 bytes";
    return false;
  }
  const json::object* permitted = ObjectField(*auth, "permitted");
  if (permitted == nullptr) {
    *problem = "permit2Authorization.permitted is missing";
    return false;
  }
  if (!address(*permitted, "permitted.", "token", &out->token)) return false;
  const json::string* amount = StringField(*permitted, "amount");
  if (amount == nullptr) {
    *problem = "permitted.amount must be a decimal integer string";
    return false;
  }
  out->amount_text = Str(*amount);
  // BigInt() would read "007" and "+7" too; no client writes them, and the amount rule says so.
  out->amount = Uint256::ParseDecimal(out->amount_text);
  if (out->amount && out->amount_text.size() > 1 && out->amount_text[0] == '0') out->amount.reset();
  if (!address(*auth, "permit2Authorization.", "spender", &out->spender)) return false;
  const auto nonce = Uint256::ParseDecimal(TextField(*auth, "nonce"));
  if (!nonce) {
    *problem = "permit2Authorization.nonce must be a uint256 as a decimal string";
    return false;
  }
  out->nonce = *nonce;
  if (!ParseTime(TextField(*auth, "deadline"), &out->deadline)) {
    *problem = "permit2Authorization.deadline must be a Unix time as a decimal string";
    return false;
  }
  const json::object* witness_object = ObjectField(*auth, "witness");
  if (witness_object == nullptr) {
    *problem = "permit2Authorization.witness is missing";
    return false;
  }
  if (!address(*witness_object, "witness.", "to", &out->witness_to)) return false;
  if (witness == Permit2Witness::kUpto &&
      !address(*witness_object, "witness.", "facilitator", &out->witness_facilitator)) {
    return false;
  }
  if (!ParseTime(TextField(*witness_object, "validAfter"), &out->valid_after)) {
    *problem = "witness.validAfter must be a Unix time as a decimal string";
    return false;
  }
  return true;
}

std::optional<Hash32> Permit2Digest(const json::object& payload, Permit2Witness witness,
                                    const Hash32& domain_separator) {
  const json::object* auth = ObjectField(payload, "permit2Authorization");
  if (auth == nullptr) return std::nullopt;
  std::string problem;
  const auto message = Permit2Types(witness).HashStruct("PermitWitnessTransferFrom", *auth, &problem);
  if (!message) return std::nullopt;
  return TypedDataDigest(domain_separator, *message);
}

UsedAuthorizations::Digest Permit2ReplayKey(std::string_view caip2, std::string_view owner, const Uint256& nonce) {
  return UsedAuthorizations::DigestOf(caip2, kPermit2Address, owner, nonce.ToDecimal());
}

}  // namespace x402::evm
