#include "config/payment_options.h"

#include <boost/json.hpp>
#include <algorithm>
#include <charconv>

#include "base/text.h"
#include "config/config_loader.h"
#include "x402/networks.h"
#include "x402/paywall.h"
#include "x402/scheme.h"
#include "x402/settlement_charge.h"

namespace x402 {
namespace {

namespace json = boost::json;

// The text of |key| in |object|: a string, or a number written as the YAML file had it.
std::optional<std::string> TextAt(const json::object& object, std::string_view key) {
  const json::value* v = object.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64() || v->is_uint64()) return json::serialize(*v);
  return std::string();  // present but not text: reported as empty
}

bool UnknownKey(const json::object& object, const std::vector<std::string>& known, std::string_view what,
                std::string* problem, std::string* hint) {
  for (const auto& [key, value] : object) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    *problem = "unknown key '" + std::string(key) + "' in " + std::string(what);
    std::string list;
    for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
    if (auto match = ClosestMatch(key, known)) {
      *hint = "did you mean '" + *match + "'?";
    } else {
      *hint = std::string(what) + " takes " + list;
    }
    return true;
  }
  return false;
}

// asset: {address, decimals, name, version[, symbol]}: a token the built-in table lacks.
bool ParseDeclaredAsset(const json::object& object, AssetInfo* asset, std::string* problem, std::string* hint) {
  if (UnknownKey(object, {"address", "decimals", "name", "version", "symbol"}, "a declared asset", problem, hint)) {
    return false;
  }
  const char* example = "asset: {address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\", decimals: 18, "
                        "name: \"Mock USD\", version: \"1\"}";
  asset->address = TextAt(object, "address").value_or("");
  if (asset->address.empty()) {
    *problem = "a declared asset needs its address";
    *hint = example;
    return false;
  }
  const std::string decimals = TextAt(object, "decimals").value_or("");
  int value = -1;
  const auto [end, ec] = std::from_chars(decimals.data(), decimals.data() + decimals.size(), value);
  if (decimals.empty() || ec != std::errc() || end != decimals.data() + decimals.size() || value < 0 ||
      value > 36) {
    *problem = "a declared asset needs its decimals, a whole number from 0 to 36 (got '" + decimals + "')";
    *hint = "USDC has 6, most ERC-20 tokens 18";
    return false;
  }
  asset->decimals = value;
  // The token's EIP-712 domain: what the payer signs under (the contract's name() and version()).
  asset->domain_name = TextAt(object, "name").value_or("");
  asset->domain_version = TextAt(object, "version").value_or("");
  asset->symbol = TextAt(object, "symbol").value_or("");
  if (asset->symbol.empty()) asset->symbol = asset->domain_name.empty() ? "TOKEN" : asset->domain_name;
  // The name is signed over as it is (UTF-8: "USD₮0" is a real one); neither it nor the symbol,
  // which logs and terminals print, may carry control characters.
  for (const std::string* text : {&asset->domain_name, &asset->domain_version, &asset->symbol}) {
    const bool control = std::any_of(text->begin(), text->end(), [](char c) {
      const auto byte = static_cast<unsigned char>(c);
      return byte < 0x20 || byte == 0x7f;
    });
    if (control || text->size() > 64) {
      *problem = "a declared asset's name, version and symbol must be at most 64 characters, without control characters";
      *hint = "as the token's contract returns them, e.g. name: \"USD Coin\", version: \"2\", symbol: USDC";
      return false;
    }
  }
  asset->declared = true;
  return true;
}

// Where an option was written, as the paywall's messages begin: "FILE:LINE: KEY" or
// "KEY (from flag --network)".
std::string OriginText(const Origin& origin, const std::string& key) {
  if (origin.source == ConfigSource::kGlobalFile || origin.source == ConfigSource::kProjectFile) {
    return origin.Location() + ": " + key;
  }
  if (origin.source == ConfigSource::kDefault) return key;
  return key + " (from " + origin.Location() + ")";
}

Origin OriginOf(const LoadedConfig& loaded, const std::string& key) {
  auto it = loaded.origins.find(key);
  return it == loaded.origins.end() ? Origin{} : it->second;
}

// Adds the networks and tokens |specs| declare to |declared|: an option on a network the
// built-in table lacks, with its asset declared, or a token a built-in network lacks (joined to
// that network's assets: NetworkTable merges them). Two options may declare the same network
// (with other assets) or the same token (identically). A token of the built-in table cannot be
// declared otherwise than the table has it: the clients sign for the table's.
Status Declare(const std::vector<OptionSpec>& specs, const NetworkTable& built_in,
               std::vector<NetworkInfo>* declared) {
  for (const OptionSpec& spec : specs) {
    if (!spec.declared_asset) continue;
    const AssetInfo& token = *spec.declared_asset;
    const NetworkInfo* known = built_in.Find(spec.network);
    if (known != nullptr) {
      if (const AssetInfo* listed = known->FindAsset(token.address)) {
        if (listed->decimals != token.decimals || listed->domain_name != token.domain_name ||
            listed->domain_version != token.domain_version) {
          return Status::Config(spec.origin + ": " + token.address + " is " + listed->symbol + " on " +
                                known->caip2 + " in the built-in table (" + std::to_string(listed->decimals) +
                                " decimals, EIP-712 '" + listed->domain_name + "' version '" +
                                listed->domain_version + "'), declared otherwise here")
              .WithHint("name it by its address alone (asset: \"" + listed->address + "\"), as the clients know it");
        }
        continue;  // the table's own token, declared as it is
      }
    }
    const std::string caip2 = known != nullptr ? known->caip2 : spec.network;
    NetworkInfo* network = nullptr;
    for (NetworkInfo& n : *declared) {
      if (n.caip2 == caip2) network = &n;
    }
    if (network == nullptr) {
      NetworkInfo made;
      if (known != nullptr) {
        made = *known;  // a token joining a built-in network: the table merges it in by id
        made.assets.clear();
      } else {
        std::string problem;
        auto fresh = DeclaredNetwork(spec.network, &problem);
        if (!fresh) {
          return Status::Config(spec.origin + ": " + problem)
              .WithHint("a network the built-in table lacks is declared by its CAIP-2 id, e.g. \"eip155:31337\"");
        }
        made = std::move(*fresh);
      }
      declared->push_back(std::move(made));
      network = &declared->back();
    }
    if (const AssetInfo* same = network->FindAsset(token.address)) {
      if (!(*same == token)) {
        return Status::Config(spec.origin + ": the asset " + same->address + " on " + network->caip2 +
                              " is declared twice, differently")
            .WithHint("declare a token once with the same address, decimals, name and version");
      }
      continue;
    }
    network->assets.push_back(token);
  }
  return Status::Ok();
}

}  // namespace

