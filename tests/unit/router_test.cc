#include "server/router.h"

#include <gtest/gtest.h>

#include <set>

#include <boost/json.hpp>
#include <functional>

#include "base/base64.h"
#include "server/response_wire.h"
#include "signed_payment.h"
#include "x402/svm/solana_chain.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1'800'000'000;

// A result written straight into its bytes (the cached 402, a paid 200) parsed back, so every
// test reads one Response whichever way it was rendered.
RouteResult Normalized(RouteResult r) {
  if (!r.raw) return r;
  http::response_parser<http::string_body> parser;
  boost::beast::error_code ec;
  parser.eager(true);
  parser.put(boost::asio::buffer(*r.raw), ec);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_TRUE(parser.is_done());
  r.response = parser.release();
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  RouteResult Send(http::verb method, std::string target,
                   std::vector<std::pair<std::string, std::string>> headers = {},
                   std::string body = {}, bool closing = false, int64_t now = kNow) {
    Request req{method, target, 11};
    req.set(http::field::host, "127.0.0.1:3402");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = std::move(body);
    req.prepare_payload();
    RequestContext ctx;
    ctx.paywall = &paywall_;
    ctx.now_unix = now;
    ctx.pid = 42;
    ctx.port = 3402;
    ctx.host = "127.0.0.1";
    ctx.uptime_seconds = 7;
    ctx.closing = closing;
    ctx.settlement = &settlement_;
    return Normalized(HandleRequest(req, ctx));
  }

  std::string ValidV1Header(std::string value = "50000", char nonce = '3') {
    json::object payment = {
        {"x402Version", 1},
        {"scheme", "exact"},
        {"network", "base-sepolia"},
        {"payload",
         {{"signature", "0x" + std::string(130, 'f')},
          {"authorization",
           {{"from", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"},
            {"to", paywall_.config().pay_to},
            {"value", value},
            {"validAfter", "0"},
            {"validBefore", std::to_string(kNow + 60)},
            {"nonce", "0x" + std::string(64, nonce)}}}}}};
    testing::SignPayment(payment, paywall_.RequirementsFor("/api/data", "").front());
    return Base64Encode(json::serialize(payment));
  }

  // A v2 payment for |option| with a made-up signature (strict refuses it, shape takes it).
  static json::object UnsignedV2Payment(const PaymentRequirements& option, const std::string& value, char nonce) {
    return {{"x402Version", 2},
            {"accepted", RequirementsObjectV2(option)},
            {"payload",
             {{"signature", "0x" + std::string(130, 'f')},
              {"authorization",
               {{"from", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"},
                {"to", option.pay_to},
                {"value", value},
                {"validAfter", "0"},
                {"validBefore", std::to_string(kNow + 60)},
                {"nonce", "0x" + std::string(64, nonce)}}}}}};
  }

  std::string FacilitatorBody(const std::string& payment_header) {
    return json::serialize(json::object{
        {"x402Version", 1},
        {"paymentPayload", json::parse(*Base64Decode(payment_header))},
        {"paymentRequirements",
         json::parse(RenderRequirementsV1(paywall_.RequirementsFor("/api/data", "http://h/api/data").front()))}});
  }

  Paywall paywall_{PaywallConfig{}};
  SettlementState settlement_;
};

// A cached answer comes back as bytes on the wire; parse them like a client would.
Response Parsed(const RouteResult& r) {
  if (!r.raw) return r.response;
  http::response_parser<http::string_body> parser;
  boost::beast::error_code ec;
  parser.eager(true);
  parser.put(boost::asio::buffer(*r.raw), ec);
  EXPECT_FALSE(ec) << ec.message();
  return parser.release();
}

TEST_F(RouterTest, UnpaidAnswersAreRenderedOncePerPathAndAfterAReloadAgain) {
  const RouteResult first = Send(http::verb::get, "/api/data");
  const RouteResult second = Send(http::verb::get, "/api/data");
  ASSERT_TRUE(first.raw && second.raw);
  EXPECT_EQ(first.raw.get(), second.raw.get());  // the same bytes, not re-rendered
  EXPECT_NE(Send(http::verb::get, "/other").raw.get(), first.raw.get());
  PaywallConfig changed;
  changed.pricing.default_price = AtomicAmount{7};
  changed.pricing.per_resource.clear();
  paywall_ = Paywall(changed);  // a reload: a new snapshot
  const Response after = Parsed(Send(http::verb::get, "/api/data"));
  EXPECT_NE(after.body().find("\"maxAmountRequired\":\"7\""), std::string::npos) << after.body();
  // HTTP/1.0 and HEAD are not cached: they differ on the wire.
  EXPECT_FALSE(Send(http::verb::head, "/api/data").raw);
}

TEST_F(RouterTest, WhileShuttingDownAnswersCloseTheConnection) {
  ASSERT_TRUE(Send(http::verb::get, "/api/data").raw);  // the cached keep-alive bytes exist
  const RouteResult unpaid = Send(http::verb::get, "/api/data", {}, {}, /*closing=*/true);
  EXPECT_FALSE(unpaid.raw);  // not the cached keep-alive bytes
  EXPECT_EQ(unpaid.response.result(), http::status::payment_required);
  EXPECT_FALSE(unpaid.response.keep_alive());
  const RouteResult paid = Send(http::verb::get, "/api/data", {{"X-PAYMENT", ValidV1Header()}},
                                {}, /*closing=*/true);
  EXPECT_EQ(paid.response.result(), http::status::ok);
  EXPECT_FALSE(paid.response.keep_alive());
}

TEST_F(RouterTest, UnpaidRequestGets402WithBothVersions) {
  const RouteResult r0 = Send(http::verb::get, "/api/data?x=1");
  RouteResult r;
  r.response = Parsed(r0);
  EXPECT_EQ(r.response.result(), http::status::payment_required);
  const json::object v1 = json::parse(r.response.body()).as_object();
  EXPECT_EQ(v1.at("x402Version"), 1);
  const auto& accepts = v1.at("accepts").as_array();
  EXPECT_EQ(accepts[0].as_object().at("resource"), "http://127.0.0.1:3402/api/data");
  const auto v2 = json::parse(*Base64Decode(r.response[kPaymentRequiredHeader])).as_object();
  EXPECT_EQ(v2.at("x402Version"), 2);
  EXPECT_EQ(v2.at("accepts").as_array()[0].as_object().at("amount"), "50000");
  EXPECT_EQ(r.response[http::field::access_control_allow_origin], "*");
  EXPECT_NE(r.response[http::field::access_control_expose_headers].find("PAYMENT-REQUIRED"),
            std::string::npos);
}

TEST_F(RouterTest, AnyMethodIsPriced) {
  EXPECT_EQ(Send(http::verb::post, "/submit").response.result(), http::status::payment_required);
  EXPECT_EQ(Send(http::verb::delete_, "/x").response.result(), http::status::payment_required);
}

TEST_F(RouterTest, ValidPaymentGets200AndSettlement) {
  const RouteResult r = Send(http::verb::get, "/api/data", {{"X-PAYMENT", ValidV1Header()}});
  ASSERT_EQ(r.response.result(), http::status::ok) << r.response.body();
  const auto settle = json::parse(*Base64Decode(r.response[kPaymentResponseHeaderV1])).as_object();
  EXPECT_EQ(settle.at("success"), true);
  EXPECT_EQ(r.outcome.transaction, settle.at("transaction").as_string());  // for the access line
  EXPECT_TRUE(r.log_line.empty());  // the access line says it all (ctx.access_log is on)
  const auto body = json::parse(r.response.body()).as_object();
  EXPECT_EQ(body.at("price_usd"), "0.05");
}

// The paid 200 of a keep-alive HTTP/1.1 request is written straight into its bytes; they must
// be what Beast renders for the same answer (the other requests take Beast's path).
TEST_F(RouterTest, ThePaidAnswerWrittenDirectlyIsTheOneBeastRenders) {
  Request req{http::verb::get, "/api/data", 11};
  req.set(http::field::host, "127.0.0.1:3402");
  req.set("X-PAYMENT", ValidV1Header());
  RequestContext ctx;
  ctx.paywall = &paywall_;
  ctx.now_unix = kNow;
  ctx.host = "127.0.0.1";
  const RouteResult direct = HandleRequest(req, ctx);
  ASSERT_TRUE(direct.raw);
  EXPECT_EQ(direct.raw_status, 200);
  req.set(http::field::connection, "close");  // not kept alive: Beast's path
  RouteResult beast = HandleRequest(req, ctx);
  ASSERT_FALSE(beast.raw);
  beast.response.keep_alive(true);  // the one difference the request made
  beast.response.prepare_payload();
  std::string beast_bytes;
  RenderResponse(beast.response, &beast_bytes);
  EXPECT_EQ(*direct.raw, beast_bytes);
}

TEST_F(RouterTest, InvalidPaymentGets402NamingTheReason) {
  const RouteResult r = Send(http::verb::get, "/api/data", {{"X-PAYMENT", ValidV1Header("1")}});
  EXPECT_EQ(r.response.result(), http::status::payment_required);
  const auto body = json::parse(r.response.body()).as_object();
  EXPECT_EQ(body.at("error"), "invalid_exact_evm_payload_authorization_value");
  EXPECT_NE(std::string(body.at("errorMessage").as_string()).find("less than the price"),
            std::string::npos);
}

TEST_F(RouterTest, GarbagePaymentHeaderIs402NotACrash) {
  for (const char* garbage : {"", "%%%", "e30=", "bnVsbA==", "W10=", "eyJ4NDAyVmVyc2lvbiI6MX0="}) {
    const RouteResult r = Send(http::verb::get, "/x", {{"PAYMENT-SIGNATURE", garbage}});
    EXPECT_EQ(r.response.result(), http::status::payment_required) << garbage;
  }
}

TEST_F(RouterTest, SimulationHeaderChoosesFailureAndTimeout) {
  const RouteResult failure = Send(http::verb::get, "/api/data",
                                   {{"X-PAYMENT", ValidV1Header()}, {"X-Simulation-Mode", "failure"}});
  EXPECT_EQ(failure.response.result(), http::status::payment_required);
  const json::object failed = json::parse(failure.response.body()).as_object();
  EXPECT_EQ(failed.at("error"), "unexpected_settle_error");
  EXPECT_EQ(failed.at("errorMessage"), "payment rejected (simulated failure mode)");
  const auto settle =
      json::parse(*Base64Decode(failure.response[kPaymentResponseHeaderV1])).as_object();
  EXPECT_EQ(settle.at("errorReason"), "unexpected_settle_error");
  EXPECT_EQ(settle.at("errorMessage"), "payment rejected (simulated failure mode)");
  EXPECT_NE(failure.log_line.find("simulated failure"), std::string::npos);

  const RouteResult timeout = Send(http::verb::get, "/api/data",
                                   {{"X-PAYMENT", ValidV1Header()}, {"X-Simulation-Mode", "timeout"}});
  EXPECT_EQ(timeout.response.result(), http::status::request_timeout);
  EXPECT_EQ(timeout.delay, std::chrono::milliseconds(5000));

  const RouteResult bad = Send(http::verb::get, "/api/data",
                               {{"X-PAYMENT", ValidV1Header()}, {"X-Simulation-Mode", "maybe"}});
  EXPECT_EQ(bad.response.result(), http::status::bad_request);
}

TEST_F(RouterTest, HealthIsNeverPriced) {
  const RouteResult r = Send(http::verb::get, "/__x402/health");
  EXPECT_EQ(r.response.result(), http::status::ok);
  const auto body = json::parse(r.response.body()).as_object();
  EXPECT_EQ(body.at("status"), "ok");
  EXPECT_EQ(body.at("pid"), 42);
  EXPECT_EQ(body.at("port"), 3402);
  EXPECT_EQ(body.at("uptime_s"), 7);
}

TEST_F(RouterTest, CorsPreflightAllowsThePaymentHeaders) {
  const RouteResult r = Send(http::verb::options, "/api/data",
                             {{"Origin", "http://localhost:5173"},
                              {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(r.response.result(), http::status::no_content);
  const std::string allowed(r.response[http::field::access_control_allow_headers]);
  for (const char* h : {"X-PAYMENT", "PAYMENT-SIGNATURE", "X-Simulation-Mode", "Settlement-Overrides",
                        "Content-Type", "Access-Control-Expose-Headers"}) {
    EXPECT_NE(allowed.find(h), std::string::npos) << h;
  }
}

TEST_F(RouterTest, FacilitatorSupportedListsBothVersions) {
  const RouteResult r = Send(http::verb::get, "/facilitator/supported");
  EXPECT_EQ(r.response.result(), http::status::ok);
  const auto kinds = json::parse(r.response.body()).as_object().at("kinds").as_array();
  bool v1 = false, v2 = false;
  for (const auto& k : kinds) {
    if (k.as_object().at("network") == "base-sepolia") v1 = true;
    if (k.as_object().at("network") == "eip155:84532") v2 = true;
  }
  EXPECT_TRUE(v1 && v2);
}

// /facilitator/supported lists what the mock can settle: exact on every network (Permit2-only
// chains too, since issue 27), upto in v2 only with the address that settles it, and v1 kinds
// only under names x402 1.2.0 knows.
TEST_F(RouterTest, FacilitatorSupportedListsOnlyWhatTheMockCanSettle) {
  const RouteResult r = Send(http::verb::get, "/facilitator/supported");
  const json::object supported = json::parse(r.response.body()).as_object();
  std::set<std::string> v1, v2, upto, solana_v1, solana_v2;
  const std::string fee_payer = svm::SolanaChain::Get().fee_payer().address();
  for (const auto& k : supported.at("kinds").as_array()) {
    const json::object& kind = k.as_object();
    const std::string network(kind.at("network").as_string());
    if (network.rfind("solana", 0) == 0) {
      EXPECT_EQ(kind.at("extra").at("feePayer"), json::value(fee_payer));
      (kind.at("x402Version") == 1 ? solana_v1 : solana_v2).insert(network);
      continue;
    }
    if (kind.at("scheme") == "upto") {
      EXPECT_EQ(kind.at("x402Version"), 2);
      EXPECT_EQ(kind.at("extra").at("facilitatorAddress"), "0x0000000000000000000000000000000000402def");
      upto.insert(network);
      continue;
    }
    (kind.at("x402Version") == 1 ? v1 : v2).insert(network);
  }
  EXPECT_TRUE(v2.count("eip155:42161"));   // Arbitrum One: USDC, EIP-3009
  EXPECT_TRUE(v2.count("eip155:42220"));   // Celo
  EXPECT_TRUE(v2.count("eip155:4326"));    // MegaETH: MegaUSD moves by Permit2
  EXPECT_TRUE(v2.count("eip155:38833"));   // Igra
  EXPECT_TRUE(upto.count("eip155:84532"));
  EXPECT_EQ(upto.size(), v2.size());       // upto on every EVM network exact pays on
  EXPECT_TRUE(v1.count("polygon"));
  EXPECT_FALSE(v1.count("celo"));          // a v1 name @x402/evm has, x402 1.2.0's enum lacks
  EXPECT_EQ(supported.at("signers").at("eip155:*").as_array(),
            json::array{"0x0000000000000000000000000000000000402def"});
  // Solana exact: every network v2, v1 under the names x402 1.2.0 knows; its fee payer signs.
  EXPECT_EQ(solana_v2, (std::set<std::string>{"solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp",
                                              "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1",
                                              "solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z"}));
  EXPECT_EQ(solana_v1, (std::set<std::string>{"solana", "solana-devnet"}));
  EXPECT_EQ(supported.at("signers").at("solana:*").as_array(), json::array{json::value(fee_payer)});
}

// Issue 28: the stand-in Solana RPC is POST only, answers JSON-RPC in a 200, and refuses a body
// over its bound with 413 unread; it is the mock's own path, never priced or recorded.
TEST_F(RouterTest, TheSolanaRpcAnswersPostsAndRefusesTheRest) {
  RouteResult r = Send(http::verb::post, "/__x402/solana-rpc", {{"Content-Type", "application/json"}},
                       R"({"jsonrpc":"2.0","id":1,"method":"getSlot"})");
  EXPECT_EQ(r.response.result(), http::status::ok);
  EXPECT_EQ(json::parse(r.response.body()).at("result"), json::value(svm::SolanaChain::SlotAt(kNow)));
  EXPECT_TRUE(r.outcome.unrecorded);
  r = Send(http::verb::get, "/__x402/solana-rpc");
  EXPECT_EQ(r.response.result(), http::status::method_not_allowed);
  r = Send(http::verb::post, "/__x402/solana-rpc", {}, std::string(70 * 1024, '['));
  EXPECT_EQ(r.response.result(), http::status::payload_too_large);
  EXPECT_EQ(json::parse(r.response.body()).at("error").at("code"), -32600);
}

// Issue 28: a Solana offer's 402 carries the blockhash of its moment; the cached 402 of a
// path is not served past it.
TEST_F(RouterTest, ASolanaOffersBlockhashIsFreshInEach402) {
  PaywallConfig config;
  OptionSpec solana;
  solana.network = "solana-devnet";
  config.accepts = {solana};
  paywall_ = Paywall(config);
  auto blockhash_at = [&](int64_t now) {
    const RouteResult r = Send(http::verb::get, "/thing", {}, {}, false, now);
    EXPECT_EQ(r.response.result(), http::status::payment_required);
    const json::value required = json::parse(*Base64Decode(r.response["PAYMENT-REQUIRED"]));
    return std::string(required.at("accepts").at(0).at("extra").at("recentBlockhash").as_string());
  };
  const std::string first = blockhash_at(kNow);
  EXPECT_EQ(first, svm::SolanaChain::Get().Latest(kNow).text);
  EXPECT_EQ(blockhash_at(kNow), first);  // the cached 402
  const int64_t next = kNow + svm::SolanaChain::Get().blockhash_period();
  EXPECT_EQ(blockhash_at(next), svm::SolanaChain::Get().Latest(next).text);
  EXPECT_NE(blockhash_at(next), first);
}

// Review of issue 26: a refused payment is recorded with the option it named (its amount and
// decimals together), and one that named no offered option with none.
TEST_F(RouterTest, ARefusedPaymentIsRecordedWithTheOptionItNamed) {
  PaywallConfig config;
  OptionSpec usdc;
  usdc.network = "base-sepolia";
  AssetInfo token{"0x5FbDB2315678afecb367f032d93F642f64180aa3", "mUSD", 18, "Mock USD", "1", "eip3009", false, true, ""};
  OptionSpec local;
  local.network = "eip155:31337";
  local.asset = token.address;
  local.declared_asset = token;
  config.accepts = {usdc, local};
  std::string problem;
  NetworkInfo chain = *DeclaredNetwork("eip155:31337", &problem);
  chain.assets.push_back(token);
  config.declared_networks.push_back(chain);
  paywall_ = Paywall(config);
  const auto options = paywall_.RequirementsFor("/api/data", "http://127.0.0.1:3402/api/data");
  ASSERT_EQ(options.size(), 2u);
  json::object payment = UnsignedV2Payment(options[1], "1", '7');
  const RouteResult refused =
      Send(http::verb::get, "/api/data", {{"PAYMENT-SIGNATURE", Base64Encode(json::serialize(payment))}});
  EXPECT_EQ(refused.outcome.verdict, Verdict::kRejected);
  EXPECT_EQ(refused.outcome.network, "eip155:31337");
  EXPECT_EQ(refused.outcome.asset_decimals, 18);
  EXPECT_EQ(refused.outcome.amount, "50000000000000000");  // the price, in mUSD's units
  EXPECT_NE(refused.log_line.find("0.05 mUSD on eip155:31337"), std::string::npos) << refused.log_line;

  payment["accepted"].as_object()["network"] = "eip155:137";  // offered nowhere
  const RouteResult unmatched =
      Send(http::verb::get, "/api/data", {{"PAYMENT-SIGNATURE", Base64Encode(json::serialize(payment))}});
  EXPECT_EQ(unmatched.outcome.verdict, Verdict::kRejected);
  EXPECT_TRUE(unmatched.outcome.network.empty());
  EXPECT_TRUE(unmatched.outcome.amount.empty());
}

// Review of issue 26: in shape mode two options on one network (two tokens on Celo) are each
// payable; the payment goes to the one its `accepted` names.
TEST_F(RouterTest, ShapeModeTellsTwoOptionsOnOneNetworkApart) {
  PaywallConfig config;
  config.verification = Verification::kShape;
  OptionSpec usdc, usdt;
  usdc.network = usdt.network = "celo";
  usdt.asset = "0x48065fbBE25f71C9282ddf5e1cD6D6A887483D5e";
  config.accepts = {usdc, usdt};
  paywall_ = Paywall(config);
  const auto options = paywall_.RequirementsFor("/api/data", "http://127.0.0.1:3402/api/data");
  ASSERT_EQ(options.size(), 2u);
  json::object payment = UnsignedV2Payment(options[1], options[1].amount.units.ToDecimal(), '8');
  const RouteResult paid =
      Send(http::verb::get, "/api/data", {{"PAYMENT-SIGNATURE", Base64Encode(json::serialize(payment))}});
  EXPECT_EQ(paid.outcome.verdict, Verdict::kPaid) << paid.outcome.reason << ": " << paid.outcome.message;
  EXPECT_EQ(paid.outcome.asset_symbol, "USDT");
}

TEST_F(RouterTest, FacilitatorRejectsBadBodiesWith400) {
  EXPECT_EQ(Send(http::verb::post, "/facilitator/verify", {}, "not json").response.result(),
            http::status::bad_request);
  EXPECT_EQ(Send(http::verb::post, "/facilitator/settle", {}, "{}").response.result(),
            http::status::bad_request);
  EXPECT_EQ(Send(http::verb::get, "/facilitator/verify").response.result(),
            http::status::method_not_allowed);
}

TEST_F(RouterTest, FacilitatorVerifiesAndSettles) {
  const json::value payload = json::parse(*Base64Decode(ValidV1Header()));
  Paywall paywall{PaywallConfig{}};
  const json::object body = {
      {"x402Version", 1},
      {"paymentPayload", payload},
      {"paymentRequirements",
       json::parse(RenderRequirementsV1(paywall.RequirementsFor("/api/data", "http://h/api/data").front()))}};
  const RouteResult verify = Send(http::verb::post, "/facilitator/verify", {}, json::serialize(body));
  EXPECT_EQ(json::parse(verify.response.body()).as_object().at("isValid"), true);
  const RouteResult settle = Send(http::verb::post, "/facilitator/settle", {}, json::serialize(body));
  const auto settled = json::parse(settle.response.body()).as_object();
  EXPECT_EQ(settled.at("success"), true);
  EXPECT_EQ(settled.at("network"), "base-sepolia");
  // The history sees what the facilitator saw: payer, amount, option, the settle answer.
  EXPECT_EQ(settle.outcome.verdict, Verdict::kOther);
  EXPECT_EQ(settle.outcome.payer, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  EXPECT_EQ(settle.outcome.amount, "50000");
  EXPECT_EQ(settle.outcome.network, "eip155:84532");
  EXPECT_EQ(settle.outcome.settlement, settle.response.body());
  const RouteResult again = Send(http::verb::post, "/facilitator/settle", {}, json::serialize(body));
  EXPECT_EQ(again.outcome.reason, "invalid_transaction_state");  // the replay, said in the history
}

// x402's zod VerifyResponseSchema (and SettleResponseSchema) take payer as an address or
// not at all: "" fails them. Every rejection — before and after authorization.from is read —
// either names the payer from authorization.from or leaves payer out.
TEST_F(RouterTest, NoFacilitatorAnswerCarriesAnEmptyPayer) {
  Paywall paywall{PaywallConfig{}};
  const json::value requirements =
      json::parse(RenderRequirementsV1(paywall.RequirementsFor("/api/data", "http://h/api/data").front()));
  const json::object valid = json::parse(*Base64Decode(ValidV1Header())).as_object();
  const std::string from = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";
  struct Case {
    std::string name;
    std::function<void(json::object&)> change;
    std::string reason;
    bool payer_known;
  };
  const std::vector<Case> cases = {
      {"network", [](json::object& p) { p["network"] = "base"; }, "invalid_network", true},
      {"scheme", [](json::object& p) { p["scheme"] = "upto"; }, "unsupported_scheme", true},
      {"no payload", [](json::object& p) { p.erase("payload"); }, "invalid_payload", false},
      {"bad from",
       [](json::object& p) {
         p["payload"].as_object()["authorization"].as_object()["from"] = "nobody";
       },
       "invalid_payload", false},
      {"network and bad from",
       [](json::object& p) {
         p["network"] = "base";
         p["payload"].as_object()["authorization"].as_object()["from"] = "0x12";
       },
       "invalid_network", false},
  };
  for (const Case& c : cases) {
    json::object payment = valid;
    c.change(payment);
    const json::object body = {
        {"x402Version", 1}, {"paymentPayload", payment}, {"paymentRequirements", requirements}};
    for (const char* action : {"/facilitator/verify", "/facilitator/settle"}) {
      const RouteResult r = Send(http::verb::post, action, {}, json::serialize(body));
      ASSERT_EQ(r.response.result(), http::status::ok) << c.name << " " << action;
      const json::object answer = json::parse(r.response.body()).as_object();
      const std::string reason_key =
          std::string(action) == "/facilitator/verify" ? "invalidReason" : "errorReason";
      EXPECT_EQ(answer.at(reason_key), json::value(c.reason)) << c.name << " " << r.response.body();
      if (c.payer_known) {
        EXPECT_EQ(answer.at("payer"), json::value(from)) << c.name << " " << r.response.body();
      } else {
        EXPECT_FALSE(answer.contains("payer")) << c.name << " " << r.response.body();
      }
    }
  }
}

TEST_F(RouterTest, AReplayedPaymentIsRefusedAndOnlyASettledOneIsRemembered) {
  // Failure and timeout modes settle nothing: the same payment still pays afterwards.
  EXPECT_EQ(Send(http::verb::get, "/api/data",
                 {{"X-PAYMENT", ValidV1Header()}, {"X-Simulation-Mode", "failure"}})
                .response.result(),
            http::status::payment_required);
  EXPECT_EQ(settlement_.used.size(), 0u);
  ASSERT_EQ(Send(http::verb::get, "/api/data", {{"X-PAYMENT", ValidV1Header()}}).response.result(),
            http::status::ok);
  const RouteResult replay = Send(http::verb::get, "/api/data", {{"X-PAYMENT", ValidV1Header()}});
  EXPECT_EQ(replay.response.result(), http::status::payment_required);
  EXPECT_EQ(json::parse(replay.response.body()).as_object().at("error"), "invalid_transaction_state");
  EXPECT_NE(replay.log_line.find("already settled"), std::string::npos) << replay.log_line;
  // The mock facilitator shares the set: verify reports it, settle refuses it.
  const auto verify = json::parse(
      Send(http::verb::post, "/facilitator/verify", {}, FacilitatorBody(ValidV1Header())).response.body());
  EXPECT_EQ(verify.as_object().at("invalidReason"), "invalid_transaction_state");
}

TEST_F(RouterTest, FacilitatorVerifyDoesNotRecordAndSettleDoes) {
  const std::string body = FacilitatorBody(ValidV1Header("50000", '7'));
  for (int i = 0; i < 2; ++i) {
    const auto verify = json::parse(Send(http::verb::post, "/facilitator/verify", {}, body).response.body());
    EXPECT_EQ(verify.as_object().at("isValid"), true);
  }
  const auto settle = json::parse(Send(http::verb::post, "/facilitator/settle", {}, body).response.body());
  EXPECT_EQ(settle.as_object().at("success"), true);
  const auto again = json::parse(Send(http::verb::post, "/facilitator/settle", {}, body).response.body());
  EXPECT_EQ(again.as_object().at("success"), false);
  EXPECT_EQ(again.as_object().at("errorReason"), "invalid_transaction_state");
  // The paywall refuses what the facilitator settled.
  EXPECT_EQ(Send(http::verb::get, "/api/data", {{"X-PAYMENT", ValidV1Header("50000", '7')}})
                .response.result(),
            http::status::payment_required);
}

TEST_F(RouterTest, FacilitatorFailureModeUsesRealReasons) {
  const std::string body = FacilitatorBody(ValidV1Header());
  const auto verify = json::parse(
      Send(http::verb::post, "/facilitator/verify", {{"X-Simulation-Mode", "failure"}}, body).response.body());
  EXPECT_EQ(verify.as_object().at("invalidReason"), "unexpected_verify_error");
  EXPECT_NE(std::string(verify.as_object().at("invalidMessage").as_string()).find("failure mode"),
            std::string::npos);
  const auto settle = json::parse(
      Send(http::verb::post, "/facilitator/settle", {{"X-Simulation-Mode", "failure"}}, body).response.body());
  EXPECT_EQ(settle.as_object().at("errorReason"), "unexpected_settle_error");
  EXPECT_TRUE(settle.as_object().contains("errorMessage"));
  EXPECT_EQ(settlement_.used.size(), 0u);
}

TEST_F(RouterTest, ShapeVerificationAcceptsAReplayAndAShortWindow) {
  PaywallConfig shape;
  shape.verification = Verification::kShape;
  paywall_ = Paywall(shape);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(Send(http::verb::get, "/api/data", {{"X-PAYMENT", ValidV1Header()}}).response.result(),
              http::status::ok);
  }
  EXPECT_EQ(settlement_.used.size(), 0u);
}

TEST_F(RouterTest, TheLedgerRunsAPayerDryAndShowsBalances) {
  PaywallConfig with_ledger;
  with_ledger.ledger.starting_balance = AtomicAmount{100'000};  // 0.10 USD, the price is 0.05
  paywall_ = Paywall(with_ledger);
  EXPECT_EQ(Send(http::verb::get, "/api/data", {{"X-PAYMENT", ValidV1Header("50000", '1')}}).response.result(),
            http::status::ok);
  EXPECT_EQ(Send(http::verb::get, "/api/data", {{"X-PAYMENT", ValidV1Header("50000", '2')}}).response.result(),
            http::status::ok);
  const RouteResult dry = Send(http::verb::get, "/api/data", {{"X-PAYMENT", ValidV1Header("50000", '4')}});
  EXPECT_EQ(dry.response.result(), http::status::payment_required);
  EXPECT_EQ(json::parse(dry.response.body()).as_object().at("error"), "insufficient_funds");
  const RouteResult ledger = Send(http::verb::get, "/__x402/ledger");
  EXPECT_EQ(ledger.response.result(), http::status::ok);
  EXPECT_EQ(json::parse(ledger.response.body()),
            json::parse(R"({"0x7e5f4552091a69125d5dfcb7b8c2659029395bdf":)"
                        R"({"eip155:84532/erc20:0x036cbd53842c5426634e7929541ec2318f3dcf7e":)"
                        R"({"symbol":"USDC","balance":"0","spent":"0.1","payments":2}}})"));
}

TEST_F(RouterTest, HeadGetsHeadersWithoutBody) {
  const RouteResult r = Send(http::verb::head, "/api/data");
  EXPECT_EQ(r.response.result(), http::status::payment_required);
  EXPECT_TRUE(r.response.body().empty());
  EXPECT_NE(r.response[http::field::content_length], "0");
}

// --- issue 25, item 3: only requests addressed to the mock; no CORS where browsers are not the
// callers; the mock's own paths answer only their documented methods --------------------------

class HostGuardTest : public RouterTest {
 protected:
  RouteResult SendAs(std::string_view host, http::verb method, std::string target,
                     std::vector<std::pair<std::string, std::string>> headers = {},
                     std::string body = {}) {
    Request req{method, target, 11};
    req.set(http::field::host, host);
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = std::move(body);
    req.prepare_payload();
    RequestContext ctx;
    ctx.paywall = &paywall_;
    ctx.now_unix = kNow;
    ctx.host = "127.0.0.1";
    ctx.settlement = &settlement_;
    return Normalized(HandleRequest(req, ctx));
  }
};

TEST_F(HostGuardTest, ARebindingPageGets403OnEveryPathAndNothingIsSettled) {
  const std::string evil = "attacker.example:3402";
  const std::vector<std::pair<http::verb, std::string>> requests = {
      {http::verb::get, "/api/data"},          {http::verb::get, "/__x402/requests"},
      {http::verb::delete_, "/__x402/requests"}, {http::verb::get, "/__x402/health"},
      {http::verb::get, "/__x402/"},           {http::verb::get, "/__x402/ledger"},
      {http::verb::post, "/facilitator/settle"}, {http::verb::options, "/api/data"}};
  for (const auto& [method, target] : requests) {
    const RouteResult r = SendAs(evil, method, target, {{"X-PAYMENT", ValidV1Header()}},
                                 method == http::verb::post ? FacilitatorBody(ValidV1Header()) : "");
    EXPECT_EQ(r.response.result(), http::status::forbidden) << target;
    EXPECT_TRUE(r.outcome.unrecorded) << target;
    EXPECT_EQ(r.response.count(http::field::access_control_allow_origin), 0u) << target;
    EXPECT_NE(r.response.body().find("allowed_hosts"), std::string::npos) << r.response.body();
    EXPECT_FALSE(r.response.keep_alive());
  }
  EXPECT_EQ(settlement_.used.size(), 0u);  // neither the paywall nor the facilitator settled
}

TEST_F(HostGuardTest, ConfiguredNamesAndAllAreAnswered) {
  PaywallConfig config;
  config.allowed_hosts = {"x402-mock"};
  paywall_ = Paywall(config);
  EXPECT_EQ(Parsed(SendAs("x402-mock:3402", http::verb::get, "/api/data")).result(),
            http::status::payment_required);
  EXPECT_EQ(SendAs("other:3402", http::verb::get, "/api/data").response.result(), http::status::forbidden);
  config.allowed_hosts = {"all"};
  paywall_ = Paywall(config);
  EXPECT_EQ(Parsed(SendAs("other:3402", http::verb::get, "/api/data")).result(),
            http::status::payment_required);
}

TEST_F(HostGuardTest, FacilitatorAnswersCarryNoCors) {
  const RouteResult verify =
      Send(http::verb::post, "/facilitator/verify", {}, FacilitatorBody(ValidV1Header()));
  EXPECT_EQ(verify.response.result(), http::status::ok);
  EXPECT_EQ(verify.response.count(http::field::access_control_allow_origin), 0u);
  EXPECT_EQ(Send(http::verb::get, "/facilitator/supported").response.count(http::field::access_control_allow_origin), 0u);
  // No preflight either: a browser is told nothing it could use to call it.
  const RouteResult preflight = Send(http::verb::options, "/facilitator/settle",
                                     {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(preflight.response.count(http::field::access_control_allow_origin), 0u);
  EXPECT_NE(preflight.response.result(), http::status::no_content);
  // The paywall keeps CORS: browser clients pay it.
  EXPECT_EQ(Parsed(Send(http::verb::get, "/api/data"))[http::field::access_control_allow_origin], "*");
}

TEST_F(HostGuardTest, TheMocksOwnPathsAnswerOnlyTheirMethodsAndAreNeitherCachedNorSniffed) {
  for (const char* path : {"/__x402/health", "/__x402/ledger", "/__x402/config", "/__x402/"}) {
    for (http::verb method : {http::verb::post, http::verb::put, http::verb::patch, http::verb::options}) {
      const RouteResult r = Send(method, path);
      EXPECT_EQ(r.response.result(), http::status::method_not_allowed) << path << " " << method;
      EXPECT_EQ(r.response[http::field::allow], "GET, HEAD") << path;
    }
  }
  EXPECT_EQ(Send(http::verb::post, "/__x402/requests").response[http::field::allow], "GET, HEAD, DELETE");
  for (const char* path : {"/__x402/health", "/__x402/ledger", "/__x402/config", "/__x402/requests",
                           "/__x402/nothing"}) {
    const RouteResult r = Send(http::verb::get, path);
    EXPECT_EQ(r.response[http::field::cache_control], "no-store") << path;
    EXPECT_EQ(r.response["X-Content-Type-Options"], "nosniff") << path;
  }
}

TEST_F(HostGuardTest, TheFacilitatorsBaseUrlIsNotPriced) {
  for (const char* path : {"/facilitator", "/facilitator/", "/facilitator?x=1"}) {
    const RouteResult r = Send(http::verb::get, path);
    EXPECT_EQ(r.response.result(), http::status::not_found) << path;
    EXPECT_FALSE(r.raw) << path;
  }
}

TEST_F(HostGuardTest, AnUnknownSimulationModeIs400WithOrWithoutAPayment) {
  for (bool paid : {false, true}) {
    std::vector<std::pair<std::string, std::string>> headers = {{"X-Simulation-Mode", "explode"}};
    if (paid) headers.emplace_back("X-PAYMENT", ValidV1Header());
    const RouteResult r = Send(http::verb::get, "/api/data", headers);
    EXPECT_EQ(r.response.result(), http::status::bad_request) << paid;
    EXPECT_EQ(r.outcome.reason, "invalid_simulation_mode");
  }
  EXPECT_EQ(settlement_.used.size(), 0u);
}

// Issue 27: an upto route charges what the request's Settlement-Overrides says, else the
// option's charge, else the maximum; a header it cannot read is a 400 recorded as an error,
// with nothing settled.
TEST_F(RouterTest, AnUptoRouteChargesWhatTheRequestSaysAndRefusesAHeaderItCannotRead) {
  PaywallConfig config;
  OptionSpec upto;
  upto.scheme = "upto";
  upto.network = "base-sepolia";
  upto.charge = "$0.002";
  config.accepts = {upto};
  paywall_ = Paywall(config);
  const PaymentRequirements option = paywall_.RequirementsFor("/api/data", "http://127.0.0.1:3402/api/data").front();
  uint64_t nonce = 100;
  auto pay = [&](std::vector<std::pair<std::string, std::string>> headers) {
    const json::object payment = {{"x402Version", 2},
                                  {"accepted", RequirementsObjectV2(option)},
                                  {"payload", testing::Permit2Payload(option, true, ++nonce, kNow + 300)}};
    headers.emplace_back("PAYMENT-SIGNATURE", Base64Encode(json::serialize(payment)));
    return Send(http::verb::get, "/api/data", headers);
  };
  auto settled_amount = [](const RouteResult& r) {
    return std::string(json::parse(r.outcome.settlement).at("amount").as_string());
  };
  const RouteResult by_option = pay({});
  ASSERT_EQ(by_option.outcome.verdict, Verdict::kPaid) << by_option.outcome.message;
  EXPECT_EQ(settled_amount(by_option), "2000");
  EXPECT_EQ(by_option.outcome.amount, "2000");
  const RouteResult by_header = pay({{"Settlement-Overrides", R"({"amount":"10%"})"}});
  ASSERT_EQ(by_header.outcome.verdict, Verdict::kPaid);
  EXPECT_EQ(settled_amount(by_header), "5000");  // the maximum is the route's price, 0.05 USD
  const std::size_t used = settlement_.used.size();
  for (const char* bad : {R"({"amount":"ten"})", "{", R"({"amount":7})"}) {
    const RouteResult r = pay({{"Settlement-Overrides", bad}});
    EXPECT_EQ(r.response.result(), http::status::bad_request) << bad;
    EXPECT_EQ(r.outcome.verdict, Verdict::kError) << bad;
    EXPECT_EQ(r.outcome.reason, "invalid_settlement_overrides") << bad;
  }
  // More than a uint256 is more than the maximum: refused as the reference refuses a charge above it.
  const RouteResult huge = pay({{"Settlement-Overrides", R"({"amount":"$)" + std::string(200, '9') + R"("})"}});
  EXPECT_EQ(huge.outcome.reason, "invalid_upto_evm_payload_settlement_exceeds_amount");
  EXPECT_LT(huge.outcome.message.size(), 400u);  // the header is not echoed whole
  EXPECT_EQ(settlement_.used.size(), used);  // nothing settled
}

// /__x402/config shows how each option's token moves, upto's charge, and the payers without
// a Permit2 approval.
TEST_F(RouterTest, TheConfigShowsEachOptionsExtraAndCharge) {
  PaywallConfig config;
  OptionSpec upto;
  upto.scheme = "upto";
  upto.network = "base-sepolia";
  upto.charge = "50%";
  config.accepts = {upto};
  config.ledger.permit2_allowance_missing = {"0x7e5f4552091a69125d5dfcb7b8c2659029395bdf"};
  paywall_ = Paywall(config);
  const json::object shown = json::parse(Send(http::verb::get, "/__x402/config").response.body()).as_object();
  const json::object& option = shown.at("accepts").at(0).as_object();
  EXPECT_EQ(option.at("extra").at("assetTransferMethod"), "permit2");
  EXPECT_EQ(option.at("extra").at("facilitatorAddress"), "0x0000000000000000000000000000000000402def");
  EXPECT_EQ(option.at("charge"), "50%");
  EXPECT_EQ(shown.at("permit2_allowance_missing"), json::array{"0x7e5f4552091a69125d5dfcb7b8c2659029395bdf"});
}

// A reference resource server applies its handler's Settlement-Overrides to any scheme: an exact
// payment settled for another amount is refused by its facilitator, so the mock refuses it too.
TEST_F(RouterTest, SettlementOverridesOnAnExactPaymentMustBeItsAmount) {
  PaywallConfig config;
  OptionSpec permit2;
  permit2.network = "base-sepolia";
  permit2.asset_transfer_method = "permit2";
  config.accepts = {permit2};
  paywall_ = Paywall(config);
  const PaymentRequirements option = paywall_.RequirementsFor("/api/data", "http://127.0.0.1:3402/api/data").front();
  uint64_t nonce = 200;
  auto pay = [&](const char* overrides) {
    const json::object payment = {{"x402Version", 2},
                                  {"accepted", RequirementsObjectV2(option)},
                                  {"payload", testing::Permit2Payload(option, false, ++nonce, kNow + 300)}};
    return Send(http::verb::get, "/api/data",
                {{"PAYMENT-SIGNATURE", Base64Encode(json::serialize(payment))}, {"Settlement-Overrides", overrides}});
  };
  const RouteResult half = pay(R"({"amount":"50%"})");
  EXPECT_EQ(half.outcome.verdict, Verdict::kRejected);
  EXPECT_EQ(half.outcome.reason, "permit2_amount_mismatch");
  EXPECT_EQ(pay(R"({"amount":"100%"})").outcome.verdict, Verdict::kPaid);
}

// Issue 25, item 7: a smart-wallet signature cannot be checked offline. Accepted unverified by
// default, but not while the ledger is on (anyone could spend a named payer's balance with
// one) unless `accept` is set explicitly.
TEST_F(RouterTest, UnverifiedSignaturesAreRefusedWhileTheLedgerIsOnUnlessAcceptedExplicitly) {
  json::object payment = json::parse(*Base64Decode(ValidV1Header())).as_object();
  payment["payload"].as_object()["signature"] = "0x" + std::string(300, 'c');  // ERC-1271
  const std::string header = Base64Encode(json::serialize(payment));
  auto pay = [&](SmartWalletPolicy policy, bool ledger) {
    PaywallConfig config;
    config.smart_wallet_signatures = policy;
    if (ledger) config.ledger.starting_balance = AtomicAmount{1'000'000};
    paywall_ = Paywall(config);
    settlement_.used.Forget(UsedAuthorizations::DigestOf("eip155:84532",
                                                         paywall_.RequirementsFor("/", "").front().asset,
                                                         "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
                                                         "0x" + std::string(64, '3')));
    return Send(http::verb::get, "/api/data", {{"X-PAYMENT", header}});
  };
  EXPECT_EQ(pay(SmartWalletPolicy::kAuto, /*ledger=*/false).response.result(), http::status::ok);
  const RouteResult refused = pay(SmartWalletPolicy::kAuto, /*ledger=*/true);
  EXPECT_EQ(refused.response.result(), http::status::payment_required);
  EXPECT_EQ(refused.outcome.reason, "invalid_exact_evm_payload_signature");
  EXPECT_NE(refused.outcome.message.find("ledger is on"), std::string::npos) << refused.outcome.message;
  EXPECT_EQ(pay(SmartWalletPolicy::kAccept, /*ledger=*/true).response.result(), http::status::ok);
  EXPECT_EQ(pay(SmartWalletPolicy::kRefuse, /*ledger=*/false).response.result(), http::status::payment_required);
}

// Issue 25, item 8: the facilitator's x402Version is the number 1 or 2, nothing that merely
// truncates to one.
TEST_F(RouterTest, FacilitatorVersionMustBeTheNumberOneOrTwo) {
  json::object body = json::parse(FacilitatorBody(ValidV1Header())).as_object();
  for (json::value version : {json::value(1.5), json::value("1"), json::value(3), json::value(0)}) {
    body["x402Version"] = version;
    const RouteResult r = Send(http::verb::post, "/facilitator/verify", {}, json::serialize(body));
    EXPECT_EQ(r.response.result(), http::status::bad_request) << json::serialize(version);
  }
  body["x402Version"] = 1.0;
  EXPECT_EQ(Send(http::verb::post, "/facilitator/verify", {}, json::serialize(body)).response.result(),
            http::status::ok);
}

}  // namespace
}  // namespace x402
