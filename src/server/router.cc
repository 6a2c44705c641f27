#include "server/router.h"

#include <boost/json.hpp>
#include <cstdio>
#include <random>
#include <string>
#include <unordered_map>

#include "base/base64.h"
#include "base/build_info.h"
#include "base/text.h"
#include "server/dashboard.h"
#include "server/discovery_routes.h"
#include "server/inspection_routes.h"
#include "server/request_history.h"
#include "net/allowed_hosts.h"
#include "server/response_wire.h"
#include "x402/extensions/bazaar.h"
#include "x402/extensions/payment_identifier.h"
#include "x402/extensions/sign_in_with_x.h"
#include "x402/money.h"
#include "x402/scheme.h"
#include "x402/payment.h"
#include "x402/settle_step.h"
#include "x402/settlement.h"
#include "x402/settlement_charge.h"
#include "x402/simulation_mode.h"
#include "x402/svm/solana_rpc.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr std::string_view kExposeHeaders = "PAYMENT-REQUIRED, PAYMENT-RESPONSE, X-PAYMENT-RESPONSE";
constexpr std::string_view kAllowHeaders =
    "X-PAYMENT, PAYMENT-SIGNATURE, SIGN-IN-WITH-X, X-Simulation-Mode, Settlement-Overrides, Content-Type, "
    "Access-Control-Expose-Headers";
constexpr std::string_view kAllowMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