bool ParseOptionSpec(std::string_view json_text, OptionSpec* spec, std::string* problem, std::string* hint) {
  boost::system::error_code ec;
  const json::value value = json::parse(json_text, ec);
  if (ec || !value.is_object()) {
    *problem = "a payment option must be a mapping (network: …)";
    *hint = "e.g. - network: base-sepolia";
    return false;
  }
  const json::object& object = value.get_object();
  if (UnknownKey(object, {"network", "scheme", "asset", "pay_to", "asset_transfer_method", "charge"},
                 "a payment option", problem, hint)) {
    return false;
  }
  OptionSpec out;
  out.network = TextAt(object, "network").value_or("");
  if (out.network.empty()) {
    *problem = "a payment option needs its network";
    *hint = "e.g. network: base-sepolia, or a CAIP-2 id such as \"eip155:137\"";
    return false;
  }
  if (auto scheme = TextAt(object, "scheme")) out.scheme = *scheme;
  if (auto pay_to = TextAt(object, "pay_to")) out.pay_to = *pay_to;
  if (object.contains("asset_transfer_method")) {
    const auto method = TextAt(object, "asset_transfer_method");
    if (!method || (*method != "eip3009" && *method != "permit2")) {
      *problem = "asset_transfer_method must be eip3009 or permit2";
      *hint = "how the exact scheme moves the token: permit2 for any ERC-20, eip3009 for tokens with "
              "transferWithAuthorization (USDC)";
      return false;
    }
    out.asset_transfer_method = *method;
  }
  if (object.contains("charge")) {
    // Numbers are written as text ("50%", "$0.001", "1500"): YAML reads 1500 as a number.
    const json::value& charge = object.at("charge");
    std::string text = charge.is_string() ? std::string(charge.get_string())
                       : charge.is_uint64() ? std::to_string(charge.get_uint64())
                       : charge.is_int64() && charge.get_int64() >= 0 ? std::to_string(charge.get_int64())
                                                                      : std::string("?");
    if (!IsChargeText(text, problem)) {
      *hint = "what an upto payment is charged, at most the price: e.g. charge: \"50%\"";
      return false;
    }
    if (out.scheme != "upto") {
      *problem = "charge is for upto options (the exact scheme always charges the price)";
      *hint = "add scheme: upto, or remove charge";
      return false;
    }
    out.charge = std::move(text);
  }
  if (const json::value* asset = object.if_contains("asset")) {
    if (asset->is_object()) {
      AssetInfo declared;
      if (!ParseDeclaredAsset(asset->get_object(), &declared, problem, hint)) return false;
      out.asset = declared.address;
      out.declared_asset = std::move(declared);
    } else if (asset->is_string() && !asset->get_string().empty()) {
      out.asset = std::string(asset->get_string());
    } else {
      *problem = "asset must be a token address, or a declared asset {address, decimals, name, version}";
      *hint = "leave it out for the network's default asset (USDC)";
      return false;
    }
  }
  *spec = std::move(out);
  return true;
}

Status FinishPaymentOptions(LoadedConfig* loaded) {
  MockServerConfig& m = loaded->config.mock_server;
  const NetworkTable built_in;
  std::vector<NetworkInfo> declared;
  Status s = Declare(m.accepts, built_in, &declared);
  for (const PriceRule& rule : m.pricing.per_resource) {
    if (s.ok()) s = Declare(rule.accepts, built_in, &declared);
  }
  if (!s.ok()) return s;
  m.declared_networks = std::move(declared);

  // Resolved as the paywall resolves them; the shorthand's messages name its own keys.
  PaywallConfig checked = m;
  if (checked.accepts.empty()) {
    OptionSpec shorthand;
    shorthand.network = m.network;
    shorthand.asset = m.asset;
    const std::string key = m.asset.empty() ? "mock_server.network" : "mock_server.asset";
    shorthand.origin = OriginText(OriginOf(*loaded, key), key);
    checked.accepts.push_back(std::move(shorthand));
  }
  ResolvedOffers offers;
  return ResolveOffers(checked, NetworkTable(m.declared_networks), SchemeRegistry::BuiltIn(), &offers);
}

std::string PaymentOptionOrigin(const Origin& origin, const std::string& key) { return OriginText(origin, key); }

}  // namespace x402
