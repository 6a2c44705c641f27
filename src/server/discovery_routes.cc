#include "server/discovery_routes.h"

#include <charconv>

#include "base/text.h"
#include "server/inspection_routes.h"

namespace x402 {
namespace {

Response PlainAnswer(http::status status, unsigned version, std::string body) {
  Response res{status, version};
  res.set(http::field::server, "x402-dev");
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  return res;
}

Response Refuse(unsigned version, std::string_view reason, std::string_view message) {
  return PlainAnswer(http::status::bad_request, version,
                     "{\"error\":\"" + JsonEscape(message) + "\",\"reason\":\"" + std::string(reason) + "\"}");
}

// A whole number of at most |max|; false for anything else (signs, fractions, words, overflow).
bool ReadCount(std::string_view text, std::size_t max, std::size_t* out) {
  if (text.empty() || text.size() > 10) return false;
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > max) return false;
  *out = value;
  return true;
}

// Where the mock was reached: the origin its own routes are listed under.
std::string Origin(const Request& request, const RequestContext& ctx) {
  const auto host = request.find(http::field::host);
  if (host != request.end() && !host->value().empty()) return "http://" + std::string(host->value());
  return "http://" + ctx.host + ":" + std::to_string(ctx.port);
}

}  // namespace

bool ParseDiscoveryQuery(std::string_view target, bool search, DiscoveryQuery* query, std::string* problem) {
  DiscoveryQuery q;
  auto text = [&](std::string_view key, std::string* out) {
    if (auto v = QueryParameter(target, key)) *out = std::move(*v);
  };
  text("type", &q.type);
  text("payTo", &q.pay_to);
  text("scheme", &q.scheme);
  text("network", &q.network);
  text("extensions", &q.extensions);
  for (const std::string* field : {&q.type, &q.pay_to, &q.scheme, &q.network, &q.extensions}) {
    if (field->size() > kMaxDiscoveryQueryText) {
      *problem = "a filter over " + std::to_string(kMaxDiscoveryQueryText) + " characters";
      return false;
    }
  }
  if (auto limit = QueryParameter(target, "limit")) {
    if (!ReadCount(*limit, kMaxDiscoveryLimit, &q.limit) || q.limit == 0) {
      *problem = "limit must be a whole number from 1 to " + std::to_string(kMaxDiscoveryLimit) + ", not '" +
                 OneLine(limit->substr(0, 32)) + "'";
      return false;
    }
  }
  if (search) {
    auto words = QueryParameter(target, "query");
    if (!words || words->empty()) {
      *problem = "search needs ?query= with the words to look for";
      return false;
    }
    if (words->size() > kMaxDiscoveryQueryText) {
      *problem = "the query is over " + std::to_string(kMaxDiscoveryQueryText) + " characters";
      return false;
    }
    q.text = std::move(*words);
    // The cursor is the position the previous page's pagination.cursor gave.
    if (auto cursor = QueryParameter(target, "cursor"); cursor && !cursor->empty()) {
      if (!ReadCount(*cursor, BazaarCatalog::kCapacity + 10'000, &q.offset)) {
        *problem = "cursor '" + OneLine(cursor->substr(0, 32)) + "' is not one this facilitator gave (use pagination.cursor)";
        return false;
      }
    }
  } else if (auto offset = QueryParameter(target, "offset")) {
    if (!ReadCount(*offset, 1'000'000'000, &q.offset)) {
      *problem = "offset must be a whole number from 0, not '" + OneLine(offset->substr(0, 32)) + "'";
      return false;
    }
  }
  *query = std::move(q);
  return true;
}

Response DiscoveryAnswer(const Request& request, std::string_view action, const RequestContext& ctx) {
  const unsigned version = request.version();
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    Response res = PlainAnswer(http::status::method_not_allowed, version,
                               "{\"error\":\"use GET /facilitator/discovery/" + std::string(action) + "\"}");
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  const bool search = action == "search";
  DiscoveryQuery query;
  std::string problem;
  if (!ParseDiscoveryQuery(request.target(), search, &query, &problem)) {
    return Refuse(version, "invalid_discovery_query", problem);
  }
  static const BazaarCatalog kEmpty;
  const BazaarCatalog& catalog = ctx.settlement != nullptr ? ctx.settlement->bazaar : kEmpty;
  const BazaarCatalog::Page page =
      catalog.Find(query, ctx.paywall->DeclaredDiscoveries(Origin(request, ctx), ctx.now_unix * 1000));
  return PlainAnswer(http::status::ok, version,
                     search ? RenderDiscoverySearch(page, query) : RenderDiscoveryList(page, query));
}

}  // namespace x402
