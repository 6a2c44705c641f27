// The bazaar discovery extension (@x402/extensions 2.27, src/bazaar): a resource says what it
// takes and returns, and a facilitator lists the resources it has seen, so that agents can find
// what they can buy.
//
//   · a route declares it: its 402 carries extensions["bazaar"] = {info: {input, output},
//     schema} as declareDiscoveryExtension() (src/bazaar/resourceService.ts) builds it and
//     bazaarResourceServerExtension.enrichDeclaration() (src/bazaar/server.ts) narrows it to
//     the route's method;
//   · the client echoes it in its payment; the facilitator catalogs the resource when it
//     verifies or settles the payment (extractDiscoveryInfo(), src/bazaar/facilitator.ts, as
//     the reference e2e facilitator's onAfterVerify hook does);
//   · clients list the catalog: GET {facilitator}/discovery/resources and
//     GET {facilitator}/discovery/search, in the shapes withBazaar()'s client parses
//     (src/bazaar/facilitatorClient.ts).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace x402 {

inline constexpr std::string_view kBazaarExtension = "bazaar";

/// A route's discovery declaration, as the config gives it (mock_server.pricing.per_resource.
/// <path>.discovery). JSON values are kept as their text, so that a rule stays comparable.
struct DiscoverySpec {
  std::string method = "GET";       // GET, HEAD, DELETE (query) or POST, PUT, PATCH (body)
  std::string description;          // the resource's description in the 402
  std::string input_json;           // example query parameters, or the example body ("" none)
  std::string input_schema_json;    // JSON Schema of the query parameters / body ("" none)
  std::string body_type = "json";   // json, form-data or text (body methods)
  std::string output_json;          // an example answer ("" none)
  std::string output_schema_json;   // its JSON Schema ("" none)
  std::vector<std::string> tags;    // at most 5, printable ASCII, 1–32 characters each
  std::string service_name;         // printable ASCII, 1–32 characters
  friend bool operator==(const DiscoverySpec&, const DiscoverySpec&) = default;

  bool body_method() const { return method == "POST" || method == "PUT" || method == "PATCH"; }
};

/// Reads a `discovery` mapping. False with |*problem| (what is wrong, naming the key) when it
/// does not read.
bool ParseDiscoverySpec(const boost::json::value& value, DiscoverySpec* spec, std::string* problem);

/// |spec| as the mapping ParseDiscoverySpec() reads (the config template writes it back).
boost::json::object DiscoverySpecJson(const DiscoverySpec& spec);

/// extensions["bazaar"] for a route declaring |spec|: declareDiscoveryExtension()'s shape,
/// enriched with the method as enrichDeclaration() does. A prefix rule (|pattern| "/a/*") is a
/// dynamic route there: its routeTemplate is "/a/:var1" (normalizeWildcardPattern()), and the
/// request's |path| gives info.input.pathParams (extractDynamicRouteInfo(), src/bazaar/server.ts);
/// a wildcard-only "/*" has none.
boost::json::object DeclareDiscovery(const DiscoverySpec& spec, std::string_view pattern = {},
                                     std::string_view path = {});

/// The resource metadata a route adds to its 402's `resource` (v2 ResourceInfo): serviceName
/// and tags, when declared.
boost::json::object DiscoveryResourceInfo(const DiscoverySpec& spec);

/// One resource of the catalog: a DiscoveryResource as withBazaar()'s client types it.
struct DiscoveredResource {
  std::string resource;       // canonical URL: origin + path (or route template), no query
  int x402_version = 2;
  std::string method;
  std::string accepts_json;   // the payment requirements it was paid with, a JSON array
  int64_t last_updated_ms = 0;
  std::string description;
  std::string mime_type;
  std::string service_name;
  std::vector<std::string> tags;
  std::string extensions_json;  // {"bazaar": {info, schema}}
  bool declared = false;        // one of the mock's own routes (from the config)

  /// {"resource","type":"http","x402Version","accepts","lastUpdated",…}.
  boost::json::object ToJson() const;
  /// The pay-to addresses, schemes and networks of |accepts_json| (for the filters).
  bool Offers(std::string_view field, std::string_view value) const;
};

/// What extractDiscoveryInfo() takes from a payment a facilitator verified or settled: the
/// resource, when the payment carries a valid bazaar declaration (v2: payload.extensions.bazaar;
/// v1: the requirements' outputSchema.input). nullopt otherwise, with |*why| when there was a
/// declaration that did not pass (the reference only logs it too).
std::optional<DiscoveredResource> ExtractDiscovered(const boost::json::value& payload,
                                                   const boost::json::value& requirements, int x402_version,
                                                   int64_t now_ms, std::string* why);

/// A query of the catalog (GET /facilitator/discovery/resources or /search).
struct DiscoveryQuery {
  std::string type, pay_to, scheme, network, extensions;
  std::string text;        // /search: the words every match contains (case-insensitive)
  std::size_t limit = 100;
  std::size_t offset = 0;
};
inline constexpr std::size_t kMaxDiscoveryLimit = 1000;
inline constexpr std::size_t kMaxDiscoveryQueryText = 256;

/// The resources the mock facilitator has seen. Bounded: kCapacity resources, each cut to
/// kMaxEntryBytes of JSON; when full, the least recently updated is dropped. Kept beside the
/// settlement state, so a reload keeps it.
///
/// Thread safety: every member may be called from any thread.
class BazaarCatalog {
 public:
  static constexpr std::size_t kCapacity = 1000;
  static constexpr std::size_t kMaxEntryBytes = 16 * 1024;

  /// Adds or refreshes |resource| (keyed by its URL). False when it is too large to keep.
  bool Record(DiscoveredResource resource);

  struct Page {
    std::vector<DiscoveredResource> items;
    std::size_t total = 0;  // matches before the page was cut
  };
  /// The matches of |query| among |declared| (the mock's own routes, first) and the catalog,
  /// most recently updated first.
  Page Find(const DiscoveryQuery& query, const std::vector<DiscoveredResource>& declared) const;

  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, DiscoveredResource> entries_;
};

/// The JSON of GET /facilitator/discovery/resources: {x402Version, items, pagination:
/// {limit, offset, total}}.
std::string RenderDiscoveryList(const BazaarCatalog::Page& page, const DiscoveryQuery& query);
/// The JSON of GET /facilitator/discovery/search: {x402Version, resources, partialResults,
/// pagination: {limit, cursor}}; the cursor is the next page's, or null.
std::string RenderDiscoverySearch(const BazaarCatalog::Page& page, const DiscoveryQuery& query);

}  // namespace x402