// Every answer but the facilitator's, the 403 to a foreign Host and the mock's own JSON
// carries CORS: the paywall is for browser clients too (docs/protocol.md §9).
Response Make(http::status status, unsigned version, std::string_view content_type,
              std::string body) {
  Response res{status, version};
  res.set(http::field::server, "x402-dev");
  res.set(http::field::access_control_allow_origin, "*");
  res.set(http::field::access_control_expose_headers, kExposeHeaders);
  if (!content_type.empty()) res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

Response Json(http::status status, unsigned version, std::string body) {
  return Make(status, version, "application/json", std::move(body));
}

// An answer without CORS: a facilitator is called by servers, never by browsers, so no web
// page may read its answers (nor make the mock settle through it from script).
Response PlainJson(http::status status, unsigned version, std::string body) {
  Response res{status, version};
  res.set(http::field::server, "x402-dev");
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

// The mock's own JSON under /__x402/: never cached, never sniffed as another type.
void MarkInspection(Response* res) {
  res->set(http::field::cache_control, "no-store");
  res->set("X-Content-Type-Options", "nosniff");
}

Response MethodNotAllowed(unsigned version, std::string_view allow, std::string_view usage) {
  Response res = PlainJson(http::status::method_not_allowed, version,
                           "{\"error\":\"" + JsonEscape(usage) + "\"}");
  res.set(http::field::allow, allow);
  return res;
}

bool IsGetOrHead(const Request& request) {
  return request.method() == http::verb::get || request.method() == http::verb::head;
}

std::string ErrorJson(std::string_view message) {
  return "{\"error\":\"" + JsonEscape(message) + "\"}";
}

std::string_view PathOf(std::string_view target) {
  const std::size_t q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

std::string ResourceUrl(const Request& request, std::string_view path, const RequestContext& ctx) {
  std::string url = "http://";
  const auto host = request.find(http::field::host);
  if (host != request.end() && !host->value().empty()) {
    url += host->value();
  } else {
    url += ctx.host + ":" + std::to_string(ctx.port);
  }
  url += path;
  return url;
}

Response PreflightResponse(unsigned version) {
  Response res = Make(http::status::no_content, version, "", "");
  res.set(http::field::access_control_allow_methods, kAllowMethods);
  res.set(http::field::access_control_allow_headers, kAllowHeaders);
  res.set(http::field::access_control_max_age, "86400");
  return res;
}

Response HealthResponse(const Request& request, const RequestContext& ctx, unsigned version) {
  if (!IsGetOrHead(request)) {
    Response res = MethodNotAllowed(version, "GET, HEAD", "use GET /__x402/health");
    MarkInspection(&res);
    return res;
  }
  std::string body = "{\"status\":\"ok\",\"version\":\"" + std::string(Version()) +
                     "\",\"pid\":" + std::to_string(ctx.pid) +
                     ",\"port\":" + std::to_string(ctx.port) +
                     ",\"uptime_s\":" + std::to_string(ctx.uptime_seconds);
  if (ctx.history != nullptr) body += ",\"counters\":" + RenderCountersJson(ctx.history->Counters());
  if (ctx.paywall != nullptr) {
    // The discovery catalog (bazaar): the routes the config declares, and what was seen.
    std::size_t declared = 0;
    for (const PriceRule& rule : ctx.paywall->config().pricing.per_resource) declared += rule.discovery ? 1u : 0u;
    body += ",\"bazaar\":{\"declared\":" + std::to_string(declared) + ",\"cataloged\":" +
            std::to_string(ctx.settlement != nullptr ? ctx.settlement->bazaar.size() : 0) + "}";
  }
  if (ctx.paywall != nullptr) {
    body += ",\"simulation_mode\":\"" +
            std::string(ToString(ctx.paywall->config().simulation_mode)) + "\",\"verification\":\"" +
            std::string(ToString(ctx.paywall->config().verification)) + "\"";
  }
  body += "}";
  Response res = Json(http::status::ok, version, std::move(body));
  MarkInspection(&res);
  return res;
}

// The simulated balances: {payer: {balance, spent, payments}}, {} when the ledger is off.
Response LedgerResponse(const Request& request, const RequestContext& ctx, unsigned version) {
  Response res = IsGetOrHead(request)
                     ? PlainJson(http::status::ok, version,
                                 ctx.settlement != nullptr ? ctx.settlement->ledger.RenderJson() : "{}")
                     : MethodNotAllowed(version, "GET, HEAD", "use GET /__x402/ledger");
  MarkInspection(&res);
  return res;
}

// The stand-in Solana RPC (svm/solana_rpc.h): JSON-RPC 2.0 over POST; its errors are JSON-RPC
// errors in a 200, as a node answers them, except a body too large to read (413).
Response SolanaRpcResponse(const Request& request, const RequestContext& ctx, unsigned version) {
  if (request.method() != http::verb::post) {
    Response res = MethodNotAllowed(version, "POST", "POST a JSON-RPC 2.0 call to /__x402/solana-rpc");
    MarkInspection(&res);
    return res;
  }
  svm::SolanaRpcContext rpc;
  rpc.networks = &ctx.paywall->networks();
  rpc.config = &ctx.paywall->config();
  rpc.settlement = ctx.settlement;
  rpc.now = ctx.now_unix;
  const bool too_large = request.body().size() > svm::kMaxSolanaRpcBody;
  Response res = PlainJson(too_large ? http::status::payload_too_large : http::status::ok, version,
                           svm::AnswerSolanaRpc(request.body(), rpc));
  MarkInspection(&res);
  return res;
}

// What a route adds to its 402 besides the options: its extensions (as JSON) and its
// resource's metadata.
struct OfferExtras {
  std::string_view extensions;
  std::string_view resource;
};

Response PaymentRequired(std::span<const PaymentRequirements> options, unsigned version,
                         std::string_view reason, std::string_view v2_error, std::string_view message,
                         OfferExtras extras = {}) {
  Response res = Json(http::status::payment_required, version,
                      RenderPaymentRequiredV1(options, reason, message));
  res.set(kPaymentRequiredHeader,
          Base64Encode(RenderPaymentRequiredV2(options, v2_error, message, extras.extensions, extras.resource)));
  res.set(http::field::cache_control, "no-store");
  return res;
}

// The mode of this request: X-Simulation-Mode when present, else the route's (or server's).
bool ResolveMode(const Request& request, SimulationMode configured, SimulationMode* mode) {
  const auto it = request.find(kSimulationModeHeader);
  if (it == request.end()) {
    *mode = configured;
    return true;
  }
  const auto parsed = ParseSimulationMode(ToLowerAscii(it->value()));
  if (!parsed) return false;
  *mode = *parsed;
  return true;
}

// How the paywall (a resource server) or the mock facilitator checks a payment at |now|.
PaymentCheck CheckFor(const PaywallConfig& config, int64_t now, bool as_facilitator, bool settling = false) {
  PaymentCheck check;
  check.now = now;
  check.verification = config.verification;
  check.v1_rules = config.v1_rules;
  check.as_facilitator = as_facilitator;
  check.settling = settling;
  check.smart_wallets_configured = config.smart_wallet_signatures;
  check.ledger_enabled = config.ledger.enabled();
  check.smart_wallets = EffectiveSmartWalletPolicy(config.smart_wallet_signatures, check.ledger_enabled);
  return check;
}

// What a facilitator's log line says of an upto payment: what it settles of what was authorized.
std::string SettledNote(const PaymentVerdict& v) {
  if (!v.up_to || v.charge.empty()) return {};
  return ", " + v.charge + " of " + v.amount + " authorized (atomic units)";
}

// What an accepted payment's log line adds: what the mock took without checking it (a smart
// wallet's signature: the mock has no chain to call the wallet on).
std::string UncheckedNote(const PaymentVerdict& v) {
  return v.unchecked.empty() ? std::string() : " (" + v.unchecked + ")";
}

// An amount as people read it: "0.05 USDC".
std::string AmountText(const PaymentRequirements& option) {
  return FormatUnits(option.amount.units, option.asset_decimals) + " " + option.asset_symbol;
}

// Names the option in the record: its scheme, network and asset.
void DescribeOption(const PaymentRequirements& option, RequestOutcome* outcome) {
  outcome->scheme = option.scheme;
  outcome->network = option.caip2;
  outcome->asset_symbol = option.asset_symbol;
  outcome->asset_decimals = option.asset_decimals;
}

std::string_view PayerOrUnknown(const PaymentVerdict& v) {
  return v.payer.empty() ? std::string_view("unknown payer") : std::string_view(v.payer);
}

// The offer for one Host and path, built once per thread and paywall snapshot: every request
// for the path, paid or not, is priced with the same requirements, and the history records the
// same JSON, so neither is rebuilt per request. The unpaid 402's bytes (the hot path of every
// client's first request) are kept beside them once served. Per-thread, so no lock is shared
// between server threads; bounded in entries and in bytes (a path can be 8 KiB, its answer
// ~40 KiB), so random paths cannot grow it without limit. The offer's JSON lives in
// allocations of its own, which history records share: a record never holds the cached
// answer's bytes alive.
struct CachedOffer {
  std::vector<PaymentRequirements> options;    // in the offer's order; never empty
  std::shared_ptr<const std::string> v1_json;  // the v1 `accepts` array
  std::shared_ptr<const std::string> v2_json;  // the v2 `accepts` array
  std::string amount;  // the first option's, in atomic units, as the history shows an unpaid one
  Paywall::RouteSettings route;  // the route's mode and extension declarations
  std::string unpaid_wire;  // the unpaid 402 (HTTP/1.1 keep-alive); "" until first served

  std::size_t Bytes() const {
    std::size_t bytes = v1_json->size() + v2_json->size() + route.extensions_json.size() +
                        route.resource_extra_json.size() + 512;
    for (const PaymentRequirements& o : options) bytes += o.resource.size() + o.description.size() + 512;
    return bytes;
  }
};

class OfferCache {
 public:
  static constexpr std::size_t kMaxEntries = 4096;
  static constexpr std::size_t kMaxBytes = 4 * 1024 * 1024;  // per thread
  static constexpr std::size_t kMaxWireBytes = 32 * 1024;    // larger answers are not kept

  std::shared_ptr<CachedOffer> Find(uint64_t generation, int64_t epoch, const std::string& key) {
    if (generation != generation_ || epoch != epoch_) {
      Clear();
      generation_ = generation;
      epoch_ = epoch;
    }
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : it->second;
  }

  /// Keeps |offer| for |key| (when the bound allows) and returns it, shared.
  std::shared_ptr<CachedOffer> Insert(const std::string& key, std::shared_ptr<CachedOffer> offer) {
    const std::size_t size = key.size() + offer->Bytes();
    if (entries_.size() >= kMaxEntries || bytes_ + size > kMaxBytes) Clear();
    if (entries_.emplace(key, offer).second) bytes_ += size;
    return offer;
  }

  /// Keeps |wire| as |offer|'s unpaid answer when it is small enough and the bound allows.
  bool KeepWire(CachedOffer* offer, std::string wire) {
    if (wire.size() > kMaxWireBytes || bytes_ + wire.size() > kMaxBytes) return false;
    bytes_ += wire.size();
    offer->unpaid_wire = std::move(wire);
    return true;
  }

 private:
  void Clear() {
    entries_.clear();
    bytes_ = 0;
  }

  uint64_t generation_ = 0;
  int64_t epoch_ = 0;
  std::size_t bytes_ = 0;
  std::unordered_map<std::string, std::shared_ptr<CachedOffer>> entries_;
};

thread_local OfferCache offer_cache;

bool HasPaymentHeader(const Request& request) {
  return request.find(kPaymentHeaderV2) != request.end() ||
         request.find(kPaymentHeaderV1) != request.end();
}

// A Settlement-Overrides header the mock cannot read: a mistake in the client's test, said at
// once (a reference resource server would ignore it and charge the maximum, hiding it), and
// recorded as an error; nothing is settled.
RouteResult InvalidSettlementOverrides(unsigned version, std::string message) {
  RequestOutcome invalid;
  invalid.verdict = Verdict::kError;
  invalid.reason = "invalid_settlement_overrides";
  invalid.message = std::move(message);
  return {nullptr, Json(http::status::bad_request, version, ErrorJson(invalid.message)), {}, {}, std::move(invalid)};
}

// What the resource settles a valid payment for: the request's Settlement-Overrides (as a
// reference resource server takes its handler's), else an upto option's charge, else what the
// payment authorizes. An upto payment is charged that (the settle step refuses more than
// authorized); an exact one settled for another amount is refused as its facilitator refuses
// it. False when the header does not read.
// |text|, at most |max| bytes of it (what a client sent, quoted back in a message).
std::string Quoted(std::string_view text, std::size_t max = 80) {
  return text.size() <= max ? std::string(text) : std::string(text.substr(0, max)) + "…";
}

bool SetCharge(const Request& request, PaymentVerdict* verdict) {
  std::string charge = verdict->up_to ? verdict->option->charge : std::string();
  const auto overrides = request.find(kSettlementOverridesHeader);
  if (overrides != request.end() && verdict->version == 2) {  // v1 servers have no overrides
    std::string problem;
    const auto text = ChargeFromOverridesHeader(overrides->value(), &problem);
    if (!text) return false;
    charge = *text;
  }
  if (charge.empty()) {
    if (verdict->up_to) verdict->charge = verdict->amount;
    return true;
  }
  const Uint256 authorized = ParseAtomic(verdict->amount).value_or(AtomicAmount{}).units;
  const auto units = ResolveCharge(charge, authorized, verdict->option->asset_decimals);
  if (verdict->up_to) {
    // Too large for a uint256 is above the maximum too.
    verdict->charge = units ? units->ToDecimal() : Quoted(charge);
    return true;
  }
  if (units && *units == authorized) return true;
  verdict->valid = false;
  verdict->reason = std::string(verdict->chain != nullptr ? verdict->chain->amount_mismatch : "invalid_payload");
  verdict->message = "Settlement-Overrides settles " + (units ? units->ToDecimal() : Quoted(charge)) +
                     " but an exact payment is settled for what it authorizes, " + verdict->amount +
                     ", exactly (the facilitator refuses another amount); offer upto to charge less";
  return true;
}

// The message of a bad X-Simulation-Mode header.
std::string InvalidModeMessage() {
  return "X-Simulation-Mode must be one of " + std::string(SimulationModeNames());
}

// An answer the mock gives instead of checking the payment (400, 409), recorded as an error.
RouteResult Refusal(http::status status, unsigned version, std::string_view reason, std::string message,
                    bool facilitator = false) {
  RequestOutcome invalid;
  invalid.verdict = Verdict::kError;
  invalid.reason = std::string(reason);
  invalid.message = std::move(message);
  const std::string body = facilitator ? "{\"success\":false,\"errorReason\":\"" + std::string(reason) +
                                             "\",\"errorMessage\":\"" + JsonEscape(invalid.message) +
                                             "\",\"transaction\":\"\",\"network\":\"\"}"
                                       : "{\"error\":\"" + JsonEscape(invalid.message) + "\",\"reason\":\"" +
                                             std::string(reason) + "\"}";
  Response res = facilitator ? PlainJson(status, version, body) : Json(status, version, body);
  return {nullptr, std::move(res), {}, {}, std::move(invalid)};
}

// A claim on a payment's id (payment-identifier): the answer of a payment that settled is kept
// for its repeats; any other outcome forgets the id, so that the payment is checked again.
class IdClaim {
 public:
  IdClaim() = default;
  IdClaim(const IdClaim&) = delete;
  IdClaim& operator=(const IdClaim&) = delete;
  ~IdClaim() {
    if (store_ != nullptr) store_->Finish(scope_, id_, std::move(answer_));
  }
  void Arm(PaymentIdentifierStore* store, std::string scope, std::string id) {
    store_ = store;
    scope_ = std::move(scope);
    id_ = std::move(id);
  }
  bool armed() const { return store_ != nullptr; }
  void Keep(std::shared_ptr<const PaymentIdentifierStore::Answer> answer) { answer_ = std::move(answer); }

 private:
  PaymentIdentifierStore* store_ = nullptr;
  std::string scope_;
  std::string id_;
  std::shared_ptr<const PaymentIdentifierStore::Answer> answer_;
};

// The payment's id, looked up before the payment is verified (payment_identifier.h): a repeat
// is answered from the store, a conflict or a bad or missing id refused; a new id is claimed
// in |*claim|. Returns the answer when the request is decided here.
std::optional<RouteResult> CheckPaymentIdentifier(const json::object& payment, PaymentIdentifierPolicy policy,
                                                  std::string_view scope, unsigned version, const RequestContext& ctx,
                                                  bool facilitator, IdClaim* claim) {
  const PaymentIdentifier id = ReadPaymentIdentifier(payment);
  if (id.kind == PaymentIdentifier::Kind::kInvalid) {
    return Refusal(http::status::bad_request, version, "invalid_payment_identifier", id.problem, facilitator);
  }
  if (id.kind == PaymentIdentifier::Kind::kAbsent) {
    if (policy != PaymentIdentifierPolicy::kRequired && !id.required) return std::nullopt;
    return Refusal(http::status::bad_request, version, "payment_identifier_required",
                   "this resource requires the payment-identifier extension: add extensions[\"payment-identifier\"]"
                   ".info.id (appendPaymentIdentifierToExtensions() in @x402/extensions/payment-identifier)",
                   facilitator);
  }
  std::shared_ptr<const PaymentIdentifierStore::Answer> first;
  switch (ctx.settlement->payment_ids.Begin(scope, id.id, PaymentDigest(payment), &first)) {
    case PaymentIdentifierStore::Claim::kNew:
      claim->Arm(&ctx.settlement->payment_ids, std::string(scope), id.id);
      return std::nullopt;
    case PaymentIdentifierStore::Claim::kConflict:
      return Refusal(http::status::conflict, version, "payment_identifier_conflict",
                     "payment id " + id.id + " was used before for another payment; a retry sends the same "
                     "payment again, a new payment needs a new id", facilitator);
    case PaymentIdentifierStore::Claim::kInProgress:
      return Refusal(http::status::conflict, version, "payment_identifier_in_progress",
                     "a payment with id " + id.id + " is being processed right now; retry when it is answered",
                     facilitator);
    case PaymentIdentifierStore::Claim::kRepeat: break;
  }
  Response res = facilitator ? PlainJson(static_cast<http::status>(first->status), version, first->body)
                             : Json(static_cast<http::status>(first->status), version, first->body);
  for (const auto& [name, value] : first->headers) res.set(name, value);
  RequestOutcome outcome;
  outcome.verdict = facilitator ? Verdict::kOther : Verdict::kRepeated;
  outcome.payer = first->payer;
  outcome.amount = first->amount;
  outcome.settlement = first->settlement;
  outcome.transaction = first->transaction;
  outcome.reason = "payment_identifier_repeat";
  outcome.message = "the same payment again (payment id " + id.id +
                    "): answered as the first time, not settled again";
  return RouteResult{nullptr, std::move(res), {}, {}, std::move(outcome)};
}

// The 200 a paid request gets: its body, as the paywall's resource answers.
std::string PaidBody(std::string_view path, const PaymentRequirements& req, const PaymentVerdict& verdict,
                     std::string_view transaction, int payment_version) {
  std::string body;
  body.reserve(256 + path.size());
  body += "{\"paid\":true,\"resource\":\"";
  body += JsonEscape(path);
  body += "\",\"price_usd\":\"";
  body += FormatUnits(req.amount.units, req.asset_decimals);  // the asset is worth 1 USD
  body += "\",\"amount\":\"";
  body += verdict.settled_amount();
  body += "\",\"scheme\":\"";
  body += req.scheme;
  body += "\",\"network\":\"";
  body += payment_version == 2 ? req.caip2 : req.network;
  body += "\",\"asset\":\"";
  body += req.asset;
  body += "\",\"payer\":\"";
  body += JsonEscape(verdict.payer);
  body += "\",\"transaction\":\"";
  body += transaction;
  body += "\",\"x402Version\":";
  body += payment_version == 2 ? '2' : '1';
  body += '}';
  return body;
}

int64_t NowMs(const RequestContext& ctx) { return ctx.now_unix_ms != 0 ? ctx.now_unix_ms : ctx.now_unix * 1000; }

// Where the client reached the mock, as URL.origin writes it ("http://host:port", the host in
// lower case, no default port): what a sign-in's domain and uri must say.
std::string OriginOf(const Request& request, const RequestContext& ctx) {
  const auto host = request.find(http::field::host);
  const std::string raw = host != request.end() && !host->value().empty()
                              ? "http://" + std::string(host->value())
                              : "http://" + ctx.host + ":" + std::to_string(ctx.port);
  return NormalizedOrigin(raw).value_or(raw);
}

// 16 random bytes as hex, as enrichSIWxPaymentRequiredResponse() makes a nonce.
std::string FreshNonce() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()));
  return hex;
}

