#include "x402/evm/exact/exact_evm_scheme.h"

#include <boost/json.hpp>
#include <array>
#include <span>

#include "base/text.h"
#include "x402/evm/evm_address.h"
#include "x402/evm/exact/eip3009_rules.h"
#include "x402/evm/exact/eip3009_signature.h"
#include "x402/evm/evm_networks.h"
#include "x402/evm/permit2_payload.h"
#include "x402/evm/permit2_rules.h"
#include "x402/evm/evm_scheme.h"
#include "x402/evm/hex_bytes.h"
#include "x402/json_fields.h"
#include "x402/payment.h"
#include "x402/sha256.h"
#include "x402/uint256.h"

namespace x402::evm {
namespace {

namespace json = boost::json;

// x402's zod schemas (and viem) take lowercase "0x" only.
bool IsHexString(std::string_view s) { return s.size() >= 3 && s[1] == 'x' && IsPrefixedHex(s); }

// A time as the references read it: BigInt(text), any uint256. Saturated at INT64_MAX for the
// comparisons with now (a 19-digit validBefore is far in the future, not malformed).
bool ParseUnixSeconds(std::string_view text, int64_t* out) {
  const auto value = Uint256::ParseDecimal(text);
  if (!value) return false;
  *out = value->SaturatedInt64();
  return true;
}

// Who the payment claims pays: authorization.from when it is an address, else "". Read only
// where a refusal names it (the accepted path has the verified value).
std::string ClaimedFrom(const json::object& payload) {
  const json::object* auth = ObjectField(payload, "authorization");
  const std::string_view from = auth != nullptr ? TextField(*auth, "from") : std::string_view();
  return IsWireAddress(from) ? std::string(from) : std::string();
}

// Reads the EIP-3009 authorization and its signature (common to both versions) and checks the
// shape of every field; the first field that is missing or malformed is the reason.
PaymentVerdict ReadAuthorization(const json::object& payload, ExactAuthorization* out) {
  const json::object* auth = ObjectField(payload, "authorization");
  if (auth == nullptr) return Refusal("invalid_payload", "payload.authorization is missing");

  const std::string_view from = TextField(*auth, "from");
  if (!IsWireAddress(from)) {
    return Refusal("invalid_payload", "authorization.from must be an address (0x + 40 hex digits)");
  }
  PaymentVerdict verdict;
  verdict.payer = std::string(from);
  auto reject = [&verdict](std::string reason, std::string message) {
    verdict.reason = std::move(reason);
    verdict.message = std::move(message);
    return verdict;
  };
  const std::string_view signature = TextField(payload, "signature");
  // An EOA signature is 65 bytes; smart-wallet signatures (EIP-1271/6492) are longer.
  if (!IsHexString(signature) || signature.size() < 2 + 130 || signature.size() % 2 != 0) {
    return reject("invalid_exact_evm_payload_signature",
                  "payload.signature must be a hex signature of at least 65 bytes");
  }
  const std::string_view to = TextField(*auth, "to");
  if (!IsWireAddress(to)) {
    return reject("invalid_payload", "authorization.to must be an address (0x + 40 hex digits)");
  }
  const std::string_view value = TextField(*auth, "value");
  const auto amount = ParseAtomic(value);
  if (!amount) {
    return reject("invalid_payload", "authorization.value must be a decimal integer string");
  }
  int64_t after = 0, before = 0;
  if (!ParseUnixSeconds(TextField(*auth, "validAfter"), &after) ||
      !ParseUnixSeconds(TextField(*auth, "validBefore"), &before)) {
    return reject("invalid_payload",
                  "authorization.validAfter and validBefore must be Unix times as decimal strings");
  }
  const std::string_view nonce = TextField(*auth, "nonce");
  if (nonce.size() != 66 || !IsHexString(nonce)) {
    return reject("invalid_payload", "authorization.nonce must be 32 bytes of hex (0x + 64 digits)");
  }
  out->from = std::string(from);
  out->to = std::string(to);
  out->value_text = std::string(value);
  out->value = *amount;
  out->valid_after = after;
  out->valid_before = before;
  out->nonce = std::string(nonce);
  out->signature = std::string(signature);
  verdict.valid = true;
  return verdict;
}

// The domains a client that signed with the wrong one most likely used, for |offered| (a
// handful, so a refused signature costs a few recoveries, not one per token of the table): the
// asset's name with the other common version, the other tokens of the same chain, and USDC's
// two names (Base Sepolia's token is "USDC", Base's "USD Coin": the classic mix-up).
std::vector<DomainName> LikelyDomainMistakes(const PaymentRequirements& offered) {
  const std::string name(TextField(offered.extra, "name"));
  const std::string version(TextField(offered.extra, "version"));
  std::vector<DomainName> out;
  auto add = [&](const std::string& n, const std::string& v) {
    if (n.empty() || v.empty() || (n == name && v == version)) return;
    for (const DomainName& d : out) {
      if (d.name == n && d.version == v) return;
    }
    out.push_back({n, v});
  };
  add(name, version == "2" ? "1" : "2");
  for (const NetworkInfo& network : BuiltInNetworks()) {
    if (network.caip2 != offered.caip2) continue;
    for (const AssetInfo& asset : network.assets) add(asset.domain_name, asset.domain_version);
  }
  add(name == "USDC" ? "USD Coin" : "USDC", version);
  return out;
}

// The signature step (eip3009_signature.h). Both references check the signature before the
// recipient, the validity window and the amount, so a payment altered after signing is refused
// for its signature whichever field was altered. A payload whose fields do not read yet is left
// to the field checks. Returns the rejection, or nothing and notes the outcome in |verdict|.
std::optional<PaymentVerdict> CheckSignatureStep(const json::object& payload, int version,
                                                 const PaymentRequirements& offered,
                                                 const PaymentCheck& payment_check,
                                                 PaymentVerdict* verdict) {
  const SignatureCheck check = CheckPaymentSignature(payload, offered);
  if (check.kind == SignatureKind::kUnreadable) return std::nullopt;
  // x402 1.2.0 (v1) and @x402/evm 2.27 (v2, and its v1 facilitator) name a bad signature
  // differently.
  const std::string reason(SignatureReason(version, payment_check.v1_rules));
  if (check.kind == SignatureKind::kNoDomain) {
    // A signature that cannot be checked is never taken as a good one.
    PaymentVerdict rejected = *verdict;
    rejected.reason = reason;
    rejected.message = "the offer has no complete EIP-712 domain to check the signature against";
    return rejected;
  }
  const std::string kind(ToString(check.kind));
  verdict->details.emplace_back("signature", kind);
  if (!check.recovered.empty()) verdict->details.emplace_back("recovered", check.recovered);
  if (check.kind == SignatureKind::kEcdsa) {
    if (check.matches) return std::nullopt;
    PaymentVerdict rejected = *verdict;
    rejected.reason = reason;
    if (check.recovered.empty()) {
      rejected.message = "the signature recovers no signer (r, s or v out of range) for authorization.from " +
                         ClaimedFrom(payload);
    } else if (const auto domain = FindSigningDomain(payload, offered, LikelyDomainMistakes(offered))) {
      // The likeliest mistake of hand-written client code: another token's EIP-712 domain.
      rejected.message = "the payment was signed for domain '" + domain->name + "' version '" +
                         domain->version + "'; the asset's domain is '" +
                         std::string(TextField(offered.extra, "name")) + "' version '" +
                         std::string(TextField(offered.extra, "version")) +
                         "' (the offer's extra.name and extra.version): sign with those";
    } else {
      rejected.message = "the EIP-712 signature recovers " + check.recovered + ", not authorization.from " +
                         ClaimedFrom(payload) + " (signed by another key, or a signed field was changed)";
    }
    return rejected;
  }
  if (payment_check.smart_wallets == SmartWalletPolicy::kAccept) {
    verdict->unchecked = kind + " smart-wallet signature, not verified offline";
    return std::nullopt;
  }
  PaymentVerdict rejected = *verdict;
  rejected.reason = reason;
  rejected.message =
      "smart-wallet signature (" + kind + ") cannot be verified offline, and " +
      (payment_check.ledger_enabled && payment_check.smart_wallets_configured == SmartWalletPolicy::kAuto
           ? std::string("the simulated ledger is on: anyone could spend this payer's balance with "
                         "an unchecked signature (set mock_server.smart_wallet_signatures: accept "
                         "to take them anyway)")
           : std::string("mock_server.smart_wallet_signatures is refuse"));
  return rejected;
}

// The replay key: the token contract keys authorizationState by (from, nonce); the network and
// the asset make the contract. Addresses and hex are case-insensitive on chain.
UsedAuthorizations::Digest ReplayKeyOf(const PaymentRequirements& option, const ExactAuthorization& auth) {
  return UsedAuthorizations::DigestOf(option.caip2, option.asset, auth.from, auth.nonce);
}

// Whether the token of |option| implements EIP-3009 (transferWithAuthorization): the network
// table says so of its tokens ("permit2" ones do not); a token the table lacks is taken to.
bool TokenHasEip3009(const PaymentRequirements& option) {
  if (dynamic_cast<const Eip3009Domain*>(option.prepared.get()) != nullptr) return true;  // offered so
  if (const auto* permit2 = dynamic_cast<const Permit2Domain*>(option.prepared.get())) return permit2->token_has_eip3009;
  for (const NetworkInfo& network : BuiltInNetworks()) {
    if (network.caip2 != option.caip2) continue;
    if (const AssetInfo* asset = network.FindAsset(option.asset)) return asset->transfer_method != "permit2";
  }
  return true;
}

// The EIP-3009 strategy (x402 1.2.0 verify(), @x402/evm verifyEIP3009()).
PaymentVerdict VerifyEip3009(const json::object& payload, int version, const PaymentRequirements& option,
                             const PaymentCheck& check) {
  const bool strict = check.verification == Verification::kStrict;
  if (strict && !ParseEvmAddress(option.asset)) {
    // The token is the EIP-712 verifyingContract: x402 1.2.0's verifyTypedData and @x402/evm's
    // getAddress(requirements.asset) both throw on anything else. Only a facilitator request
    // can carry such requirements (the paywall's own asset is validated with the config).
    PaymentVerdict rejected = Refusal(
        "invalid_payment_requirements",
        "paymentRequirements.asset '" + option.asset +
            "' is not an EVM address (0x + 40 hex digits): no token to check the signature against");
    rejected.payer = ClaimedFrom(payload);
    return rejected;
  }
  PaymentVerdict signature;
  if (strict) {
    if (auto rejected = CheckSignatureStep(payload, version, option, check, &signature)) {
      rejected->payer = ClaimedFrom(payload);
      return *rejected;
    }
  }
  ExactAuthorization auth;
  PaymentVerdict verdict = ReadAuthorization(payload, &auth);
  verdict.details = std::move(signature.details);
  verdict.unchecked = std::move(signature.unchecked);
  if (!verdict.valid) return verdict;
  // Shown with a refusal too: which authorization it was.
  verdict.details.insert(verdict.details.begin(), {"nonce", auth.nonce});
  if (auto breach = FirstBrokenRule(RuleSetFor(version, check.verification, check.v1_rules), auth, option, check.now)) {
    verdict.valid = false;
    verdict.reason = std::move(breach->reason);
    verdict.message = std::move(breach->message);
    return verdict;
  }
  if (strict && !TokenHasEip3009(option)) {
    // The reference's simulation of transferWithAuthorization fails and its diagnosis
    // (diagnoseEip3009SimulationFailure()) finds no authorizationState on the token.
    verdict.valid = false;
    verdict.reason = "invalid_exact_evm_eip3009_not_supported";
    verdict.message = option.asset_symbol + " " + option.asset + " on " + option.caip2 +
                      " has no EIP-3009 transferWithAuthorization: pay it through Permit2 "
                      "(the offer's extra.assetTransferMethod is \"permit2\")";
    return verdict;
  }
  verdict.amount = auth.value_text;
  verdict.valid_before = auth.valid_before;
  verdict.replay_key = ReplayKeyOf(option, auth);
  verdict.chain = &Eip3009ChainReasons(version, check.v1_rules);
  return verdict;
}

class ExactEvmScheme final : public EvmScheme {
 public:
  std::string_view name() const override { return "exact"; }
  bool SpeaksVersion(int version) const override { return version == 1 || version == 2; }

