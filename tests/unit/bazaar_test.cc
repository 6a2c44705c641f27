// The bazaar discovery extension: a route's declaration, what the facilitator catalogs from a
// payment (and refuses to), the catalog's bounds and queries, and the discovery endpoints.
#include "x402/extensions/bazaar.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/base64.h"
#include "server/discovery_routes.h"
#include "server/router.h"
#include "x402/settle_step.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1'800'000'000;

DiscoverySpec Spec(std::string_view yaml_like_json) {
  DiscoverySpec spec;
  std::string problem;
  EXPECT_TRUE(ParseDiscoverySpec(json::parse(yaml_like_json), &spec, &problem)) << problem;
  return spec;
}

std::string Problem(std::string_view text) {
  DiscoverySpec spec;
  std::string problem;
  EXPECT_FALSE(ParseDiscoverySpec(json::parse(text), &spec, &problem)) << text;
  return problem;
}

TEST(BazaarTest, ARouteDeclaresItsQueryOrBodyAndItsOutput) {
  const json::object get = DeclareDiscovery(Spec(R"({"query":{"city":"London"},"output":{"t":12}})"));
  EXPECT_EQ(get.at("info").at("input"), json::parse(R"({"type":"http","method":"GET","queryParams":{"city":"London"}})"));
  EXPECT_EQ(get.at("info").at("output"), json::parse(R"({"type":"json","example":{"t":12}})"));
  EXPECT_EQ(get.at("schema").at("properties").at("input").at("properties").at("method").at("enum"), json::parse(R"(["GET"])"));
  EXPECT_FALSE(get.at("schema").at("properties").at("input").as_object().contains("bodyType"));
  const json::object post = DeclareDiscovery(Spec(R"({"method":"post","body":{"text":"hi"},"body_type":"text"})"));
  EXPECT_EQ(post.at("info").at("input"), json::parse(R"({"type":"http","method":"POST","bodyType":"text","body":{"text":"hi"}})"));
  EXPECT_FALSE(post.at("info").as_object().contains("output"));
  EXPECT_EQ(post.at("schema").at("properties").at("input").at("required"), json::parse(R"(["type","method","bodyType","body"])"));
}