// The route's extensions with a fresh sign-in-with-x challenge (server.ts,
// enrichSIWxPaymentRequiredResponse()): the origin the client reached, the resource's URL at
// it, a new nonce, now, and the networks of the route's options.
std::string ExtensionsWithChallenge(const Paywall::RouteSettings& route, std::span<const PaymentRequirements> options,
                                    const Request& request, const RequestContext& ctx) {
  json::object extensions;
  if (!route.extensions_json.empty()) {
    boost::system::error_code ec;
    json::value parsed = json::parse(route.extensions_json, ec);
    if (!ec && parsed.is_object()) extensions = std::move(parsed.get_object());
  }
  const std::string origin = OriginOf(request, ctx);
  SiwxChallenge challenge;
  challenge.domain = origin.substr(7);
  // rebaseResourcePath(): the resource's path and query at the origin.
  challenge.uri = origin + std::string(request.target());
  challenge.nonce = FreshNonce();
  challenge.issued_at_ms = NowMs(ctx);
  for (const PaymentRequirements& option : options) {
    if (std::find(challenge.networks.begin(), challenge.networks.end(), option.caip2) == challenge.networks.end()) {
      challenge.networks.push_back(option.caip2);
    }
  }
  extensions[kSignInWithXExtension] = DeclareSiwx(*route.sign_in_with_x, challenge);
  return json::serialize(extensions);
}