  Status PrepareOption(const NetworkInfo& network, const AssetInfo& asset, std::string_view transfer_method,
                       PaymentRequirements* option) const override {
    const std::string_view method = transfer_method.empty() ? std::string_view(asset.transfer_method) : transfer_method;
    if (method == "permit2") return PreparePermit2(network, asset, option);
    if (method != "eip3009") {
      return Status::Config("asset_transfer_method '" + std::string(method) + "' is not one the exact scheme has")
          .WithHint("use eip3009 or permit2");
    }
    if (asset.transfer_method == "permit2") {
      // The token has no EIP-3009: the real clients' signatures would pay nothing.
      return Status::Config(asset.symbol + " on " + network.caip2 +
                            " has no EIP-3009 (transferWithAuthorization): the reference pays it through Permit2")
          .WithHint("leave asset_transfer_method out (Permit2 is this asset's default), or set it to permit2");
    }
    if (asset.domain_name.empty() || asset.domain_version.empty()) {
      // The payer signs under the token's EIP-712 domain: without it no signature can check.
      return Status::Config(asset.symbol + " " + asset.address + " on " + network.caip2 +
                            " needs its EIP-712 domain name and version")
          .WithHint("declare the token's name and version (what its contract's name() and version() "
                    "return): asset: {address, decimals, name, version}");
    }
    option->extra = json::object{{"name", asset.domain_name}, {"version", asset.domain_version}};
    if (const auto separator = OfferDomainSeparator(*option)) {
      option->prepared = std::make_shared<const Eip3009Domain>(*separator);
    }
    return Status::Ok();
  }

