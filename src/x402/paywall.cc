#include "x402/paywall.h"

#include <atomic>

#include <boost/json.hpp>

#include "base/text.h"
#include "x402/extensions/payment_identifier.h"
#include "x402/json_fields.h"
#include "x402/pricing.h"

namespace x402 {
namespace {

std::atomic<uint64_t> next_generation{1};

std::string Where(const OptionSpec& spec) {
  return spec.origin.empty() ? std::string("mock_server.network") : spec.origin;
}

Status Refuse(const OptionSpec& spec, std::string problem, std::string hint = {}) {
  Status s = Status::Config(Where(spec) + ": " + std::move(problem));
  return hint.empty() ? s : std::move(s).WithHint(std::move(hint));
}

// The options of |specs| (one resolved option each), checked against |prices| (every price
// they are offered at: the default's or the rule's).
Status ResolveList(const std::vector<OptionSpec>& specs, std::span<const AtomicAmount> prices,
                   const PaywallConfig& config, const NetworkTable& networks, const SchemeRegistry& schemes,
                   std::vector<PaymentRequirements>* out) {
  if (specs.size() > kMaxOptionsPerOffer) {
    // Each v2 option is ~300 bytes of base64 in PAYMENT-REQUIRED; Node's HTTP client refuses
    // response headers over 16 KiB, so a longer list would make the offer unpayable.
    return Refuse(specs[kMaxOptionsPerOffer], "more than " + std::to_string(kMaxOptionsPerOffer) +
                                                  " payment options in one offer",
                  "real clients refuse a PAYMENT-REQUIRED header that long (Node's limit is 16 KiB); "
                  "give routes their own shorter lists instead");
  }
  std::vector<PaymentRequirements> options;
  for (const OptionSpec& spec : specs) {
    const NetworkInfo* network = networks.Find(spec.network);
    if (network == nullptr) {
      std::string hint = "a network of the built-in table (docs/server.md, \"Networks\"), or declare it "
                         "with its asset: {network: \"eip155:31337\", asset: {address, decimals, name, version}}";
      if (auto close = ClosestMatch(spec.network, networks.Names())) hint = "did you mean '" + *close + "'? " + hint;
      return Refuse(spec, "'" + spec.network + "' is not a network the mock knows", hint);
    }
    const Scheme* scheme = schemes.Find(spec.scheme, network->family);
    if (scheme == nullptr) {
      return Refuse(spec, "scheme '" + spec.scheme + "' is not one the mock speaks on " + network->caip2,
                    "use scheme: exact");
    }
    const AssetInfo* asset = nullptr;
    if (spec.declared_asset) {
      asset = &*spec.declared_asset;
    } else if (spec.asset.empty()) {
      if (network->assets.empty()) {
        return Refuse(spec, network->caip2 + " has no default asset", "declare one: asset: {address, decimals, name, version}");
      }
      asset = &network->default_asset();
    } else {
      asset = network->FindAsset(spec.asset);
      if (asset == nullptr) {
        std::string known;
        for (const AssetInfo& a : network->assets) known += (known.empty() ? "" : ", ") + a.symbol + " " + a.address;
        return Refuse(spec, "'" + spec.asset + "' is not an asset the mock knows on " + network->caip2,
                      "the reference's assets there: " + (known.empty() ? std::string("none") : known) +
                          "; or declare it: asset: {address, decimals, name, version}");
      }
    }
    if (!scheme->IsAccount(asset->address)) {
      return Refuse(spec, "the asset '" + asset->address + "' is not an address on " + network->caip2,
                    network->family == "eip155" ? "an EVM address is 0x followed by 40 hex digits" : "");
    }
    PaymentRequirements option;
    option.scheme_impl = scheme;
    option.scheme = std::string(scheme->name());
    option.network = network->v1_name;
    option.caip2 = network->caip2;
    option.in_v1_offers = network->in_x402_v1_enum && scheme->SpeaksVersion(1);
    option.asset = asset->address;
    option.asset_symbol = asset->symbol;
    option.asset_decimals = asset->decimals;
    // An option without its own pay_to is paid to the config's address of its family.
    option.pay_to = !spec.pay_to.empty() ? spec.pay_to : network->family == "solana" ? config.pay_to_solana : config.pay_to;
    option.max_timeout_seconds = config.max_timeout_seconds;
    option.charge = spec.charge;
    if (!scheme->IsAccount(option.pay_to)) {
      return Refuse(spec, "pay_to '" + option.pay_to + "' is not an account on " + network->caip2,
                    network->family == "eip155" ? "an EVM address is 0x followed by 40 hex digits" : "");
    }
    for (const AtomicAmount price : prices) {
      const auto units = UsdToAssetUnits(price, asset->decimals);
      if (!units) {
        return Refuse(spec, FormatUsd(price) + " USD is finer than " + asset->symbol + "'s smallest unit (" +
                                std::to_string(asset->decimals) + " decimals)",
                      "use a price " + asset->symbol + " can represent");
      }
    }
    Status prepared = scheme->PrepareOption(*network, *asset, spec.asset_transfer_method, &option);
    if (!prepared.ok()) return Refuse(spec, prepared.message(), prepared.hint());
    for (const PaymentRequirements& earlier : options) {
      // Two options a client can tell apart only by how the token moves (EIP-3009 or Permit2:
      // extra.assetTransferMethod, which `accepted` echoes) are two options.
      // Addresses compared as the family compares them (EVM: any letter case; Solana: exactly).
      if (earlier.scheme == option.scheme && earlier.caip2 == option.caip2 &&
          scheme->CanonicalAccount(earlier.asset) == scheme->CanonicalAccount(option.asset) &&
          scheme->CanonicalAccount(earlier.pay_to) == scheme->CanonicalAccount(option.pay_to) &&
          TextField(earlier.extra, "assetTransferMethod") == TextField(option.extra, "assetTransferMethod")) {
        return Refuse(spec, "the same option twice (" + option.scheme + ", " + option.caip2 + ", " +
                                option.asset_symbol + ", payTo " + option.pay_to + ")",
                      "remove one; a client could not tell them apart");
      }
      // A v1 payment names only its scheme and network, and x402 1.2.0's server pays the first
      // option that has them (findMatchingPaymentRequirements): a second one could never be
      // paid in v1, so v1 offers list only the first (v2 lists both).
      if (earlier.in_v1_offers && earlier.scheme == option.scheme && earlier.caip2 == option.caip2) {
        option.in_v1_offers = false;
      }
    }
    options.push_back(std::move(option));
  }
  *out = std::move(options);
  return Status::Ok();
}

// The one-option shorthand as a spec.
std::vector<OptionSpec> ShorthandSpecs(const PaywallConfig& config) {
  OptionSpec spec;
  spec.network = config.network;
  spec.asset = config.asset;
  spec.origin = "mock_server.network";
  return {spec};
}

}  // namespace

Status ResolveOffers(const PaywallConfig& config, const NetworkTable& networks, const SchemeRegistry& schemes,
                     ResolvedOffers* out) {
  ResolvedOffers resolved;
  const std::vector<OptionSpec> defaults = config.accepts.empty() ? ShorthandSpecs(config) : config.accepts;
  // The default options are offered at the default price and at every rule's that has no
  // options of its own.
  std::vector<AtomicAmount> default_prices = {config.pricing.default_price};
  for (const PriceRule& rule : config.pricing.per_resource) {
    if (rule.accepts.empty()) default_prices.push_back(rule.price);
  }
  Status s = ResolveList(defaults, default_prices, config, networks, schemes, &resolved.default_options);
  if (!s.ok()) return s;
  for (const PriceRule& rule : config.pricing.per_resource) {
    std::vector<PaymentRequirements> options;
    if (!rule.accepts.empty()) {
      const AtomicAmount price[] = {rule.price};
      s = ResolveList(rule.accepts, price, config, networks, schemes, &options);
      if (!s.ok()) return s;
    }
    resolved.rule_options.push_back(std::move(options));
  }
  *out = std::move(resolved);
  return Status::Ok();
}

Paywall::Paywall(const PaywallConfig& config, const SchemeRegistry& schemes)
    : config_(config),
      schemes_(&schemes),
      generation_(next_generation.fetch_add(1, std::memory_order_relaxed)),
      networks_(config.declared_networks) {
  if (!ResolveOffers(config_, networks_, schemes, &offers_).ok()) {
    // Unreachable for a validated config; a snapshot must still offer something.
    PaywallConfig fallback;
    fallback.pricing = config_.pricing;
    for (PriceRule& rule : fallback.pricing.per_resource) rule.accepts.clear();
    (void)ResolveOffers(fallback, networks_, schemes, &offers_);
  }
  auto note_dynamic = [this](const std::vector<PaymentRequirements>& options) {
    for (const PaymentRequirements& option : options) {
      if (option.scheme_impl != nullptr && !option.scheme_impl->DynamicExtraFields().empty()) {
        dynamic_scheme_ = option.scheme_impl;
      }
    }
  };
  note_dynamic(offers_.default_options);
  for (const auto& options : offers_.rule_options) note_dynamic(options);
}

Paywall::RouteSettings Paywall::RouteSettingsFor(std::string_view path) const {
  const PriceMatch match = PriceFor(config_.pricing, path);
  RouteSettings settings;
  settings.simulation_mode = config_.simulation_mode;
  settings.payment_identifier = config_.payment_identifier;
  if (match.rule != nullptr) {
    settings.simulation_mode = match.rule->simulation_mode.value_or(settings.simulation_mode);
    settings.payment_identifier = match.rule->payment_identifier.value_or(settings.payment_identifier);
  }
  boost::json::object extensions;
  if (match.rule != nullptr) settings.sign_in_with_x = match.rule->sign_in_with_x;
  if (match.rule != nullptr && match.rule->discovery) {
    extensions[kBazaarExtension] = DeclareDiscovery(*match.rule->discovery, match.rule->pattern, path);
    const boost::json::object resource = DiscoveryResourceInfo(*match.rule->discovery);
    if (!resource.empty()) settings.resource_extra_json = boost::json::serialize(resource);
  }
  if (settings.payment_identifier != PaymentIdentifierPolicy::kOff) {
    extensions[kPaymentIdentifierExtension] =
        DeclarePaymentIdentifier(settings.payment_identifier == PaymentIdentifierPolicy::kRequired);
  }
  if (!extensions.empty()) settings.extensions_json = boost::json::serialize(extensions);
  return settings;
}

std::vector<DiscoveredResource> Paywall::DeclaredDiscoveries(std::string_view origin, int64_t since_ms) const {
  std::vector<DiscoveredResource> out;
  for (const PriceRule& rule : config_.pricing.per_resource) {
    if (!rule.discovery) continue;
    // A prefix rule is listed as its template, as enrichDeclaration() turns a wildcard
    // segment into :var1 (normalizeWildcardPattern(), src/bazaar/server.ts).
    std::string path = rule.pattern;
    if (path.size() >= 2 && path.compare(path.size() - 2, 2, "/*") == 0) path.replace(path.size() - 1, 1, ":var1");
    DiscoveredResource r;
    r.resource = std::string(origin) + path;
    r.method = rule.discovery->method;
    r.declared = true;
    r.last_updated_ms = since_ms;
    const std::vector<PaymentRequirements> options = RequirementsFor(path, r.resource);
    r.accepts_json = RenderAcceptsV2(options);
    r.description = options.front().description;
    r.mime_type = options.front().mime_type;
    r.service_name = rule.discovery->service_name;
    r.tags = rule.discovery->tags;
    r.extensions_json =
        boost::json::serialize(boost::json::object{{kBazaarExtension, DeclareDiscovery(*rule.discovery, rule.pattern, "")}});
    out.push_back(std::move(r));
  }
  return out;
}

int64_t Paywall::DynamicEpoch(int64_t now) const {
  return dynamic_scheme_ != nullptr ? dynamic_scheme_->DynamicExtraEpoch(now) : 0;
}

std::vector<PaymentRequirements> Paywall::RequirementsFor(std::string_view path, std::string_view resource_url,
                                                          int64_t now) const {
  const PriceMatch match = PriceFor(config_.pricing, path);
  const std::vector<PaymentRequirements>* options = &offers_.default_options;
  if (match.rule != nullptr) {
    const auto index = static_cast<std::size_t>(match.rule - config_.pricing.per_resource.data());
    if (index < offers_.rule_options.size() && !offers_.rule_options[index].empty()) {
      options = &offers_.rule_options[index];
    }
  }
  std::vector<PaymentRequirements> offer = *options;
  for (PaymentRequirements& option : offer) {
    option.amount = AtomicAmount{UsdToAssetUnits(match.price, option.asset_decimals).value_or(Uint256())};
    option.resource = std::string(resource_url);
    option.description = match.rule != nullptr && match.rule->discovery && !match.rule->discovery->description.empty()
                             ? match.rule->discovery->description
                             : "x402-dev mock resource " + std::string(path);
    if (now != 0 && option.scheme_impl != nullptr) option.scheme_impl->AddDynamicExtra(now, &option.extra);
    option.Freeze();
  }
  return offer;
}

}  // namespace x402