// A SIGN-IN-WITH-X header, checked as createSIWxRequestHook() checks it: parsed, validated
// against the origin, its signature verified, its nonce not used before, and its wallet one
// that paid for |path|. The answer when it signs in; otherwise nothing, with the reason in
// |*refused|.
std::optional<RouteResult> SignIn(std::string_view header, std::string_view path, const Request& request,
                                  const RequestContext& ctx, std::optional<SiwxRefusal>* refused) {
  const int64_t now_ms = NowMs(ctx);
  SiwxPayload payload;
  std::string problem;
  if (!ParseSiwxHeader(header, &payload, &problem)) {
    *refused = SiwxRefusal{"invalid_siwx_header", problem};
    return std::nullopt;
  }
  if (auto invalid = ValidateSiwx(payload, OriginOf(request, ctx), now_ms)) {
    *refused = std::move(invalid);
    return std::nullopt;
  }
  std::string payer;
  if (auto invalid = VerifySiwxSignature(payload, &payer)) {
    *refused = std::move(invalid);
    return std::nullopt;
  }
  SettlementState& state = *ctx.settlement;
  if (state.siwx_nonces.Used(payload.nonce, now_ms)) {
    *refused = SiwxRefusal{"invalid_siwx_nonce", "Nonce validation failed (possible replay attack): nonce " +
                                                     payload.nonce + " signed in before"};
    return std::nullopt;
  }
  if (!state.siwx_paid.HasPaid(path, payer)) {
    *refused = SiwxRefusal{"siwx_payment_required", payer + " has not paid for " + std::string(path) +
                                                        " (the mock remembers who paid for each path): pay once, then sign in"};
    return std::nullopt;
  }
  if (!state.siwx_nonces.Record(payload.nonce, now_ms)) {  // another request signed in with it meanwhile
    *refused = SiwxRefusal{"invalid_siwx_nonce", "Nonce validation failed (possible replay attack): nonce " +
                                                     payload.nonce + " signed in before"};
    return std::nullopt;
  }
  RequestOutcome outcome;
  outcome.verdict = Verdict::kSignedIn;
  outcome.x402_version = 2;
  outcome.payment_header = kSignInWithXHeader;
  outcome.payment_value = std::string(header);
  outcome.payer = payer;
  outcome.details = {{"nonce", payload.nonce}, {"chain", payload.chain_id}, {"signature", payload.type}};
  outcome.note = "signed in with " + payload.type + ": paid for " + std::string(path) + " before";
  std::string body = "{\"signed_in\":true,\"resource\":\"" + JsonEscape(path) + "\",\"address\":\"" +
                     JsonEscape(payer) + "\",\"chainId\":\"" + JsonEscape(payload.chain_id) + "\"}";
  Response res = Json(http::status::ok, request.version(), std::move(body));
  res.set(http::field::cache_control, "private");
  return RouteResult{nullptr, std::move(res), {}, {}, std::move(outcome)};
}