  PaymentVerdict Verify(const json::object& payload, const json::object* extensions, int version,
                        const PaymentRequirements& option, const PaymentCheck& check) const override {
    // The strategy is the payload's shape, as in the reference (isPermit2Payload()). Permit2 is
    // v2 only: @x402/evm's v1 facilitator reads every payload as EIP-3009.
    if (version == 2 && IsPermit2Payload(payload)) {
      return CheckPermit2Payment(payload, extensions, option, check, Permit2Witness::kExact);
    }
    return VerifyEip3009(payload, version, option, check);
  }

  // @x402/evm 2.27 verifyEIP3009() compares accepted.scheme and accepted.network with the
  // requirements, and needs the EIP-712 domain (extra.name, extra.version) in the
  // requirements; verifyPermit2() compares the scheme (unsupported_payload_type) and the
  // network only. Nothing else of `accepted`.
  std::optional<PaymentVerdict> CheckAcceptedAsFacilitator(const json::object& accepted, const json::object& payload,
                                                           const PaymentRequirements& required) const override {
    const bool permit2 = IsPermit2Payload(payload);
    if (TextField(accepted, "scheme") != "exact" || required.scheme != "exact") {
      return Refusal(permit2 ? "unsupported_payload_type" : "invalid_exact_evm_scheme",
                     "accepted.scheme and the requirements' scheme must be 'exact'");
    }
    if (!permit2 && (TextField(required.extra, "name").empty() || TextField(required.extra, "version").empty())) {
      return Refusal("invalid_exact_evm_missing_eip712_domain",
                     "the requirements need extra.name and extra.version (the token's EIP-712 domain)");
    }
    return AcceptedNetworkMismatch(accepted, required, "invalid_exact_evm_network_mismatch");
  }

