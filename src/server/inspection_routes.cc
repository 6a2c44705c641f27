#include "server/inspection_routes.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

#include "base/text.h"
#include "server/request_history.h"
#include "x402/money.h"

namespace x402 {
namespace {

constexpr std::string_view kReservedPrefix = "/__x402";

Response JsonAnswer(http::status status, unsigned version, std::string body) {
  Response res{status, version};
  res.set(http::field::server, "x402-dev");
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.body() = std::move(body);
  return res;
}

Response Error(http::status status, unsigned version, std::string_view message) {
  return JsonAnswer(status, version, "{\"error\":\"" + JsonEscape(message) + "\"}");
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// |plus_is_space|: a query string's '+' is a space; a path's is a '+'.
std::string PercentDecode(std::string_view text, bool plus_is_space = true) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+' && plus_is_space) {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() &&
               HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool ParseCount(std::string_view text, uint64_t* out) {
  if (text.empty()) return false;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

Response Requests(const Request& request, const RequestContext& ctx) {
  const unsigned version = request.version();
  if (request.method() != http::verb::get && request.method() != http::verb::head &&
      request.method() != http::verb::delete_) {
    Response res = Error(http::status::method_not_allowed, version,
                         "use GET /__x402/requests, or DELETE to clear the history");
    res.set(http::field::allow, "GET, HEAD, DELETE");
    return res;
  }
  if (ctx.history == nullptr) return Error(http::status::not_found, version, "no request history");
  RequestHistory& history = *ctx.history;
  if (request.method() == http::verb::delete_) {
    history.Clear();
    Response res{http::status::no_content, version};
    res.set(http::field::server, "x402-dev");
    return res;
  }
  HistoryQuery query;
  const std::string_view target = request.target();
  if (auto limit = QueryParameter(target, "limit")) {
    uint64_t n = 0;
    if (!ParseCount(*limit, &n) || n == 0) {
      return Error(http::status::bad_request, version, "limit must be a whole number from 1");
    }
    query.limit = static_cast<std::size_t>(
        std::min<uint64_t>({n, history.capacity(), RequestHistory::kMaxPageRecords}));
  } else {
    query.limit = std::min<std::size_t>(100, history.capacity());
  }
  for (const char* key : {"since", "before"}) {
    if (auto text = QueryParameter(target, key)) {
      uint64_t id = 0;
      if (!ParseCount(*text, &id)) {
        return Error(http::status::bad_request, version,
                     std::string(key) + " must be a request id (a whole number)");
      }
      (std::string_view(key) == "since" ? query.since : query.before) = id;
    }
  }
  if (query.since && query.before) {
    return Error(http::status::bad_request, version,
                 "use since (read forward) or before (read backward), not both");
  }
  if (auto raw = QueryParameter(target, "path", /*decode=*/false)) {
    // Paths are recorded as the client sent them (%20 stays %20, as the access log shows):
    // the filter matches that form pasted as it is, or properly encoded in the query.
    query.paths = {*raw, PercentDecode(*raw, /*plus_is_space=*/false), PercentDecode(*raw)};
  }
  if (auto verdict = QueryParameter(target, "verdict")) {
    query.verdict = ParseVerdict(*verdict);
    if (!query.verdict) {
      return Error(http::status::bad_request, version,
                   "verdict must be one of unpaid, paid, rejected, simulated_failure, "
                   "simulated_timeout, error, other, settlement_pending, lost_response, repeated, signed_in");
    }
  }
  return JsonAnswer(http::status::ok, version, RenderHistoryJson(history.Query(query)));
}

std::string Quote(std::string_view s) { return "\"" + JsonEscape(s) + "\""; }

std::string Price(AtomicAmount amount) {
  return "{\"usd\":" + Quote(FormatUsd(amount)) + ",\"amount\":" + Quote(AtomicString(amount)) + "}";
}

// One option of an offer as /__x402/config shows it (no price: a route's price applies).
std::string OptionJson(const PaymentRequirements& o) {
  return "{\"scheme\":" + Quote(o.scheme) + ",\"network\":" + Quote(o.network) +
         ",\"caip2\":" + Quote(o.caip2) + ",\"asset\":" + Quote(o.asset) +
         ",\"symbol\":" + Quote(o.asset_symbol) + ",\"decimals\":" + std::to_string(o.asset_decimals) +
         ",\"pay_to\":" + Quote(o.pay_to) + ",\"v1\":" + (o.in_v1_offers ? "true" : "false") +
         // The scheme's extra (how the token moves, upto's facilitatorAddress) and upto's charge.
         ",\"extra\":" + boost::json::serialize(o.extra) + (o.charge.empty() ? "" : ",\"charge\":" + Quote(o.charge)) +
         "}";
}

// "all", or the payers listed (mock_server.ledger.permit2_allowance_missing).
std::string Permit2AllowanceMissingJson(const LedgerConfig& ledger) {
  if (ledger.permit2_allowance_missing_for_all) return "\"all\"";
  std::string out = "[";
  for (const std::string& payer : ledger.permit2_allowance_missing) {
    if (out.size() > 1) out += ',';
    out += Quote(payer);
  }
  return out + "]";
}

std::string OptionsJson(std::span<const PaymentRequirements> options) {
  std::string out = "[";
  for (const PaymentRequirements& o : options) {
    if (out.size() > 1) out += ',';
    out += OptionJson(o);
  }
  return out + "]";
}

Response ConfigAnswer(const Request& request, const RequestContext& ctx) {
  const unsigned version = request.version();
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    Response res = Error(http::status::method_not_allowed, version, "use GET /__x402/config");
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  const Paywall& paywall = *ctx.paywall;
  const PaywallConfig& c = paywall.config();
  std::string rules;
  for (std::size_t i = 0; i < c.pricing.per_resource.size(); ++i) {
    const PriceRule& rule = c.pricing.per_resource[i];
    if (!rules.empty()) rules += ',';
    rules += "{\"path\":" + Quote(rule.pattern) + ",\"price\":" + Price(rule.price);
    if (const auto own = paywall.rule_options(i); !own.empty()) rules += ",\"accepts\":" + OptionsJson(own);
    if (rule.simulation_mode) rules += ",\"simulation_mode\":" + Quote(ToString(*rule.simulation_mode));
    if (rule.payment_identifier) rules += ",\"payment_identifier\":" + Quote(ToString(*rule.payment_identifier));
    if (rule.discovery) rules += ",\"discovery\":" + boost::json::serialize(DiscoverySpecJson(*rule.discovery));
    if (rule.sign_in_with_x) rules += ",\"sign_in_with_x\":" + boost::json::serialize(SiwxSpecJson(*rule.sign_in_with_x));
    rules += "}";
  }
  // network, caip2 and asset: the first option's (what a one-option config names).
  const PaymentRequirements& first = paywall.default_options().front();
  std::string body =
      "{\"network\":" + Quote(first.network) +
      ",\"caip2\":" + Quote(first.caip2) +
      ",\"asset\":" + Quote(first.asset) +
      ",\"pay_to\":" + Quote(first.pay_to) +
      ",\"accepts\":" + OptionsJson(paywall.default_options()) +
      ",\"max_timeout_seconds\":" + std::to_string(c.max_timeout_seconds) +
      ",\"default_price\":" + Price(c.pricing.default_price) + ",\"pricing\":[" + rules + "]" +
      ",\"simulation_mode\":" + Quote(ToString(c.simulation_mode)) +
      ",\"verification\":" + Quote(ToString(c.verification)) +
      ",\"smart_wallet_signatures\":" + Quote(ToString(c.smart_wallet_signatures)) +
      ",\"ledger\":" + (c.ledger.starting_balance || !c.ledger.balances.empty() ? "true" : "false") +
      ",\"permit2_allowance_missing\":" + Permit2AllowanceMissingJson(c.ledger) +
      ",\"timeout_delay_ms\":" + std::to_string(c.timeout_delay_ms) +
      ",\"payment_identifier\":" + Quote(ToString(c.payment_identifier)) +
      ",\"pending_settlements\":" + std::to_string(ctx.settlement != nullptr ? ctx.settlement->pending.size() : 0) +
      ",\"payment_ids_kept\":" + std::to_string(ctx.settlement != nullptr ? ctx.settlement->payment_ids.size() : 0) +
      ",\"history_capacity\":" +
      std::to_string(ctx.history != nullptr ? ctx.history->capacity() : 0) + "}";
  return JsonAnswer(http::status::ok, version, std::move(body));
}

}  // namespace

bool IsReservedPath(std::string_view path) {
  if (path.substr(0, kReservedPrefix.size()) != kReservedPrefix) return false;
  return path.size() == kReservedPrefix.size() || path[kReservedPrefix.size()] == '/';
}

std::optional<std::string> QueryParameter(std::string_view target, std::string_view key,
                                          bool decode) {
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) != key) continue;
    if (eq == std::string_view::npos) return std::string();
    return decode ? PercentDecode(pair.substr(eq + 1)) : std::string(pair.substr(eq + 1));
  }
  return std::nullopt;
}

Response ServeReserved(const Request& request, std::string_view path, const RequestContext& ctx) {
  if (path == "/__x402/requests") return Requests(request, ctx);
  if (path == "/__x402/config") return ConfigAnswer(request, ctx);
  return Error(http::status::not_found, request.version(),
               "unknown endpoint of the mock; it serves /__x402/health, /__x402/requests and "
               "/__x402/config");
}

}  // namespace x402