RouteResult ServePaywall(const Request& request, std::string_view path, const RequestContext& ctx) {
  const Paywall& paywall = *ctx.paywall;
  const unsigned version = request.version();

  // A mode the mock does not know is a mistake in the client's test, said at once, whether or
  // not the request pays (it would otherwise look like the configured mode applied).
  SimulationMode header_mode;
  if (!ResolveMode(request, paywall.config().simulation_mode, &header_mode)) {
    return Refusal(http::status::bad_request, version, "invalid_simulation_mode", InvalidModeMessage());
  }

  // Reused per thread: the key of every lookup is built without allocating.
  thread_local std::string cache_key;
  cache_key.clear();
  const auto host = request.find(http::field::host);
  if (host != request.end()) cache_key += host->value();
  cache_key += '\n';
  cache_key += path;
  // The cache holds one snapshot's answers, for as long as their per-402 fields (a Solana
  // option's recentBlockhash) stay the same.
  std::shared_ptr<CachedOffer> offer =
      offer_cache.Find(paywall.generation(), paywall.DynamicEpoch(ctx.now_unix), cache_key);
  if (offer) {
    // Only the plain HTTP/1.1 keep-alive form of the unpaid 402 is kept; HEAD, HTTP/1.0 and
    // "Connection: close" differ in their bytes and are rendered each time.
    const bool plain = !HasPaymentHeader(request) && version == 11 && request.keep_alive() &&
                       request.method() != http::verb::head && !ctx.closing;
    if (plain && !offer->unpaid_wire.empty()) {
      RouteResult hit;
      hit.raw = std::shared_ptr<const std::string>(offer, &offer->unpaid_wire);
      hit.outcome.verdict = Verdict::kUnpaid;
      hit.outcome.amount = offer->amount;
      hit.outcome.requirements = offer->v2_json;
      DescribeOption(offer->options.front(), &hit.outcome);
      hit.outcome.options_offered = static_cast<int>(offer->options.size());
      return hit;
    }
  } else {
    auto built = std::make_shared<CachedOffer>();
    built->options = paywall.RequirementsFor(path, ResourceUrl(request, path, ctx), ctx.now_unix);
    built->route = paywall.RouteSettingsFor(path);
    built->v1_json = std::make_shared<const std::string>(RenderAcceptsV1(built->options));
    built->v2_json = std::make_shared<const std::string>(RenderAcceptsV2(built->options));
    built->amount = AtomicString(built->options.front().amount);
    offer = offer_cache.Insert(cache_key, std::move(built));
  }
  const std::span<const PaymentRequirements> options = offer->options;
  const Paywall::RouteSettings& route = offer->route;
  const SimulationMode mode = request.find(kSimulationModeHeader) != request.end() ? header_mode : route.simulation_mode;

  int payment_version = 0;
  std::string_view header;
  if (auto it = request.find(kPaymentHeaderV2); it != request.end()) {
    payment_version = 2;
    header = it->value();
  } else if (auto it1 = request.find(kPaymentHeaderV1); it1 != request.end()) {
    payment_version = 1;
    header = it1->value();
  }
  // A route that offers sign-in-with-x gives each 402 a fresh challenge, so its unpaid answer
  // is rendered every time (not kept as bytes).
  const std::string extensions =
      route.sign_in_with_x ? ExtensionsWithChallenge(route, options, request, ctx) : std::string();
  const OfferExtras extras{route.sign_in_with_x ? std::string_view(extensions) : std::string_view(route.extensions_json),
                           route.resource_extra_json};
  // A wallet that paid before signs in instead of paying (createSIWxRequestHook()).
  std::optional<SiwxRefusal> sign_in_refused;
  if (route.sign_in_with_x && ctx.settlement != nullptr) {
    if (auto it = request.find(kSignInWithXHeader); it != request.end() && !it->value().empty()) {
      if (auto served = SignIn(it->value(), path, request, ctx, &sign_in_refused)) return std::move(*served);
    }
  }
  if (payment_version == 0) {
    // A failed sign-in is answered as the reference answers it (its hook lets the request go
    // on to the 402), with its reason and words in the 402 so that they are not lost.
    const std::string_view reason = sign_in_refused ? std::string_view(sign_in_refused->reason) : "X-PAYMENT header is required";
    const std::string_view v2_error = sign_in_refused ? reason : "Payment required";
    const std::string_view message = sign_in_refused ? std::string_view(sign_in_refused->message) : "";
    RouteResult result{nullptr, PaymentRequired(options, version, reason, v2_error, message, extras), {}, {}};
    if (sign_in_refused) {
      result.outcome.reason = sign_in_refused->reason;
      result.outcome.message = sign_in_refused->message;
      result.outcome.payment_header = kSignInWithXHeader;
      result.outcome.payment_value = std::string(request.find(kSignInWithXHeader)->value());
    }
    result.outcome.verdict = Verdict::kUnpaid;
    result.outcome.amount = offer->amount;
    result.outcome.requirements = offer->v2_json;
    DescribeOption(options.front(), &result.outcome);
    result.outcome.options_offered = static_cast<int>(options.size());
    const bool plain = version == 11 && request.keep_alive() &&
                       request.method() != http::verb::head && !ctx.closing && !route.sign_in_with_x;
    if (plain) {
      result.response.keep_alive(true);
      result.response.prepare_payload();
      std::string wire;
      RenderResponse(result.response, &wire);
      if (offer_cache.KeepWire(offer.get(), std::move(wire))) {
        result.raw = std::shared_ptr<const std::string>(offer, &offer->unpaid_wire);
      }
    }
    return result;
  }

  // A payment that names itself (payment-identifier, v2 only: v1 payments carry no
  // extensions) is looked up before it is verified.
  IdClaim claim;
  if (payment_version == 2 && route.payment_identifier != PaymentIdentifierPolicy::kOff && ctx.settlement != nullptr) {
    boost::system::error_code ec;
    const auto text = Base64Decode(header);
    json::value decoded = text ? json::parse(*text, ec) : json::value();
    // An unreadable payment is left to verification, which says what is wrong with it.
    if (text && !ec && decoded.is_object()) {
      // Ids are per route: the same id on another path is another request.
      if (auto decided = CheckPaymentIdentifier(decoded.get_object(), route.payment_identifier,
                                                "paywall " + std::string(path), version,
                                                ctx, /*facilitator=*/false, &claim)) {
        decided->outcome.x402_version = payment_version;
        decided->outcome.payment_header = kPaymentHeaderV2;
        decided->outcome.payment_value = std::string(header);
        decided->outcome.requirements = offer->v2_json;
        if (decided->outcome.verdict == Verdict::kError) {
          decided->response.set(kPaymentRequiredHeader,
                                Base64Encode(RenderPaymentRequiredV2(options, decided->outcome.reason,
                                                                     decided->outcome.message, extras.extensions,
                                                                     extras.resource)));
        }
        return std::move(*decided);
      }
    }
  }

  // What the access log and the history say about a request that carried a payment.
  RequestOutcome outcome;
  if (sign_in_refused) outcome.note = "sign-in-with-x refused (" + sign_in_refused->reason + "), paid instead";
  outcome.x402_version = payment_version;
  outcome.payment_header = payment_version == 2 ? kPaymentHeaderV2 : kPaymentHeaderV1;
  outcome.payment_value = std::string(header);
  outcome.amount = offer->amount;
  outcome.requirements = payment_version == 2 ? offer->v2_json : offer->v1_json;
  outcome.options_offered = static_cast<int>(options.size());

  const PaywallConfig& config = paywall.config();
  const PaymentCheck check = CheckFor(config, ctx.now_unix, /*as_facilitator=*/false);
  PaymentVerdict verdict = VerifyPaymentHeader(header, payment_version, options, check);
  if (verdict.valid && !SetCharge(request, &verdict)) {
    return InvalidSettlementOverrides(version, "Settlement-Overrides must be JSON with the charge as a string: "
                                               "{\"amount\": \"1500\" | \"$0.0015\" | \"50%\"}");
  }
  // A payment the pending mode settled comes again (the client's retry): reconciled against
  // its transaction, whatever the mode now, as the reference's settle finds it in its
  // PendingSettlementStore before anything else.
  std::string transaction;
  bool reconciled = false;
  if (ctx.settlement != nullptr && verdict.valid && SettlesPayment(mode)) {
    if (auto pending = ctx.settlement->pending.Take(verdict.replay_key, ctx.now_unix)) {
      transaction = std::move(*pending);
      reconciled = true;
    }
  }
  if (ctx.settlement != nullptr && verdict.valid && !reconciled) {
    // Only a payment that settles is remembered (and debited); the other modes only look, and
    // leave no trace. Settle() refuses a used authorization itself, in the same step.
    if (SettlesPayment(mode)) {
      Settle(*ctx.settlement, config, ctx.now_unix, &verdict);
    } else if (mode != SimulationMode::kRpcOutage) {
      CheckOnChainState(*ctx.settlement, config, ctx.now_unix, &verdict);
    }
  }
  const bool outage = verdict.valid && mode == SimulationMode::kRpcOutage;
  if (outage) {
    // The facilitator's verify cannot reach its RPC: the reference's answer (ChainReasons).
    verdict.valid = false;
    verdict.reason = std::string(verdict.chain != nullptr ? verdict.chain->unreachable_at_verify : kUnexpectedVerifyError);
    verdict.message = verdict.chain != nullptr && !verdict.chain->unreachable_message.empty()
                          ? std::string(verdict.chain->unreachable_message)
                          : std::string("simulated rpc-outage: the facilitator's RPC is unreachable");
  }
  outcome.payer = verdict.payer;
  // The transaction id may come from the scheme's details (Solana's co-signature): taken before
  // the details move to the record.
  if (verdict.valid && SettlesPayment(mode) && !reconciled) transaction = SettledTransaction(verdict);
  outcome.details = std::move(verdict.details);
  if (!verdict.valid) {
    outcome.verdict = outage ? Verdict::kSimulatedFailure : Verdict::kRejected;
    outcome.reason = verdict.reason;
    outcome.message = verdict.message;
    // The option the payment named, when it named one the offer has: its price and asset.
    std::string what = "v" + std::to_string(payment_version);
    if (verdict.option != nullptr) {
      DescribeOption(*verdict.option, &outcome);
      outcome.amount = AtomicString(verdict.option->amount);
      what = AmountText(*verdict.option) + " on " + verdict.option->caip2 + ", " + what;
    } else {
      outcome.amount.clear();
    }
    RouteResult refused{nullptr,
                        PaymentRequired(options, version, verdict.reason, verdict.reason, verdict.message, extras),
                        {},
                        std::string(outage ? "payment refused (simulated rpc-outage): " : "payment refused: ") +
                            std::string(path) + " (" + what + ") from " + std::string(PayerOrUnknown(verdict)) +
                            ": " + verdict.reason + ": " + verdict.message,
                        std::move(outcome)};
    refused.log_warning = verdict.mock_limit;
    return refused;
  }
  const PaymentRequirements& req = *verdict.option;
  DescribeOption(req, &outcome);
  outcome.amount = verdict.settled_amount();

  const std::string_view response_header =
      payment_version == 2 ? kPaymentResponseHeaderV2 : kPaymentResponseHeaderV1;
  // What the log lines say about the payment; built only where a line is written.
  auto outcome_suffix = [&] {
    return std::string(path) + " (" + AmountText(req) + " on " + req.caip2 + ", v" +
           std::to_string(payment_version) + ") from " + verdict.payer + UncheckedNote(verdict);
  };
  const auto delay = std::chrono::milliseconds(config.timeout_delay_ms);
  if (SettlesPayment(mode)) {
    // createSIWxSettleHook(): a settled payment (told or not: the money moved) lets its payer
    // sign in to the path later. A pending one is recorded when it is reconciled.
    if (route.sign_in_with_x && ctx.settlement != nullptr && (reconciled || mode != SimulationMode::kPending)) {
      ctx.settlement->siwx_paid.Record(path, verdict.payer);
    }
    outcome.settled_resource = std::string(path);
    outcome.payer_not_told = !reconciled && (mode == SimulationMode::kPending || mode == SimulationMode::kLostResponse);
  }
  // The pending mode's first answer; a reconciled retry is answered as a success.
  if (mode == SimulationMode::kPending && !reconciled) {
    const std::string why = "the transaction was sent but its receipt did not arrive in time (simulated pending "
                            "mode); settle the same payment again to reconcile";
    if (ctx.settlement != nullptr) ctx.settlement->pending.Remember(verdict.replay_key, transaction, ctx.now_unix);
    if (claim.armed()) {
      // The money moved: the id stays taken, so a re-signed payment under it is a conflict,
      // while the same payment again goes through to be reconciled.
      auto answer = std::make_shared<PaymentIdentifierStore::Answer>();
      answer->reprocess = true;
      claim.Keep(std::move(answer));
    }
    outcome.verdict = Verdict::kSettlementPending;
    outcome.reason = std::string(kSettlementPending);
    outcome.message = why;
    outcome.transaction = transaction;
    outcome.settlement = RenderFailedSettlement(verdict, req, kSettlementPending, why, transaction);
    Response res = PaymentRequired(options, version, kSettlementPending, kSettlementPending, why, extras);
    res.set(response_header, Base64Encode(outcome.settlement));
    return {nullptr, std::move(res), {}, "payment pending (simulated): " + outcome_suffix() + " tx " + transaction,
            std::move(outcome)};
  }
  if (SettlesPayment(mode)) {
    const std::string body = PaidBody(path, req, verdict, transaction, payment_version);
    outcome.verdict = Verdict::kPaid;
    outcome.settlement = RenderSettlement(verdict, req, transaction);
    const std::string settlement_header = Base64Encode(outcome.settlement);
    outcome.transaction = transaction;
    if (!verdict.unchecked.empty()) outcome.note += (outcome.note.empty() ? "" : "; ") + verdict.unchecked;
    if (reconciled) outcome.note += std::string(outcome.note.empty() ? "" : "; ") + "reconciled with its pending settlement";
    if (claim.armed()) {
      auto answer = std::make_shared<PaymentIdentifierStore::Answer>();
      answer->status = 200;
      answer->headers = {{std::string(response_header), settlement_header}, {"Cache-Control", "private"}};
      answer->body = body;
      answer->settlement = outcome.settlement;
      answer->transaction = transaction;
      answer->payer = verdict.payer;
      answer->amount = outcome.amount;
      claim.Keep(std::move(answer));
    }
    if (mode == SimulationMode::kLostResponse) {
      // Settled (used, debited, recorded), and then the answer is lost on its way: what a
      // client meets when a proxy or the network drops it. A careless client pays again.
      outcome.verdict = Verdict::kLostResponse;
      outcome.reason = "lost_response";
      outcome.message = "the payment was settled (tx " + transaction +
                        "), then the answer was lost: 502 (simulated lost-response mode)";
      Response res = Json(http::status::bad_gateway, version,
                          ErrorJson("Bad Gateway: the upstream answer was lost (simulated lost-response mode)"));
      return {nullptr, std::move(res), {}, "payment settled, answer lost (simulated): " + outcome_suffix() + " tx " + transaction,
              std::move(outcome)};
    }
    RouteResult paid;
    if (version == 11 && request.keep_alive() && request.method() != http::verb::head && !ctx.closing) {
      // The common case, written straight into its bytes: the same answer Beast renders
      // (tests/unit/router_test.cc compares them), without a field allocation per header.
      auto wire = std::make_shared<std::string>();
      RenderKeepAliveJson(
          200, "OK",
          {{"Server", "x402-dev"},
           {"Access-Control-Allow-Origin", "*"},
           {"Access-Control-Expose-Headers", kExposeHeaders},
           {"Content-Type", "application/json"},
           {response_header, settlement_header},
           {"Cache-Control", "private"}},
          body, wire.get());
      paid.raw = std::move(wire);
      paid.raw_status = 200;
    } else {
      paid.response = Json(http::status::ok, version, body);
      paid.response.set(response_header, settlement_header);
      paid.response.set(http::field::cache_control, "private");
    }
    if (mode == SimulationMode::kSlow) {
      paid.delay = delay;
      paid.log_line = "payment accepted after " + std::to_string(config.timeout_delay_ms) +
                      " ms (simulated slow mode): " + outcome_suffix() + " tx " + transaction;
    } else if (!ctx.access_log) {
      // With the access log on, the access line says all this (and the transaction).
      paid.log_line = "payment accepted: " + outcome_suffix() + " tx " + transaction;
    }
    paid.outcome = std::move(outcome);
    return paid;
  }
  if (mode == SimulationMode::kFailure) {
    // A real reason value, so x402's zod schemas parse the answer; the words go beside it.
    constexpr std::string_view kWhy = "payment rejected (simulated failure mode)";
    Response res = PaymentRequired(options, version, kUnexpectedSettleError, kUnexpectedSettleError, kWhy, extras);
    outcome.verdict = Verdict::kSimulatedFailure;
    outcome.reason = std::string(kUnexpectedSettleError);
    outcome.message = std::string(kWhy);
    outcome.settlement = RenderFailedSettlement(verdict, req, kUnexpectedSettleError, kWhy);
    res.set(response_header, Base64Encode(outcome.settlement));
    return {nullptr, std::move(res), {},
            "payment rejected (simulated failure): " + outcome_suffix() + ": " + std::string(kUnexpectedSettleError),
            std::move(outcome)};
  }
  // Timeout: nothing settled, a 408 after the delay.
  Response res = Json(http::status::request_timeout, version, ErrorJson("payment settlement timed out (simulated)"));
  outcome.verdict = Verdict::kSimulatedTimeout;
  outcome.reason = "settlement_timeout";
  outcome.message = "payment settlement timed out (simulated)";
  return {nullptr, std::move(res), delay,
          "payment timed out (simulated, " + std::to_string(config.timeout_delay_ms) + " ms): " + outcome_suffix(),
          std::move(outcome)};
}

