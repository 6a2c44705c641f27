#include "x402/payment.h"

#include <algorithm>

#include <boost/json.hpp>

#include "base/base64.h"
#include "base/text.h"
#include "x402/json_fields.h"
#include "x402/scheme.h"
#include "x402/uint256.h"

namespace x402 {
namespace {

namespace json = boost::json;

// The networks an offer names, for a message: "'base-sepolia', 'polygon'".
std::string Listed(std::span<const PaymentRequirements> options, int version) {
  std::string out;
  for (const PaymentRequirements& o : options) {
    const std::string& network = version == 1 ? o.network : o.caip2;
    if (version == 1 && !o.in_v1_offers) continue;
    if (!out.empty()) out += ", ";
    out += "'" + o.scheme + "' on '" + network + "'";
  }
  return out.empty() ? "nothing" : out;
}

// --- matching a payment to the option it pays ---------------------------------------------------

// @x402/evm 2.27's v1 facilitator (ExactEvmSchemeV1._verify(), mock_server.v1_rules: x402-2)
// on the one EVM option it was given: the scheme, the payment's network (a v1 name it knows),
// the requirements' EIP-712 domain, then the two networks equal — its reason names.
const PaymentRequirements* MatchV1AsEvmV1Facilitator(std::string_view scheme, std::string_view network,
                                                     const PaymentRequirements& required, PaymentVerdict* refusal) {
  if (scheme != "exact" || required.scheme != "exact") {
    *refusal = Refusal("invalid_exact_evm_scheme", "scheme and the requirements' scheme must be 'exact'");
    return nullptr;
  }
  const auto& built_in = BuiltInNetworks();
  const bool known = std::any_of(built_in.begin(), built_in.end(), [&](const NetworkInfo& n) {
    return n.family == "eip155" && !n.v1_name.empty() && n.v1_name == network;
  });
  if (!known) {
    *refusal = Refusal("invalid_exact_evm_network_mismatch", "network '" + std::string(network) + "' is not a v1 EVM network");
    return nullptr;
  }
  if (required.v1_domain_defaulted) {
    *refusal = Refusal("invalid_exact_evm_missing_eip712_domain",
                       "the requirements need extra.name and extra.version (the token's EIP-712 domain): @x402/evm's "
                       "v1 facilitator (mock_server.v1_rules: x402-2) has no defaults");
    return nullptr;
  }
  if (network != required.network) {
    *refusal = Refusal("invalid_exact_evm_network_mismatch",
                       "network '" + std::string(network) + "' is not the requirements' '" + required.network + "'");
    return nullptr;
  }
  return &required;
}

// v1: the payment names its `scheme` and `network`; x402 1.2.0 refuses another scheme
// (unsupported_scheme) before another network (invalid_network).
const PaymentRequirements* MatchV1(const json::object& payment, std::span<const PaymentRequirements> options,
                                   const PaymentCheck& check, PaymentVerdict* refusal) {
  const bool as_facilitator = check.as_facilitator;
  const std::string_view scheme = TextField(payment, "scheme");
  const std::string_view network = TextField(payment, "network");
  if (as_facilitator && check.v1_rules == V1Rules::kX402_2 && options.size() == 1 &&
      options.front().caip2.rfind("eip155:", 0) == 0) {
    return MatchV1AsEvmV1Facilitator(scheme, network, options.front(), refusal);
  }
  bool scheme_offered = false;
  for (const PaymentRequirements& option : options) {
    if (!as_facilitator && !option.in_v1_offers) continue;
    if (option.scheme != scheme) continue;
    scheme_offered = true;
    if (option.network == network && !network.empty()) return &option;
  }
  if (!scheme_offered) {
    *refusal = Refusal("unsupported_scheme", "scheme must be one of what was offered (" + Listed(options, 1) +
                                                ")" + (scheme.empty() ? "" : ", got '" + std::string(scheme) + "'"));
  } else {
    *refusal = Refusal("invalid_network", "network must be one offered (" + Listed(options, 1) + ")" +
                                             (network.empty() ? "" : ", got '" + std::string(network) + "'"));
  }
  return nullptr;
}

// JSON equality as @x402/core's deepEqual() sees it: numbers by value, whatever their kind.
bool SameJson(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
  return a == b;
}

// Strict resource server: @x402/core 2.27 x402ResourceServer.findMatchingRequirements() →
// paymentRequirementsMatchAccepted() (dist/esm/chunk-FV2JN4FK.mjs): every field but `extra`
// deep-equal to the offer (exact text, so no case-insensitive addresses, and no field added
// or missing), and the offered `extra` a subset of the accepted one. The paid path's test: no
// allocation (DifferenceFromOffer words a refusal).
bool IsDynamic(std::string_view key, std::span<const std::string_view> dynamic) {
  for (std::string_view d : dynamic) {
    if (d == key) return true;
  }
  return false;
}

bool EqualsOffer(const json::object& accepted, const json::object& offer, std::span<const std::string_view> dynamic) {
  for (const auto& [key, want] : offer) {
    if (key == "extra") continue;
    const json::value* got = accepted.if_contains(key);
    if (got == nullptr || !SameJson(*got, want)) return false;
  }
  for (const auto& [key, got] : accepted) {
    if (key != "extra" && !offer.contains(key)) return false;
  }
  const json::object& offered_extra = offer.at("extra").get_object();
  const json::object* accepted_extra = ObjectField(accepted, "extra");
  for (const auto& [key, want] : offered_extra) {
    if (IsDynamic(key, dynamic)) continue;
    const json::value* got = accepted_extra ? accepted_extra->if_contains(key) : nullptr;
    if (got == nullptr || !SameJson(*got, want)) return false;
  }
  return true;
}

// What makes |accepted| differ from |offer| (EqualsOffer false), for the refusal's message.
std::string DifferenceFromOffer(const json::object& accepted, const json::object& offer,
                                std::span<const std::string_view> dynamic) {
  for (const auto& [key, want] : offer) {
    if (key == "extra") continue;
    const json::value* got = accepted.if_contains(key);
    if (got == nullptr || !SameJson(*got, want)) {
      return "accepted." + std::string(key) + " " + (got ? json::serialize(*got) : std::string("(missing)")) +
             " is not the offered " + json::serialize(want);
    }
  }
  for (const auto& [key, got] : accepted) {
    if (key != "extra" && !offer.contains(key)) return "accepted." + std::string(key) + " was not in the offer";
  }
  const json::object& offered_extra = offer.at("extra").get_object();
  const json::object* accepted_extra = ObjectField(accepted, "extra");
  for (const auto& [key, want] : offered_extra) {
    if (IsDynamic(key, dynamic)) continue;
    const json::value* got = accepted_extra ? accepted_extra->if_contains(key) : nullptr;
    if (got == nullptr || !SameJson(*got, want)) {
      return "accepted.extra." + std::string(key) + " " + (got ? json::serialize(*got) : std::string("(missing)")) +
             " is not the offered " + json::serialize(want);
    }
  }
  return {};
}

std::span<const std::string_view> DynamicFieldsOf(const PaymentRequirements& option) {
  return option.scheme_impl != nullptr ? option.scheme_impl->DynamicExtraFields() : std::span<const std::string_view>();
}

const json::object& V2Object(const PaymentRequirements& option, json::object* scratch) {
  if (option.v2_object) return *option.v2_object;
  *scratch = RequirementsObjectV2(option);
  return *scratch;
}

// `verification: shape`: the v2 client copies the offer it chose into `accepted`; every field
// must be the one offered (docs/protocol.md §5), addresses as the family compares them (EVM: in
// any case), and `extra` must contain the offered extra. "" when it is, else what differs.
std::string ShapeDifference(const json::object& accepted, const PaymentRequirements& offered) {
  auto mismatch = [](std::string_view field, std::string_view got, std::string_view want) {
    return "accepted." + std::string(field) + " '" + std::string(got) + "' does not match the offered '" +
           std::string(want) + "'";
  };
  const std::string_view amount = TextField(accepted, "amount");
  const auto amount_value = Uint256::ParseDecimal(amount);
  if (!amount_value || *amount_value != offered.amount.units || (amount.size() > 1 && amount[0] == '0')) {
    return mismatch("amount", amount, AtomicString(offered.amount));
  }
  auto same_account = [&](std::string_view got, const std::string& want) {
    return offered.scheme_impl != nullptr ? offered.scheme_impl->CanonicalAccount(got) == offered.scheme_impl->CanonicalAccount(want)
                                          : EqualsIgnoreCaseAscii(got, want);
  };
  const std::string_view asset = TextField(accepted, "asset");
  if (!same_account(asset, offered.asset)) return mismatch("asset", asset, offered.asset);
  const std::string_view pay_to = TextField(accepted, "payTo");
  if (!same_account(pay_to, offered.pay_to)) return mismatch("payTo", pay_to, offered.pay_to);
  const json::value* timeout = accepted.if_contains("maxTimeoutSeconds");
  if (timeout == nullptr || !timeout->is_number() ||
      timeout->to_number<double>() != static_cast<double>(offered.max_timeout_seconds)) {
    return mismatch("maxTimeoutSeconds", timeout ? json::serialize(*timeout) : "",
                    std::to_string(offered.max_timeout_seconds));
  }
  const json::object* extra = ObjectField(accepted, "extra");
  for (const auto& [key, want] : offered.extra) {
    const json::value* got = extra ? extra->if_contains(key) : nullptr;
    if (got == nullptr || *got != want) {
      return mismatch("extra", extra ? json::serialize(*extra) : "", json::serialize(offered.extra));
    }
  }
  return {};
}

// v2: the payment's `accepted` object names the option.
const PaymentRequirements* MatchV2(const json::object& accepted, const json::object* payload,
                                   std::span<const PaymentRequirements> options, const PaymentCheck& check,
                                   PaymentVerdict* refusal) {
  const std::string_view scheme = TextField(accepted, "scheme");
  const std::string_view network = TextField(accepted, "network");
  if (check.as_facilitator) {
    // The facilitator was given one option and checks `accepted` as its scheme's facilitator
    // does (@x402/evm: scheme, EIP-712 domain, network).
    const PaymentRequirements& required = options.front();
    static const json::object kNoPayload;
    if (auto refused = required.scheme_impl->CheckAcceptedAsFacilitator(accepted, payload ? *payload : kNoPayload,
                                                                       required)) {
      *refusal = std::move(*refused);
      return nullptr;
    }
    return &required;
  }
  if (check.verification == Verification::kShape) {
    // Lenient: an option with this scheme and network whose fields match in any letter case
    // (several may share a network: two tokens on Celo); what differs is told against the first.
    const PaymentRequirements* same_kind = nullptr;
    bool scheme_offered = false;
    for (const PaymentRequirements& option : options) {
      if (option.scheme != scheme) continue;
      scheme_offered = true;
      if (option.caip2 != network) continue;
      if (ShapeDifference(accepted, option).empty()) return &option;
      if (same_kind == nullptr) same_kind = &option;
    }
    if (same_kind == nullptr) {
      *refusal = scheme_offered
                     ? Refusal("invalid_network", "accepted.network must be one offered (" + Listed(options, 2) +
                                                     ")" + (network.empty() ? "" : ", got '" + std::string(network) + "'"))
                     : Refusal("unsupported_scheme", "accepted.scheme must be one offered (" + Listed(options, 2) + ")");
      return nullptr;
    }
    *refusal = Refusal("invalid_payment_requirements", ShapeDifference(accepted, *same_kind));
    return nullptr;
  }
  // Strict: deep-equal to one offered option. What differs is told against the option of the
  // same scheme and network when there is one (the likely intended one), else the first.
  json::object scratch;
  const PaymentRequirements* closest = nullptr;
  const PaymentRequirements* subset_match = nullptr;
  const json::object* accepted_extra = ObjectField(accepted, "extra");
  for (const PaymentRequirements& option : options) {
    const json::object& offer = V2Object(option, &scratch);
    if (EqualsOffer(accepted, offer, DynamicFieldsOf(option))) {
      // The reference takes the first option whose extra is a subset of the accepted one. When
      // one token is offered both by EIP-3009 and through Permit2, the EIP-3009 option's extra
      // is a subset of the Permit2 one's: the option whose extra is exactly the accepted one is
      // the one the client chose (the same money either way).
      const std::size_t offered_extra = offer.at("extra").get_object().size();
      if (accepted_extra == nullptr || accepted_extra->size() == offered_extra) return &option;
      if (subset_match == nullptr) subset_match = &option;
    }
    if (closest == nullptr && option.scheme == scheme && option.caip2 == network) closest = &option;
  }
  if (subset_match != nullptr) return subset_match;
  if (closest == nullptr) closest = &options.front();
  *refusal = Refusal("invalid_payment_requirements",
                    "No matching payment requirements: " +
                        DifferenceFromOffer(accepted, V2Object(*closest, &scratch), DynamicFieldsOf(*closest)) +
                        (options.size() > 1 ? " (offered: " + Listed(options, 2) + ")" : ""));
  return nullptr;
}

// Whoever the payment claims pays, read as the offer's scheme reads it, so that a refusal
// before the option is known still names the payer.
std::string ClaimedPayer(const json::object& payment, std::span<const PaymentRequirements> options) {
  const json::object* inner = ObjectField(payment, "payload");
  if (inner == nullptr || options.empty() || options.front().scheme_impl == nullptr) return {};
  return options.front().scheme_impl->ClaimedPayer(*inner);
}

PaymentVerdict CheckPayment(const json::value& payment_json, int expected_version,
                            std::span<const PaymentRequirements> options, const PaymentCheck& check) {
  const json::object* payment = payment_json.if_object();
  if (payment == nullptr) return Refusal("invalid_payload", "the payment is not a JSON object");
  if (options.empty()) return Refusal("invalid_payment_requirements", "nothing was offered to pay");

  const json::value* version = payment->if_contains("x402Version");
  if (version == nullptr || !version->is_number() ||
      version->to_number<double>() != static_cast<double>(expected_version)) {
    return Refusal("invalid_x402_version", "x402Version must be " + std::to_string(expected_version) + " for this header");
  }
  PaymentVerdict refusal;
  const PaymentRequirements* option = nullptr;
  if (expected_version == 1) {
    option = MatchV1(*payment, options, check, &refusal);
  } else {
    const json::object* accepted = ObjectField(*payment, "accepted");
    if (accepted == nullptr) return Refusal("invalid_payload", "accepted (the chosen payment requirements) is missing");
    option = MatchV2(*accepted, ObjectField(*payment, "payload"), options, check, &refusal);
  }
  if (option == nullptr) return refusal;

  const json::object* inner = ObjectField(*payment, "payload");
  if (inner == nullptr) return Refusal("invalid_payload", "payload is missing");
  if (option->scheme_impl == nullptr) {
    return Refusal("unsupported_scheme", "the mock does not speak scheme '" + option->scheme + "'");
  }
  PaymentVerdict verdict =
      option->scheme_impl->Verify(*inner, ObjectField(*payment, "extensions"), expected_version, *option, check);
  verdict.option = option;
  return verdict;
}

}  // namespace

PaymentVerdict VerifyPaymentPayload(const json::value& payment, int expected_version,
                                    std::span<const PaymentRequirements> options, const PaymentCheck& check) {
  PaymentVerdict verdict = CheckPayment(payment, expected_version, options, check);
  verdict.version = expected_version;
  if (verdict.payer.empty() && payment.is_object()) verdict.payer = ClaimedPayer(payment.get_object(), options);
  return verdict;
}

PaymentVerdict VerifyPaymentHeader(std::string_view header, int header_version,
                                   std::span<const PaymentRequirements> options, const PaymentCheck& check) {
  const std::string_view name = header_version == 1 ? "X-PAYMENT" : "PAYMENT-SIGNATURE";
  const auto decoded = Base64Decode(header);
  if (!decoded) {
    PaymentVerdict v = Refusal("invalid_payload",
                              std::string(name) + " is not standard base64 (A-Z a-z 0-9 + / with = padding)");
    v.version = header_version;
    return v;
  }
  // The payment's JSON lives only for this call: parse it into a buffer on the stack (a
  // monotonic resource) instead of one heap allocation per object, array and string.
  unsigned char arena[8 * 1024];
  json::monotonic_resource resource(arena, sizeof arena);
  boost::system::error_code ec;
  json::value parsed = json::parse(*decoded, ec, json::storage_ptr(&resource));
  if (ec) {
    PaymentVerdict v = Refusal("invalid_payload", std::string(name) + " does not hold JSON: " + ec.message());
    v.version = header_version;
    return v;
  }
  return VerifyPaymentPayload(parsed, header_version, options, check);
}

std::optional<PaymentVerdict> AcceptedNetworkMismatch(const json::object& accepted, const PaymentRequirements& required,
                                                      std::string_view reason) {
  const json::string* network = StringField(accepted, "network");
  if (network != nullptr && *network == required.caip2) return std::nullopt;
  return Refusal(std::string(reason), "accepted.network " +
                                          (network ? "'" + Str(*network) + "'" : std::string("(missing)")) +
                                          " is not the requirements' '" + required.caip2 + "'");
}

bool ParseRequirementsJson(const json::value& value, int version, const NetworkTable& networks,
                           const SchemeRegistry& schemes, PaymentRequirements* out, std::string* problem) {
  const json::object* obj = value.if_object();
  if (obj == nullptr) {
    *problem = "paymentRequirements must be an object";
    return false;
  }
  PaymentRequirements req;
  auto text = [&](std::string_view key, std::string* field) {
    const json::string* s = StringField(*obj, key);
    if (s == nullptr) {
      *problem = "paymentRequirements." + std::string(key) + " must be a string";
      return false;
    }
    *field = Str(*s);
    return true;
  };
  std::string network, amount;
  if (!text("scheme", &req.scheme) || !text("network", &network) ||
      !text(version == 1 ? "maxAmountRequired" : "amount", &amount) || !text("asset", &req.asset) ||
      !text("payTo", &req.pay_to)) {
    return false;
  }
  const NetworkInfo* info = networks.Find(network);
  if (info == nullptr) {
    *problem = "network '" + network + "' is not supported by the mock facilitator";
    return false;
  }
  // Each version names networks its own way, and the references compare the text as sent
  // (@x402/evm: accepted.network === requirements.network): a v1 name in v2 requirements, or a
  // CAIP-2 id in v1 ones, is not taken for the other.
  if (network != (version == 1 ? info->v1_name : info->caip2)) {
    *problem = "network '" + network + "' is not how x402 v" + std::to_string(version) + " names " +
               (version == 1 ? "networks (a v1 name such as 'base-sepolia')" : "networks (a CAIP-2 id such as 'eip155:84532')");
    return false;
  }
  req.scheme_impl = schemes.Find(req.scheme, info->family);
  if (req.scheme_impl == nullptr) {
    *problem = "scheme '" + req.scheme + "' on " + info->caip2 + " is not supported by the mock facilitator";
    return false;
  }
  if (!req.scheme_impl->SpeaksVersion(version)) {
    // upto exists in v2 only; no v1 facilitator registers it.
    *problem = "scheme '" + req.scheme + "' has no x402 v" + std::to_string(version) + " payments (it is v2 only)";
    return false;
  }
  req.network = info->v1_name;
  req.caip2 = info->caip2;
  req.in_v1_offers = !info->v1_name.empty();
  const auto atomic = ParseAtomic(amount);
  if (!atomic) {
    *problem = "the amount must be a decimal integer string";
    return false;
  }
  req.amount = *atomic;
  const json::value* timeout = obj->if_contains("maxTimeoutSeconds");
  if (timeout != nullptr && timeout->is_number()) {
    req.max_timeout_seconds = static_cast<uint32_t>(timeout->to_number<double>());
  }
  if (const json::object* extra = ObjectField(*obj, "extra")) req.extra = *extra;
  if (const AssetInfo* asset = info->FindAsset(req.asset)) {
    req.asset_symbol = asset->symbol;
    req.asset_decimals = asset->decimals;
  } else {
    req.asset_symbol = "units";
    req.asset_decimals = 0;
    req.asset_in_table = false;
  }
  if (version == 1 && info->family == "eip155") {
    // x402 1.2.0 verify() (src/schemes/exact/evm/facilitator.ts): name = extra?.name ?? the
    // network's USDC name (src/types/shared/evm/config.ts), version = extra?.version ?? the
    // token's version() read from the chain, which is "2" for USDC. Without these defaults a v1
    // request lacking `extra` left the mock nothing to check the signature against.
    // (@x402/evm 2.27 refuses a v2 request without them: invalid_exact_evm_missing_eip712_domain.)
    const AssetInfo& usdc = info->default_asset();
    req.v1_domain_defaulted = TextField(req.extra, "name").empty() || TextField(req.extra, "version").empty();
    if (TextField(req.extra, "name").empty()) req.extra["name"] = usdc.domain_name;
    if (TextField(req.extra, "version").empty()) req.extra["version"] = usdc.domain_version;
  }
  if (const json::string* r = StringField(*obj, "resource")) req.resource = Str(*r);
  *out = std::move(req);
  return true;
}

}  // namespace x402
