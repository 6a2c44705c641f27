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

std::string Permit2Payer(const json::object& payload) {
  const json::object* auth = ObjectField(payload, "permit2Authorization");
  const std::string_view from = auth != nullptr ? TextField(*auth, "from") : std::string_view();
  return IsWireAddress(from) ? std::string(from) : std::string();
}

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

std::optional<Uint256> ParseBigIntText(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::string_view digits = text.substr(2);
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    if (digits.size() > 64) return std::nullopt;
    Hash32 bytes{};
    std::string padded = "0x" + std::string(64 - digits.size(), '0') + std::string(digits);
    if (!DecodePrefixedHex(padded, bytes)) return std::nullopt;
    return Uint256::FromBigEndian(bytes);
  }
  return Uint256::ParseDecimal(text);
}

bool ReadPermit2Authorization(const json::object& payload, Permit2Witness witness, Permit2Authorization* out,
                              std::string* problem) {
  const json::object* auth = ObjectField(payload, "permit2Authorization");
  const json::object* permitted = auth ? ObjectField(*auth, "permitted") : nullptr;
  const json::object* witness_object = auth ? ObjectField(*auth, "witness") : nullptr;
  if (auth != nullptr) out->from = std::string(TextField(*auth, "from"));
  if (permitted == nullptr || witness_object == nullptr) {
    *problem = auth == nullptr ? "payload.permit2Authorization is missing"
                               : "permit2Authorization needs its permitted and witness objects";
    return false;
  }
  out->signature = std::string(TextField(payload, "signature"));
  out->token = std::string(TextField(*permitted, "token"));
  out->amount_text = std::string(TextField(*permitted, "amount"));
  // BigInt() would read "007", "+7" or a JSON number too; no client writes them, and the
  // amount rule says so.
  out->amount = Uint256::ParseDecimal(out->amount_text);
  if (out->amount && out->amount_text.size() > 1 && out->amount_text[0] == '0') out->amount.reset();
  out->spender = std::string(TextField(*auth, "spender"));
  out->nonce = ParseBigIntText(TextField(*auth, "nonce"));
  out->deadline = ParseBigIntText(TextField(*auth, "deadline"));
  out->witness_to = std::string(TextField(*witness_object, "to"));
  if (witness == Permit2Witness::kUpto) out->witness_facilitator = std::string(TextField(*witness_object, "facilitator"));
  out->valid_after = ParseBigIntText(TextField(*witness_object, "validAfter"));
  return true;
}

std::optional<Hash32> Permit2Digest(const Permit2Authorization& auth, Permit2Witness witness,
                                    const Hash32& domain_separator, std::string* problem) {
  if (!auth.amount || !auth.nonce || !auth.deadline || !auth.valid_after) {
    *problem = "permitted.amount, nonce, deadline and witness.validAfter must be integers";
    return std::nullopt;
  }
  json::object witness_object{{"to", auth.witness_to}};
  if (witness == Permit2Witness::kUpto) witness_object["facilitator"] = auth.witness_facilitator;
  witness_object["validAfter"] = auth.valid_after->ToDecimal();
  const json::object message{{"permitted", {{"token", auth.token}, {"amount", auth.amount->ToDecimal()}}},
                             {"spender", auth.spender},
                             {"nonce", auth.nonce->ToDecimal()},
                             {"deadline", auth.deadline->ToDecimal()},
                             {"witness", std::move(witness_object)}};
  const auto hash = Permit2Types(witness).HashStruct("PermitWitnessTransferFrom", message, problem);
  if (!hash) return std::nullopt;
  return TypedDataDigest(domain_separator, *hash);
}

UsedAuthorizations::Digest Permit2ReplayKey(std::string_view caip2, std::string_view owner, const Uint256& nonce) {
  return UsedAuthorizations::DigestOf(caip2, kPermit2Address, owner, nonce.ToDecimal());
}

}  // namespace x402::evm