// --- mock facilitator (docs/protocol.md §7) ----------------------------------------------------

// Every kind the mock facilitator settles: each scheme on each network of its family the
// paywall's table knows (the built-in ones and the config's) where it can move an asset, v1
// under the network's v1 name where x402 1.2.0 knows it and v2 under its CAIP-2 id, as
// @x402/core's facilitator lists them (x402Facilitator.getSupported()): {x402Version, scheme,
// network[, extra]}.
std::string SupportedJson(const Paywall& paywall) {
  json::array kinds;
  json::object signers;
  for (const std::unique_ptr<Scheme>& scheme : paywall.schemes().all()) {
    bool any = false;
    for (const NetworkInfo& network : paywall.networks().all()) {
      if (network.family != scheme->family()) continue;
      // Only where the scheme can move one of the network's assets: a server offering what
      // /supported lists must be paid.
      bool payable = false;
      for (const AssetInfo& asset : network.assets) {
        PaymentRequirements probe;
        probe.caip2 = network.caip2;
        probe.asset = asset.address;
        payable = payable || scheme->PrepareOption(network, asset, "", &probe).ok();
      }
      if (!payable) continue;
      any = true;
      const json::object extra = scheme->SupportedExtra(network);
      for (int x402_version : {1, 2}) {
        if (!scheme->SpeaksVersion(x402_version)) continue;
        // v1 kinds only under the names x402 1.2.0's network enum knows: its
        // SupportedPaymentKindsResponseSchema refuses the whole answer over one other name.
        if (x402_version == 1 && !network.in_x402_v1_enum) continue;
        const std::string& name = x402_version == 1 ? network.v1_name : network.caip2;
        json::object kind{{"x402Version", x402_version}, {"scheme", scheme->name()}, {"network", name}};
        if (!extra.empty()) kind["extra"] = extra;
        kinds.push_back(std::move(kind));
      }
    }
    if (!any) continue;
    json::value& entry = signers[std::string(scheme->family()) + ":*"];
    if (!entry.is_array()) entry.emplace_array();
    json::array& family_signers = entry.get_array();
    if (std::find(family_signers.begin(), family_signers.end(), json::value(scheme->FacilitatorSigner())) ==
        family_signers.end()) {
      family_signers.emplace_back(scheme->FacilitatorSigner());
    }
  }
  // The extensions it acts on (x402Facilitator.registerExtension()): it catalogs bazaar
  // declarations and serves /discovery/*.
  return json::serialize(json::object{{"kinds", std::move(kinds)},
                                      {"extensions", json::array{json::value(kBazaarExtension)}},
                                      {"signers", std::move(signers)}});
}

// The resource a facilitator call is about: v1's requirements name it, v2's payload does
// (paymentPayload.resource.url).
std::string ResourceOf(const json::value& payload, const PaymentRequirements& req) {
  if (!req.resource.empty()) return req.resource;
  if (const json::object* p = payload.if_object()) {
    if (const json::value* resource = p->if_contains("resource"); resource != nullptr && resource->is_object()) {
      if (const json::value* url = resource->get_object().if_contains("url"); url != nullptr && url->is_string()) {
        return std::string(url->get_string());
      }
    }
  }
  return "(no resource named)";
}

// "/facilitator" alone is the base URL people paste; it is the facilitator's too, not priced.
bool IsFacilitatorPath(std::string_view path) {
  return path == "/facilitator" || path.substr(0, 13) == "/facilitator/";
}

