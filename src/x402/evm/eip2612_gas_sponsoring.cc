#include "x402/evm/eip2612_gas_sponsoring.h"

#include <boost/json.hpp>

#include "base/text.h"
#include "x402/evm/evm_networks.h"
#include "x402/evm/hex_bytes.h"
#include "x402/evm/permit2_payload.h"
#include "x402/evm/signer_recovery.h"
#include "x402/json_fields.h"
#include "x402/networks.h"

namespace x402::evm {
namespace {

namespace json = boost::json;

// JavaScript truthiness of a field, as extractEip2612GasSponsoringInfo() tests `!info.from`.
bool Truthy(const json::value* v) {
  if (v == nullptr || v->is_null()) return false;
  if (v->is_bool()) return v->get_bool();
  if (v->is_string()) return !v->get_string().empty();
  if (v->is_number()) return v->to_number<double>() != 0;
  return true;  // objects and arrays
}

// validateEip2612GasSponsoringInfo()'s patterns.
bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
bool IsHex(std::string_view s) { return s.size() > 2 && s[0] == '0' && s[1] == 'x' && IsPrefixedHex(s); }
bool IsVersion(std::string_view s) {  // ^[0-9]+(\.[0-9]+)*$
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.' ? s[i - 1] == '.' : (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}

constexpr int64_t kDeadlineMarginSeconds = 6;

// Whether the token has EIP-2612's permit(): the network table says so of the Permit2-only
// tokens (supportsEip2612); the others of the table (USDC, EIP-3009 tokens) have it, as does a
// token the table lacks.
bool TokenHasEip2612(const PaymentRequirements& option) {
  for (const NetworkInfo& network : BuiltInNetworks()) {
    if (network.caip2 != option.caip2) continue;
    if (const AssetInfo* asset = network.FindAsset(option.asset)) {
      return asset->transfer_method != "permit2" || asset->supports_eip2612;
    }
  }
  return true;
}

}  // namespace

const Eip712Types& Eip2612PermitTypes() {
  static const Eip712Types types = [] {
    std::string problem;
    return *Eip712Types::Make({{"Permit",
                                {{"owner", "address"},
                                 {"spender", "address"},
                                 {"value", "uint256"},
                                 {"nonce", "uint256"},
                                 {"deadline", "uint256"}}}},
                              &problem);
  }();
  return types;
}

Eip2612Check CheckEip2612GasSponsoring(const json::object* extensions, std::string_view payer,
                                       const PaymentRequirements& option, const Uint256& amount, int64_t now,
                                       bool check_signature, bool check_fields) {
  Eip2612Check out;
  const json::object* extension = extensions ? ObjectField(*extensions, kEip2612GasSponsoringKey) : nullptr;
  const json::object* info = extension ? ObjectField(*extension, "info") : nullptr;
  if (info == nullptr) return out;
  for (std::string_view key : {"from", "asset", "spender", "amount", "nonce", "deadline", "signature", "version"}) {
    if (!Truthy(info->if_contains(key))) return out;  // not filled in by the client: ignored, as the reference does
  }
  out.present = true;
  auto fail = [&out](std::string_view reason, std::string message) {
    out.reason = std::string(reason);
    out.message = std::move(message);
    return out;
  };
  const std::string_view from = TextField(*info, "from"), asset = TextField(*info, "asset"),
                         spender = TextField(*info, "spender"), amount_text = TextField(*info, "amount"),
                         nonce = TextField(*info, "nonce"), deadline = TextField(*info, "deadline"),
                         signature = TextField(*info, "signature"), version = TextField(*info, "version");
  const bool fields_read = IsWireAddress(from) && IsWireAddress(asset) && IsWireAddress(spender) && IsDigits(amount_text) &&
                           IsDigits(nonce) && IsDigits(deadline) && IsHex(signature) && IsVersion(version);
  if (check_fields) {
    if (!fields_read) {
      return fail("invalid_eip2612_extension_format",
                  "extensions.eip2612GasSponsoring.info does not match its schema (addresses, decimal amount, "
                  "nonce and deadline, hex signature, a version such as \"1\")");
    }
    if (!EqualsIgnoreCaseAscii(from, payer)) {
      return fail("eip2612_from_mismatch", "the EIP-2612 permit's from " + std::string(from) +
                                               " is not the payer " + std::string(payer));
    }
    if (!EqualsIgnoreCaseAscii(asset, option.asset)) {
      return fail("eip2612_asset_mismatch", "the EIP-2612 permit's asset " + std::string(asset) +
                                                " is not the payment's token " + option.asset);
    }
    if (!EqualsIgnoreCaseAscii(spender, kPermit2Address)) {
      return fail("eip2612_spender_not_permit2", "the EIP-2612 permit's spender " + std::string(spender) +
                                                     " is not Permit2 " + std::string(kPermit2Address));
    }
    const auto deadline_value = Uint256::ParseDecimal(deadline);
    if (!deadline_value || deadline_value->SaturatedInt64() < now + kDeadlineMarginSeconds) {
      return fail("eip2612_deadline_expired", "the EIP-2612 permit's deadline " + std::string(deadline) +
                                                  " is before now + " + std::to_string(kDeadlineMarginSeconds) + " s");
    }
  }
  if (!fields_read) {
    out.message = "the EIP-2612 permit does not read, so the token would not take it";
    return out;
  }
  const auto value = Uint256::ParseDecimal(amount_text);
  if (!value || *value != amount) {
    // x402BasePermit2Proxy._executePermit: the permit's value must be the Permit2 amount.
    out.value_mismatch = true;
    out.message = "the EIP-2612 permit's value " + std::string(amount_text) + " is not the payment's amount " +
                  amount.ToDecimal() + " (x402's proxy requires them equal: Permit2612AmountMismatch)";
    return out;
  }
  // The token would run permit() inside settleWithPermit: stand in for it.
  const uint64_t chain_id = ChainIdOf(option.caip2);
  const auto contract = ParseEvmAddress(option.asset);
  const auto owner = ParseEvmAddress(from);
  out.permit_key = UsedAuthorizations::DigestOf(option.caip2, option.asset, from, "eip2612:" + std::string(nonce));
  out.permit_expires = Uint256::ParseDecimal(deadline).value_or(Uint256()).SaturatedInt64();
  if (!EqualsIgnoreCaseAscii(from, payer) || !EqualsIgnoreCaseAscii(asset, option.asset) ||
      !EqualsIgnoreCaseAscii(spender, kPermit2Address) || out.permit_expires < now) {
    out.message = "the EIP-2612 permit is not the payer's, for this token and Permit2, still valid: the token would "
                  "not take it";
    return out;
  }
  if (!TokenHasEip2612(option)) {
    out.message = option.asset_symbol + " has no EIP-2612 permit(): the token ignores it (the proxy swallows the failure)";
    return out;
  }
  if (!check_signature) {
    out.grants_allowance = true;
    return out;
  }
  const std::string_view name = TextField(option.extra, "name");
  const std::string_view token_version = TextField(option.extra, "version");
  if (name.empty() || token_version.empty() || chain_id == 0 || !contract || !owner) {
    out.message = "the offer names no EIP-2612 domain for the token (extra.name, extra.version), so its permit "
                  "cannot be checked";
    return out;
  }
  json::object message{{"owner", from}, {"spender", spender}, {"value", amount_text}, {"nonce", nonce}, {"deadline", deadline}};
  std::string problem;
  const auto hash = Eip2612PermitTypes().HashStruct("Permit", message, &problem);
  const SignatureCheck check =
      hash ? CheckSignature(TypedDataDigest(DomainSeparator(TokenDomain(name, token_version, chain_id, *contract)), *hash),
                            signature, *owner)
           : SignatureCheck{};
  if (check.kind != SignatureKind::kEcdsa || !check.matches) {
    out.message = "the EIP-2612 permit is not signed by " + std::string(from) + " under the token's domain '" +
                  std::string(name) + "' version '" + std::string(token_version) + "'" +
                  (check.recovered.empty() ? std::string() : " (it recovers " + check.recovered + ")") +
                  ", so the token would not set the allowance";
    return out;
  }
  out.grants_allowance = true;
  return out;
}

}  // namespace x402::evm