  std::string ClaimedPayer(const json::object& payload) const override {
    return IsPermit2Payload(payload) ? Permit2Payer(payload) : ClaimedFrom(payload);
  }


  json::object SupportedExtra(const NetworkInfo&) const override { return {}; }

 private:
  // Permit2 (@x402/evm src/exact/server/scheme.ts defaultMoneyConversion()): the offer says
  // extra.assetTransferMethod "permit2", and names the token's EIP-712 domain only where the
  // client can use it for an EIP-2612 permit (a token the reference moves by EIP-3009, or a
  // Permit2 token that supports EIP-2612). v2 only.
  static Status PreparePermit2(const NetworkInfo& network, const AssetInfo& asset, PaymentRequirements* option) {
    option->extra = json::object{};
    const bool domain = asset.transfer_method != "permit2" || asset.supports_eip2612;
    if (domain && !asset.domain_name.empty() && !asset.domain_version.empty()) {
      option->extra["name"] = asset.domain_name;
      option->extra["version"] = asset.domain_version;
    }
    option->extra["assetTransferMethod"] = "permit2";
    option->in_v1_offers = false;
    option->prepared = std::make_shared<const Permit2Domain>(Permit2DomainSeparator(network.chain_id),
                                                             asset.transfer_method != "permit2");
    return Status::Ok();
  }
};
}  // namespace

std::unique_ptr<Scheme> CreateExactEvmScheme() { return std::make_unique<ExactEvmScheme>(); }

std::string SimulatedTransactionHash(const UsedAuthorizations::Digest& replay_key) {
  std::array<uint8_t, 16> key;
  for (int i = 0; i < 8; ++i) {
    key[static_cast<std::size_t>(i)] = static_cast<uint8_t>(replay_key.high >> (56 - 8 * i));
    key[static_cast<std::size_t>(8 + i)] = static_cast<uint8_t>(replay_key.low >> (56 - 8 * i));
  }
  return PrefixedHex(Sha256({BytesOf("x402-dev settlement:"), std::span<const uint8_t>(key)}));
}

}  // namespace x402::evm