RouteResult Facilitator(const Request& request, std::string_view action, const RequestContext& ctx) {
  const unsigned version = request.version();
  if (action == "supported") {
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
      Response res = PlainJson(http::status::method_not_allowed, version,
                          ErrorJson("use GET /facilitator/supported"));
      res.set(http::field::allow, "GET, HEAD");
      return {nullptr, std::move(res), {}, {}};
    }
    return {nullptr, PlainJson(http::status::ok, version, SupportedJson(*ctx.paywall)), {}, {}};
  }
  if (action == "discovery/resources" || action == "discovery/search") {
    RouteResult listed{nullptr, DiscoveryAnswer(request, action.substr(10), ctx), {}, {}};
    listed.outcome.unrecorded = true;  // polled (the dashboard does): not recorded, as /__x402/* is not
    return listed;
  }
  if (action != "verify" && action != "settle") {
    return {nullptr, PlainJson(http::status::not_found, version,
                 ErrorJson("unknown facilitator endpoint; use /facilitator/verify, /facilitator/settle, "
                           "/facilitator/supported, /facilitator/discovery/resources or "
                           "/facilitator/discovery/search")),
            {}, {}};
  }
  if (request.method() != http::verb::post) {
    Response res = PlainJson(http::status::method_not_allowed, version,
                        ErrorJson("use POST /facilitator/" + std::string(action)));
    res.set(http::field::allow, "POST");
    return {nullptr, std::move(res), {}, {}};
  }

  auto bad_request = [version](std::string_view message) {
    return RouteResult{nullptr, PlainJson(http::status::bad_request, version, ErrorJson(message)), {}, {}};
  };
  boost::system::error_code ec;
  json::value body = json::parse(request.body(), ec);
  if (ec || !body.is_object()) return bad_request("the request body must be a JSON object");
  const json::object& obj = body.get_object();
  const json::value* payload = obj.if_contains("paymentPayload");
  const json::value* requirements_json = obj.if_contains("paymentRequirements");
  if (payload == nullptr || requirements_json == nullptr) {
    return bad_request("the body needs paymentPayload and paymentRequirements");
  }
  int x402_version = 0;
  const json::value* v = obj.if_contains("x402Version");
  if (v == nullptr && payload->is_object()) v = payload->get_object().if_contains("x402Version");
  // The number 1 or 2 (1.0 is 1, as in JavaScript); not 1.5, not "2".
  if (v != nullptr && v->is_number()) {
    const double number = v->to_number<double>();
    if (number == 1.0 || number == 2.0) x402_version = static_cast<int>(number);
  }
  if (x402_version == 0) return bad_request("x402Version must be the number 1 or 2");

  PaymentRequirements req;
  std::string problem;
  if (!ParseRequirementsJson(*requirements_json, x402_version, ctx.paywall->networks(),
                             ctx.paywall->schemes(), &req, &problem)) {
    return bad_request(problem);
  }
  SimulationMode mode;
  if (!ResolveMode(request, ctx.paywall->config().simulation_mode, &mode)) return bad_request(InvalidModeMessage());
  const bool settling = action == "settle";
  // A settle that names its payment (payment-identifier) is looked up before it is verified.
  IdClaim claim;
  if (settling && x402_version == 2 && payload->is_object() && ctx.settlement != nullptr) {
    if (auto decided = CheckPaymentIdentifier(payload->get_object(), PaymentIdentifierPolicy::kOptional, "facilitator",
                                              version, ctx, /*facilitator=*/true, &claim)) {
      decided->log_line = "facilitator settle v2: " + decided->outcome.reason + ": " + decided->outcome.message;
      decided->outcome.x402_version = x402_version;
      decided->outcome.payment_header = "paymentPayload";
      decided->outcome.payment_value = Base64Encode(json::serialize(*payload));
      return std::move(*decided);
    }
  }
  const PaywallConfig& config = ctx.paywall->config();
  const PaymentCheck check = CheckFor(config, ctx.now_unix, /*as_facilitator=*/true, settling);
  PaymentVerdict verdict = VerifyPaymentPayload(*payload, x402_version, OneOption(req), check);
  verdict.version = x402_version;
  // A payment the pending mode settled, settled again (the resource server's retry):
  // reconciled against its transaction (pending_settlements.h).
  std::optional<std::string> reconciled;
  if (settling && ctx.settlement != nullptr && verdict.valid && SettlesPayment(mode)) {
    reconciled = ctx.settlement->pending.Take(verdict.replay_key, ctx.now_unix);
  }
  if (ctx.settlement != nullptr && verdict.valid && !reconciled && mode != SimulationMode::kRpcOutage) {
    // verify looks; only a settle that succeeds records (and debits), as on chain.
    if (settling && SettlesPayment(mode)) {
      Settle(*ctx.settlement, config, ctx.now_unix, &verdict, Settler::kFacilitator);
    } else {
      CheckOnChainState(*ctx.settlement, config, ctx.now_unix, &verdict);
    }
  }

  if (verdict.valid && mode == SimulationMode::kTimeout) {
    Response res = PlainJson(http::status::request_timeout, version,
                        ErrorJson("facilitator timed out (simulated)"));
    return {nullptr, std::move(res), std::chrono::milliseconds(config.timeout_delay_ms),
            "facilitator " + std::string(action) + " timed out (simulated)"};
  }
  if (verdict.valid && mode == SimulationMode::kFailure) {
    verdict.valid = false;
    verdict.reason = std::string(action == "verify" ? kUnexpectedVerifyError : kUnexpectedSettleError);
    verdict.message = "the mock facilitator is in failure mode (simulated)";
  }
  if (verdict.valid && mode == SimulationMode::kRpcOutage) {
    // verify answers as the reference's does without its RPC (ChainReasons); settle fails.
    verdict.valid = false;
    if (settling) {
      verdict.reason = std::string(kUnexpectedSettleError);
      verdict.message = "simulated rpc-outage: the facilitator's RPC is unreachable, nothing was sent";
    } else {
      verdict.reason = std::string(verdict.chain != nullptr ? verdict.chain->unreachable_at_verify : kUnexpectedVerifyError);
      verdict.message = verdict.chain != nullptr && !verdict.chain->unreachable_message.empty()
                            ? std::string(verdict.chain->unreachable_message)
                            : std::string("simulated rpc-outage: the facilitator's RPC is unreachable");
    }
  }
  // What it verified or settled is cataloged when the payment declares it discoverable, as the
  // reference e2e facilitator's onAfterVerify hook does with extractDiscoveryInfo().
  std::string not_cataloged;
  if (verdict.valid && ctx.settlement != nullptr) {
    if (auto discovered = ExtractDiscovered(*payload, *requirements_json, x402_version, ctx.now_unix * 1000, &not_cataloged)) {
      if (!ctx.settlement->bazaar.Record(std::move(*discovered))) not_cataloged = "its declaration is over 16 KiB";
    }
  }
  const bool pending = settling && verdict.valid && mode == SimulationMode::kPending && !reconciled;
  const std::string transaction = reconciled ? *reconciled
                                  : verdict.valid && settling ? SettledTransaction(verdict)
                                                              : std::string();
  if (pending && ctx.settlement != nullptr) ctx.settlement->pending.Remember(verdict.replay_key, transaction, ctx.now_unix);
  const std::string log = "facilitator " + std::string(action) + " v" +
                          std::to_string(x402_version) + " from " +
                          std::string(PayerOrUnknown(verdict)) + ": " +
                          (pending      ? "settlement_pending (simulated), tx " + transaction
                           : reconciled ? "valid, reconciled with its pending settlement, tx " + transaction
                           : verdict.valid ? "valid" + SettledNote(verdict) + UncheckedNote(verdict)
                                           : verdict.reason + ": " + verdict.message) +
                          (not_cataloged.empty() ? std::string() : " (bazaar: not cataloged: " + not_cataloged + ")");
  std::string out;
  if (action == "verify") {
    // x402's VerifyResponseSchema takes payer as an address or not at all: an unknown payer
    // (a payment rejected before authorization.from could be read) is left out, never "".
    const std::string payer =
        verdict.payer.empty() ? "" : ",\"payer\":\"" + JsonEscape(verdict.payer) + "\"";
    out = verdict.valid ? "{\"isValid\":true" + payer + "}"
                        : "{\"isValid\":false,\"invalidReason\":\"" + JsonEscape(verdict.reason) +
                              "\",\"invalidMessage\":\"" + JsonEscape(verdict.message) + "\"" +
                              payer + "}";
  } else if (pending) {
    out = RenderFailedSettlement(verdict, req, kSettlementPending,
                                 "the transaction was sent but its receipt did not arrive in time (simulated "
                                 "pending mode); settle the same payment again to reconcile",
                                 transaction);
  } else {
    out = verdict.valid ? RenderSettlement(verdict, req, transaction)
                        : RenderFailedSettlement(verdict, req, verdict.reason, verdict.message);
  }
  if (claim.armed() && verdict.valid && pending) {
    auto answer = std::make_shared<PaymentIdentifierStore::Answer>();
    answer->reprocess = true;  // the resource server's retry of the same payment reconciles it
    claim.Keep(std::move(answer));
  } else if (claim.armed() && verdict.valid && settling) {
    auto answer = std::make_shared<PaymentIdentifierStore::Answer>();
    answer->body = out;
    answer->settlement = out;
    answer->transaction = transaction;
    answer->payer = verdict.payer;
    answer->amount = verdict.settled_amount();
    claim.Keep(std::move(answer));
  }
  // What the history shows of the call (its verdict stays `other`: the facilitator's answer,
  // not the paywall's): who paid what on which option, the payload as received, why it was
  // refused, and the settle answer.
  RequestOutcome outcome;
  outcome.x402_version = x402_version;
  outcome.payment_header = "paymentPayload";
  outcome.payment_value = Base64Encode(json::serialize(*payload));
  outcome.payer = verdict.payer;
  // What it settled, or (verify, and any refusal) what it was asked to check.
  outcome.amount = verdict.valid && !(verdict.up_to && verdict.charge.empty()) ? verdict.settled_amount()
                   : verdict.valid                                          ? verdict.amount
                                                                            : AtomicString(req.amount);
  DescribeOption(req, &outcome);
  outcome.details = verdict.details;
  if (!verdict.valid) {
    outcome.reason = verdict.reason;
    outcome.message = verdict.message;
  }
  if (settling) outcome.settlement = out;
  if (pending) outcome.reason = std::string(kSettlementPending);
  if (settling && verdict.valid) {
    outcome.settled_resource = ResourceOf(*payload, req);
    outcome.transaction = transaction;
    outcome.payer_not_told = pending || mode == SimulationMode::kLostResponse;
  }
  if (settling && verdict.valid && mode == SimulationMode::kLostResponse) {
    // Settled, and the answer lost on its way back to the resource server.
    outcome.reason = "lost_response";
    outcome.message = "settled (tx " + transaction + "), then the answer was lost: 502 (simulated lost-response mode)";
    return {nullptr,
            PlainJson(http::status::bad_gateway, version,
                      ErrorJson("Bad Gateway: the upstream answer was lost (simulated lost-response mode)")),
            {}, log + " (answer lost: 502, simulated)", std::move(outcome)};
  }
  const auto delay = settling && verdict.valid && mode == SimulationMode::kSlow
                         ? std::chrono::milliseconds(config.timeout_delay_ms)
                         : std::chrono::milliseconds(0);
  RouteResult answered{nullptr, PlainJson(http::status::ok, version, std::move(out)), delay, log, std::move(outcome)};
  answered.log_warning = verdict.mock_limit;
  return answered;
}

}  // namespace