TEST(BazaarTest, AMalformedDeclarationIsRefusedNamingTheKey) {
  EXPECT_NE(Problem(R"({"methd":"GET"})").find("did you mean 'method'?"), std::string::npos);
  EXPECT_NE(Problem(R"({"method":"CONNECT"})").find("GET, HEAD, DELETE, POST, PUT or PATCH"), std::string::npos);
  EXPECT_NE(Problem(R"({"body":{"a":1}})").find("body is for POST, PUT and PATCH"), std::string::npos);
  EXPECT_NE(Problem(R"({"method":"POST","query":{"a":1}})").find("query is for GET"), std::string::npos);
  EXPECT_NE(Problem(R"({"output":[1,2]})").find("output must be a mapping"), std::string::npos);
  EXPECT_NE(Problem(R"({"tags":["a","b","c","d","e","f"]})").find("at most 5"), std::string::npos);
  EXPECT_NE(Problem(R"({"tags":["new\nline"]})").find("printable ASCII"), std::string::npos);
  EXPECT_NE(Problem(R"({"service_name":")" + std::string(33, 'x') + R"("})").find("1-32"), std::string::npos);
  EXPECT_NE(Problem(R"({"query_schema":{"$ref":"https://evil.example/schema"}})").find("$ref"), std::string::npos);
  EXPECT_NE(Problem(R"({"description":"\u001b[31mred"})").find("control characters"), std::string::npos);
  EXPECT_NE(Problem(R"("GET")").find("must be a mapping"), std::string::npos);
}

// A v2 payment carrying |bazaar| for |url|.
json::value Payment(json::value bazaar, std::string url = "http://api.example:8080/weather?city=Paris#top") {
  return json::object{{"x402Version", 2},
                      {"resource", {{"url", url}, {"description", "weather"}, {"mimeType", "application/json"},
                                    {"serviceName", "Weather Co"}, {"tags", {"weather", "WEATHER", "new\nline", "x"}}}},
                      {"extensions", {{"bazaar", std::move(bazaar)}}},
                      {"payload", json::object{}}};
}

const json::value kRequirements = json::parse(
    R"({"scheme":"exact","network":"eip155:84532","amount":"1000","asset":"0x036CbD53842c5426634e7929541eC2318f3dCF7e","payTo":"0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF","maxTimeoutSeconds":300,"extra":{}})");

TEST(BazaarTest, WhatAPaymentDeclaresIsCatalogedAsTheReferenceReadsIt) {
  std::string why;
  const json::value declared = DeclareDiscovery(Spec(R"({"query":{"city":"London"}})"));
  auto found = ExtractDiscovered(Payment(declared), kRequirements, 2, kNow * 1000, &why);
  ASSERT_TRUE(found) << why;
  EXPECT_EQ(found->resource, "http://api.example:8080/weather");  // no query, no fragment
  EXPECT_EQ(found->method, "GET");
  EXPECT_EQ(found->service_name, "Weather Co");
  EXPECT_EQ(found->tags, (std::vector<std::string>{"weather", "x"}));  // sanitizeTags()
  // A valid route template is the canonical path; one that climbs out is ignored.
  json::value templated = declared;
  templated.as_object()["routeTemplate"] = "/weather/:city";
  EXPECT_EQ(ExtractDiscovered(Payment(templated), kRequirements, 2, 0, &why)->resource, "http://api.example:8080/weather/:city");
  for (const char* bad : {"/a/%2e%2e/b", "/../x", "/a/http://b", "relative", "/a b"}) {
    templated.as_object()["routeTemplate"] = bad;
    EXPECT_EQ(ExtractDiscovered(Payment(templated), kRequirements, 2, 0, &why)->resource, "http://api.example:8080/weather") << bad;
  }
}

TEST(BazaarTest, ADeclarationThatDoesNotPassIsNotCatalogedAndSaysWhy) {
  std::string why;
  EXPECT_FALSE(ExtractDiscovered(Payment(json::object{}), kRequirements, 2, 0, &why));
  EXPECT_NE(why.find("no info"), std::string::npos);
  EXPECT_FALSE(ExtractDiscovered(Payment(json::parse(R"({"info":{"input":{"type":"http","method":"TRACE"}}})")),
                                 kRequirements, 2, 0, &why));
  EXPECT_NE(why.find("info.input.method"), std::string::npos);
  EXPECT_FALSE(ExtractDiscovered(Payment(json::parse(R"({"info":{"input":{"type":"mcp","toolName":"t"}}})")),
                                 kRequirements, 2, 0, &why));
  EXPECT_NE(why.find("MCP"), std::string::npos);
  EXPECT_FALSE(ExtractDiscovered(
      Payment(json::parse(R"({"info":{"input":{"type":"http","method":"GET"}},"schema":{"$id":"file:///etc/passwd"}})")),
      kRequirements, 2, 0, &why));
  EXPECT_NE(why.find("external"), std::string::npos);
  const json::value ok = DeclareDiscovery(Spec("{}"));
  for (const char* url : {"ftp://x/y", "javascript:alert(1)", "http://", "http://a b/", "http://x/\x1b[2J"}) {
    why.clear();
    EXPECT_FALSE(ExtractDiscovered(Payment(ok, url), kRequirements, 2, 0, &why)) << url;
    EXPECT_NE(why.find("http(s) URL"), std::string::npos) << url;
  }
  why.clear();
  EXPECT_FALSE(ExtractDiscovered(json::parse(R"({"x402Version":2})"), kRequirements, 2, 0, &why));
  EXPECT_TRUE(why.empty());  // nothing declared: nothing to say
}

// Review of issue 29: the URL as new URL() reads it, so credentials never reach the catalog
// and one resource is one entry.
TEST(BazaarTest, TheUrlIsCatalogedWithoutCredentialsAndInItsCanonicalForm) {
  std::string why;
  const json::value declared = DeclareDiscovery(Spec("{}"));
  EXPECT_EQ(ExtractDiscovered(Payment(declared, "http://user:secret@API.Example:80/w?x=1"), kRequirements, 2, 0, &why)->resource,
            "http://api.example/w");
  EXPECT_EQ(ExtractDiscovered(Payment(declared, "HTTPS://h:443/w"), kRequirements, 2, 0, &why)->resource, "https://h/w");
  EXPECT_EQ(ExtractDiscovered(Payment(declared, "https://h:8443/w"), kRequirements, 2, 0, &why)->resource, "https://h:8443/w");
}

TEST(BazaarTest, AV1ResourceIsCatalogedFromItsOutputSchema) {
  json::object req = kRequirements.as_object();
  req["resource"] = "https://v1.example/data";
  req["description"] = "v1 data";
  req["outputSchema"] = json::parse(R"({"input":{"type":"http","method":"get","query":{"q":"x"}}})");
  std::string why;
  auto found = ExtractDiscovered(json::parse(R"({"x402Version":1})"), req, 1, 0, &why);
  ASSERT_TRUE(found) << why;
  EXPECT_EQ(found->resource, "https://v1.example/data");
  EXPECT_EQ(found->method, "GET");
  EXPECT_NE(found->extensions_json.find(R"("queryParams":{"q":"x"})"), std::string::npos);
  // extractDiscoveryInfoV1(): the output becomes {type: json, example}; discoverable: false stays out.
  req["outputSchema"] = json::parse(R"({"input":{"type":"http","method":"POST","body_type":"multipart/form-data"},"output":{"a":1}})");
  found = ExtractDiscovered(json::parse(R"({"x402Version":1})"), req, 1, 0, &why);
  ASSERT_TRUE(found) << why;
  EXPECT_NE(found->extensions_json.find(R"("bodyType":"form-data")"), std::string::npos);
  EXPECT_NE(found->extensions_json.find(R"("output":{"type":"json","example":{"a":1}})"), std::string::npos);
  req["outputSchema"] = json::parse(R"({"input":{"type":"http","method":"GET","discoverable":false}})");
  EXPECT_FALSE(ExtractDiscovered(json::parse(R"({"x402Version":1})"), req, 1, 0, &why));
}

DiscoveredResource Resource(std::string url, int64_t updated, std::string network = "eip155:84532") {
  DiscoveredResource r;
  r.resource = std::move(url);
  r.method = "GET";
  r.last_updated_ms = updated;
  r.accepts_json = R"([{"scheme":"exact","network":")" + network + R"(","payTo":"0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"}])";
  r.extensions_json = R"({"bazaar":{}})";
  return r;
}

TEST(BazaarCatalogTest, BoundedDropsTheLeastRecentlyUpdatedAndRefusesOversizedEntries) {
  BazaarCatalog catalog;
  for (std::size_t i = 0; i < BazaarCatalog::kCapacity + 10; ++i) {
    ASSERT_TRUE(catalog.Record(Resource("http://h/r" + std::to_string(i), static_cast<int64_t>(i))));
  }
  EXPECT_EQ(catalog.size(), BazaarCatalog::kCapacity);
  DiscoveryQuery all;
  all.limit = kMaxDiscoveryLimit;
  const auto page = catalog.Find(all, {});
  EXPECT_EQ(page.total, BazaarCatalog::kCapacity);
  EXPECT_EQ(page.items.front().resource, "http://h/r1009");  // the most recent first
  EXPECT_EQ(page.items.back().resource, "http://h/r10");     // r0..r9 were dropped
  // The same resource again is refreshed, not added.
  ASSERT_TRUE(catalog.Record(Resource("http://h/r10", 5000)));
  EXPECT_EQ(catalog.size(), BazaarCatalog::kCapacity);
  DiscoveredResource huge = Resource("http://h/huge", 1);
  huge.extensions_json = R"({"bazaar":")" + std::string(BazaarCatalog::kMaxEntryBytes, 'x') + R"("})";
  EXPECT_FALSE(catalog.Record(huge));
}

TEST(BazaarCatalogTest, FiltersAndSearchAsTheClientAsks) {
  BazaarCatalog catalog;
  catalog.Record(Resource("http://h/base", 1));
  DiscoveredResource sol = Resource("http://h/sol", 2, "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1");
  sol.description = "Solana Prices";
  sol.tags = {"crypto"};
  catalog.Record(sol);
  DiscoveredResource declared = Resource("http://mock/weather", 0);
  declared.declared = true;
  auto find = [&](DiscoveryQuery q) {
    std::vector<std::string> out;
    for (const auto& r : catalog.Find(q, {declared}).items) out.push_back(r.resource);
    return out;
  };
  DiscoveryQuery q;
  EXPECT_EQ(find(q), (std::vector<std::string>{"http://mock/weather", "http://h/sol", "http://h/base"}));
  q.network = "eip155:84532";
  EXPECT_EQ(find(q), (std::vector<std::string>{"http://mock/weather", "http://h/base"}));
  q = {};
  q.pay_to = "0x2b5ad5c4795c026514f8317c7a215e218dccd6cf";  // any letter case, as EVM addresses compare
  EXPECT_EQ(find(q).size(), 3u);
  q = {};
  q.text = "solana CRYPTO";
  EXPECT_EQ(find(q), (std::vector<std::string>{"http://h/sol"}));
  q = {};
  q.extensions = "bazaar, payment-identifier";
  EXPECT_TRUE(find(q).empty());
  q.extensions = "bazaar";
  EXPECT_EQ(find(q).size(), 3u);
  q = {};
  q.type = "mcp";
  EXPECT_TRUE(find(q).empty());
  q = {};
  q.limit = 1;
  q.offset = 2;
  EXPECT_EQ(find(q), (std::vector<std::string>{"http://h/base"}));
  // One of the mock's own routes, cataloged too when paid through the facilitator: listed once.
  catalog.Record(Resource("http://mock/weather", 9));
  q = {};
  EXPECT_EQ(find(q), (std::vector<std::string>{"http://mock/weather", "http://h/sol", "http://h/base"}));
}

TEST(DiscoveryQueryTest, AbsurdLimitsOffsetsAndCursorsAreRefused) {
  DiscoveryQuery q;
  std::string problem;
  EXPECT_TRUE(ParseDiscoveryQuery("/d?limit=1000&offset=5&payTo=0xab", false, &q, &problem)) << problem;
  EXPECT_EQ(q.limit, 1000u);
  EXPECT_EQ(q.offset, 5u);
  EXPECT_EQ(q.pay_to, "0xab");
  for (const char* bad : {"/d?limit=0", "/d?limit=1001", "/d?limit=-1", "/d?limit=1e3", "/d?limit=99999999999999999999",
                          "/d?offset=-1", "/d?offset=x", "/d?offset=1.0", "/d?limit="}) {
    EXPECT_FALSE(ParseDiscoveryQuery(bad, false, &q, &problem)) << bad;
  }
  EXPECT_FALSE(ParseDiscoveryQuery("/d", true, &q, &problem));
  EXPECT_NE(problem.find("?query="), std::string::npos);
  EXPECT_FALSE(ParseDiscoveryQuery("/d?query=a&cursor=..%2F..", true, &q, &problem));
  EXPECT_NE(problem.find("cursor"), std::string::npos);
  EXPECT_FALSE(ParseDiscoveryQuery("/d?query=" + std::string(300, 'a'), true, &q, &problem));
  EXPECT_FALSE(ParseDiscoveryQuery("/d?network=" + std::string(300, 'a'), false, &q, &problem));
  EXPECT_TRUE(ParseDiscoveryQuery("/d?query=two%20words&cursor=2&limit=2", true, &q, &problem)) << problem;
  EXPECT_EQ(q.text, "two words");
  EXPECT_EQ(q.offset, 2u);
}

class DiscoveryRouteTest : public ::testing::Test {
 protected:
  DiscoveryRouteTest() {
    PaywallConfig config;
    PriceRule rule = PriceRule::Priced("/weather/*", AtomicAmount{10'000});
    rule.discovery = Spec(R"({"description":"Weather","tags":["weather"],"service_name":"Mock Weather"})");
    config.pricing.per_resource.push_back(rule);
    paywall_ = std::make_unique<Paywall>(config);
  }
  RouteResult Send(http::verb method, std::string target, std::string body = {}) {
    Request req{method, target, 11};
    req.set(http::field::host, "127.0.0.1:3402");
    req.body() = std::move(body);
    req.prepare_payload();
    RequestContext ctx;
    ctx.paywall = paywall_.get();
    ctx.now_unix = kNow;
    ctx.settlement = &settlement_;
    RouteResult r = HandleRequest(req, ctx);
    if (r.raw) {  // the cached 402, as bytes on the wire
      http::response_parser<http::string_body> parser;
      boost::beast::error_code ec;
      parser.eager(true);
      parser.put(boost::asio::buffer(*r.raw), ec);
      r.response = parser.release();
    }
    return r;
  }
  std::unique_ptr<Paywall> paywall_;
  SettlementState settlement_;
};

TEST_F(DiscoveryRouteTest, The402DeclaresItAndTheCatalogListsTheRouteAsATemplate) {
  RouteResult unpaid = Send(http::verb::post, "/weather/paris");
  const json::object offer = json::parse(*Base64Decode(unpaid.response["PAYMENT-REQUIRED"])).as_object();
  EXPECT_EQ(offer.at("extensions").at("bazaar").at("info").at("input").at("method"), "GET");
  // A prefix rule is a dynamic route, as enrichDeclaration() makes it.
  EXPECT_EQ(offer.at("extensions").at("bazaar").at("routeTemplate"), "/weather/:var1");
  EXPECT_EQ(offer.at("extensions").at("bazaar").at("info").at("input").at("pathParams"), json::parse(R"({"var1":"paris"})"));
  EXPECT_EQ(offer.at("resource").at("serviceName"), "Mock Weather");
  EXPECT_EQ(offer.at("resource").at("description"), "Weather");
  const RouteResult listed = Send(http::verb::get, "/facilitator/discovery/resources");
  ASSERT_EQ(listed.response.result(), http::status::ok) << listed.response.body();
  EXPECT_TRUE(listed.outcome.unrecorded);
  const json::object list = json::parse(listed.response.body()).as_object();
  ASSERT_EQ(list.at("items").as_array().size(), 1u);
  EXPECT_EQ(list.at("items").at(0).at("resource"), "http://127.0.0.1:3402/weather/:var1");
  EXPECT_EQ(list.at("items").at(0).at("accepts").at(0).at("amount"), "10000");
  EXPECT_EQ(Send(http::verb::post, "/facilitator/discovery/resources").response.result(), http::status::method_not_allowed);
  EXPECT_EQ(Send(http::verb::get, "/facilitator/discovery/resources?limit=5000").response.result(), http::status::bad_request);
  EXPECT_EQ(Send(http::verb::get, "/facilitator/discovery/other").response.result(), http::status::not_found);
}

TEST_F(DiscoveryRouteTest, TheCatalogOutlivesAReload) {
  DiscoveredResource r = Resource("http://seen/x", kNow * 1000);
  settlement_.bazaar.Record(r);
  paywall_ = std::make_unique<Paywall>(PaywallConfig{});  // a reload: a new snapshot, the same state
  const json::object list = json::parse(Send(http::verb::get, "/facilitator/discovery/resources").response.body()).as_object();
  ASSERT_EQ(list.at("items").as_array().size(), 1u);
  EXPECT_EQ(list.at("items").at(0).at("resource"), "http://seen/x");
  EXPECT_EQ(list.at("items").at(0).at("lastUpdated"), "2027-01-15T08:00:00.000Z");
  const json::object health = json::parse(Send(http::verb::get, "/__x402/health").response.body()).as_object();
  EXPECT_EQ(health.at("bazaar"), json::parse(R"({"declared":0,"cataloged":1})"));
}

}  // namespace
}  // namespace x402