RouteResult AnswerForFailure(const Request& request, std::exception_ptr error) {
  bool too_long = false;
  std::string what;
  try {
    std::rethrow_exception(error);
  } catch (const std::length_error& e) {
    too_long = true;
    what = e.what();
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "an exception that is not a std::exception";
  }
  RouteResult result;
  result.outcome.verdict = Verdict::kError;
  if (too_long) {
    result.outcome.reason = "response_header_too_large";
    result.outcome.message =
        "the answer would carry a header over 64 KiB (" + what +
        "): the offer repeats the request's URL, so use a shorter path or Host";
    result.response = Json(http::status::uri_too_long, request.version(), ErrorJson(result.outcome.message));
  } else {
    result.outcome.reason = "internal_error";
    result.outcome.message = "the mock failed to handle this request (" + what + "); the server log has it";
    result.response =
        Json(http::status::internal_server_error, request.version(), ErrorJson(result.outcome.message));
  }
  result.response.keep_alive(false);
  result.response.prepare_payload();
  return result;
}

Response MakeErrorResponse(http::status status, std::string_view message, unsigned version) {
  Response res = Json(status, version, ErrorJson(message));
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

RouteResult HandleRequest(const Request& request, const RequestContext& ctx) {
  const std::string_view path = PathOf(request.target());
  RouteResult result;

  // Only requests addressed to the mock (net/allowed_hosts.h): a page that rebinds its DNS to
  // 127.0.0.1 is refused before anything is priced, signed, settled or recorded.
  if (ctx.paywall != nullptr) {
    const auto host = request.find(http::field::host);
    const std::string_view host_value =
        host == request.end() ? std::string_view() : std::string_view(host->value());
    if (!IsHostAllowed(host_value, ctx.host, ctx.paywall->config().allowed_hosts)) {
      const std::string why =
          "Host '" + std::string(host_value) +
          "' is not this server: the mock answers localhost, IP addresses and the names in "
          "mock_server.allowed_hosts (a guard against DNS rebinding); add the name there, or "
          "set it to all";
      result.response = PlainJson(http::status::forbidden, request.version(), ErrorJson(why));
      result.response.keep_alive(false);
      result.response.prepare_payload();
      result.log_line = "refused: " + why;
      result.outcome.unrecorded = true;
      return result;
    }
  }

  // The mock's own paths (the history holds signed payment authorizations, DELETE clears it)
  // are for the developer's tools and the same-origin dashboard only: no CORS preflight and
  // no Access-Control-Allow-Origin, so a web page the developer has open cannot read or clear
  // them. Health stays open to any origin.
  if (request.method() == http::verb::options && !IsReservedPath(path) && !IsFacilitatorPath(path) &&
      request.find(http::field::origin) != request.end() &&
      request.find(http::field::access_control_request_method) != request.end()) {
    result.response = PreflightResponse(request.version());
  } else if (path == "/__x402/health") {
    result.response = HealthResponse(request, ctx, request.version());
    result.outcome.unrecorded = true;
  } else if (path == "/__x402/ledger") {
    result.response = LedgerResponse(request, ctx, request.version());
    result.outcome.unrecorded = true;
  } else if (path == "/__x402/solana-rpc") {
    result.response = SolanaRpcResponse(request, ctx, request.version());
    result.outcome.unrecorded = true;
  } else if (IsDashboardPath(path)) {
    // The dashboard polls; its page and assets are not recorded either.
    result.response = DashboardResponse(request, path);
    result.outcome.unrecorded = true;
  } else if (IsReservedPath(path)) {
    // The mock's own paths: never priced, and not recorded (polling must not fill the history).
    result.response = ServeReserved(request, path, ctx);
    result.outcome.unrecorded = true;
  } else if (IsFacilitatorPath(path)) {
    result = Facilitator(request, path.size() > 13 ? path.substr(13) : std::string_view(), ctx);
  } else {
    result = ServePaywall(request, path, ctx);
  }

  if (result.raw) return result;  // already complete, keep-alive included
  result.response.keep_alive(request.keep_alive() && !ctx.closing);
  if (request.method() == http::verb::head) {
    result.response.prepare_payload();
    const auto length = result.response[http::field::content_length];
    std::string saved(length);
    result.response.body().clear();
    result.response.set(http::field::content_length, saved);
  } else {
    result.response.prepare_payload();
  }
  return result;
}

}  // namespace x402
