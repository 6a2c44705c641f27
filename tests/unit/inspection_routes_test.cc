// The router's side of the request history: what it decides about each request (the
// outcome the session records), and the /__x402/ endpoints that serve it.
#include "server/inspection_routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/base64.h"
#include "server/request_history.h"
#include "signed_payment.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1'800'000'000;

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

class InspectionRoutesTest : public ::testing::Test {
 protected:
  RouteResult Send(http::verb method, std::string target,
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request req{method, target, 11};
    req.set(http::field::host, "127.0.0.1:3402");
    for (auto& [k, v] : headers) req.set(k, v);
    req.prepare_payload();
    RequestContext ctx;
    ctx.paywall = &paywall_;
    ctx.history = &history_;
    ctx.now_unix = kNow;
    ctx.pid = 42;
    ctx.port = 3402;
    ctx.host = "127.0.0.1";
    return HandleRequest(req, ctx);
  }

  // What the session does after routing, minus timing.
  void Record(RouteResult r, std::string path, int status) {
    if (r.outcome.unrecorded) return;
    RequestRecord record;
    record.method = "GET";
    record.path = std::move(path);
    record.status = status;
    record.outcome = std::move(r.outcome);
    history_.Add(std::move(record));
  }

  std::string V1Payment(std::string value = "50000") {
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
            {"nonce", "0x" + std::string(64, '3')}}}}}};
    // Really signed by test key 1 (authorization.from): the paywall checks signatures.
    testing::SignPayment(payment, paywall_.RequirementsFor("/", "").front());
    return Base64Encode(json::serialize(payment));
  }

  Paywall paywall_{PaywallConfig{}};
  RequestHistory history_{100};
};

TEST_F(InspectionRoutesTest, UnpaidOutcomeCarriesTheOfferAlsoWhenCached) {
  for (int i = 0; i < 2; ++i) {  // the second answer comes from the per-thread cache
    const RouteResult r = Send(http::verb::get, "/api/data");
    EXPECT_EQ(r.outcome.verdict, Verdict::kUnpaid);
    EXPECT_EQ(r.outcome.amount, "50000");
    ASSERT_TRUE(r.outcome.requirements);
    // The offer's `accepts` array (v2 objects): one option here.
    const json::array offer = json::parse(*r.outcome.requirements).as_array();
    ASSERT_EQ(offer.size(), 1u);
    EXPECT_EQ(offer.at(0).at("amount").as_string(), "50000");
    EXPECT_EQ(offer.at(0).at("network").as_string(), "eip155:84532");
  }
}

TEST_F(InspectionRoutesTest, PaidAndRejectedOutcomes) {
  const RouteResult paid = Send(http::verb::get, "/api/data", {{"X-PAYMENT", V1Payment()}});
  EXPECT_EQ(paid.outcome.verdict, Verdict::kPaid);
  EXPECT_EQ(paid.outcome.x402_version, 1);
  EXPECT_EQ(paid.outcome.payment_header, "X-PAYMENT");
  EXPECT_EQ(paid.outcome.payer, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  EXPECT_EQ(paid.outcome.amount, "50000");
  EXPECT_EQ(json::parse(paid.outcome.settlement).at("success").as_bool(), true);
  const json::array accepts = json::parse(*paid.outcome.requirements).as_array();  // v1 objects
  ASSERT_EQ(accepts.size(), 1u);
  EXPECT_EQ(accepts.at(0).at("maxAmountRequired").as_string(), "50000");

  const RouteResult rejected = Send(http::verb::get, "/api/data", {{"X-PAYMENT", V1Payment("1")}});
  EXPECT_EQ(rejected.outcome.verdict, Verdict::kRejected);
  EXPECT_EQ(rejected.outcome.reason, "invalid_exact_evm_payload_authorization_value");
  EXPECT_FALSE(rejected.outcome.message.empty());

  const RouteResult failed = Send(http::verb::get, "/api/data",
                                  {{"X-PAYMENT", V1Payment()}, {"X-Simulation-Mode", "failure"}});
  EXPECT_EQ(failed.outcome.verdict, Verdict::kSimulatedFailure);
  EXPECT_FALSE(failed.outcome.settlement.empty());
  const RouteResult timeout = Send(http::verb::get, "/api/data",
                                   {{"X-PAYMENT", V1Payment()}, {"X-Simulation-Mode", "timeout"}});
  EXPECT_EQ(timeout.outcome.verdict, Verdict::kSimulatedTimeout);
}

// The history holds signed authorizations and DELETE clears it: a web page on another origin
// must not read it (no Access-Control-Allow-Origin) nor get a preflight through for DELETE.
TEST_F(InspectionRoutesTest, OtherOriginsCannotReadOrClearTheMocksOwnPaths) {
  for (const char* target : {"/__x402/requests", "/__x402/config", "/__x402/ledger"}) {
    const Response get = Parsed(Send(http::verb::get, target, {{"Origin", "https://evil.example"}}));
    EXPECT_EQ(get.find(http::field::access_control_allow_origin), get.end()) << target;
    const Response preflight = Parsed(Send(
        http::verb::options, target,
        {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "DELETE"}}));
    EXPECT_NE(preflight.result(), http::status::no_content) << target;
    EXPECT_EQ(preflight.find(http::field::access_control_allow_origin), preflight.end()) << target;
    EXPECT_EQ(preflight.find(http::field::access_control_allow_methods), preflight.end()) << target;
  }
  // Health stays readable from anywhere, and the paywall's preflight is unchanged.
  const Response health = Parsed(Send(http::verb::get, "/__x402/health"));
  EXPECT_EQ(health[http::field::access_control_allow_origin], "*");
  const Response paid_preflight = Parsed(Send(
      http::verb::options, "/api/data",
      {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "GET"}}));
  EXPECT_EQ(paid_preflight.result(), http::status::no_content);
}

TEST_F(InspectionRoutesTest, ReservedPathsAreNeverPriced) {
  // (/__x402 and /__x402/ are the dashboard's: router_test / observe_test.)
  for (const char* target : {"/__x402/anything-else", "/__x402/dashboard", "/__x402/requests/1",
                             "/__x402/health/x"}) {
    const RouteResult r = Send(http::verb::get, target);
    EXPECT_EQ(r.response.result(), http::status::not_found) << target;
    EXPECT_TRUE(r.outcome.unrecorded) << target;
    EXPECT_EQ(r.response.find(kPaymentRequiredHeader), r.response.end()) << target;
  }
  for (const char* target : {"/__x402", "/__x402/", "/__x402/dashboard.js"}) {
    const RouteResult r = Send(http::verb::get, target);
    EXPECT_EQ(r.response.result(), http::status::ok) << target;
    EXPECT_TRUE(r.outcome.unrecorded) << target;
    EXPECT_EQ(r.response.find(kPaymentRequiredHeader), r.response.end()) << target;
  }
  // A path that only starts like the prefix is an ordinary priced path.
  EXPECT_EQ(Parsed(Send(http::verb::get, "/__x402abc")).result(), http::status::payment_required);
}

TEST_F(InspectionRoutesTest, RequestsServesTheHistoryWithFilters) {
  Record(Send(http::verb::get, "/api/data"), "/api/data", 402);
  Record(Send(http::verb::get, "/api/data", {{"X-PAYMENT", V1Payment()}}), "/api/data", 200);
  Record(Send(http::verb::get, "/other", {{"X-PAYMENT", V1Payment("1")}}), "/other", 402);
  Record(Send(http::verb::get, "/__x402/requests"), "/__x402/requests", 200);  // not recorded

  json::value all = json::parse(Send(http::verb::get, "/__x402/requests").response.body());
  EXPECT_EQ(all.at("capacity").as_int64(), 100);
  EXPECT_EQ(all.at("total").as_int64(), 3);
  ASSERT_EQ(all.at("requests").as_array().size(), 3u);
  const json::value& paid = all.at("requests").as_array()[1];
  EXPECT_EQ(paid.at("id").as_int64(), 2);
  EXPECT_EQ(paid.at("verdict").as_string(), "paid");
  EXPECT_EQ(paid.at("payment").at("payer").as_string(), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  EXPECT_EQ(paid.at("payment").at("nonce").as_string(), "0x" + std::string(64, '3'));
  EXPECT_EQ(paid.at("payment").at("network").as_string(), "base-sepolia");

  auto ids = [&](std::string target) {
    std::vector<int64_t> out;
    const json::value v = json::parse(Send(http::verb::get, target).response.body());
    for (const auto& r : v.at("requests").as_array()) out.push_back(r.at("id").as_int64());
    return out;
  };
  EXPECT_EQ(ids("/__x402/requests?limit=1"), (std::vector<int64_t>{3}));
  EXPECT_EQ(ids("/__x402/requests?since=1"), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(ids("/__x402/requests?path=%2Fapi%2Fdata"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(ids("/__x402/requests?verdict=rejected"), (std::vector<int64_t>{3}));
  EXPECT_EQ(ids("/__x402/requests?path=/api/data&verdict=unpaid"), (std::vector<int64_t>{1}));

  EXPECT_EQ(Send(http::verb::get, "/__x402/requests?limit=x").response.result(), http::status::bad_request);
  EXPECT_EQ(Send(http::verb::get, "/__x402/requests?since=-1").response.result(), http::status::bad_request);
  EXPECT_EQ(Send(http::verb::get, "/__x402/requests?verdict=maybe").response.result(),
            http::status::bad_request);
  EXPECT_EQ(Send(http::verb::post, "/__x402/requests").response.result(),
            http::status::method_not_allowed);

  EXPECT_EQ(Send(http::verb::delete_, "/__x402/requests").response.result(), http::status::no_content);
  all = json::parse(Send(http::verb::get, "/__x402/requests").response.body());
  EXPECT_TRUE(all.at("requests").as_array().empty());
  Record(Send(http::verb::get, "/api/data"), "/api/data", 402);
  EXPECT_EQ(ids("/__x402/requests"), (std::vector<int64_t>{4}));  // ids go on after a clear
}

TEST_F(InspectionRoutesTest, HealthCarriesTheCounters) {
  Record(Send(http::verb::get, "/api/data"), "/api/data", 402);
  Record(Send(http::verb::get, "/api/data", {{"X-PAYMENT", V1Payment()}}), "/api/data", 200);
  Record(Send(http::verb::get, "/api/data", {{"X-PAYMENT", V1Payment("1")}}), "/api/data", 402);
  const json::value health = json::parse(Send(http::verb::get, "/__x402/health").response.body());
  const json::value& c = health.at("counters");
  EXPECT_EQ(c.at("requests").as_int64(), 3);
  EXPECT_EQ(c.at("unpaid").as_int64(), 1);
  EXPECT_EQ(c.at("paid").as_int64(), 1);
  EXPECT_EQ(c.at("rejected").as_int64(), 1);
  EXPECT_EQ(c.at("rejected_by_reason").at("invalid_exact_evm_payload_authorization_value").as_int64(), 1);
  EXPECT_EQ(health.at("simulation_mode").as_string(), "success");
}

TEST_F(InspectionRoutesTest, ConfigShowsTheEffectivePaywall) {
  const RouteResult r = Send(http::verb::get, "/__x402/config");
  ASSERT_EQ(r.response.result(), http::status::ok);
  const json::value c = json::parse(r.response.body());
  EXPECT_EQ(c.at("network").as_string(), "base-sepolia");
  EXPECT_EQ(c.at("caip2").as_string(), "eip155:84532");
  EXPECT_EQ(c.at("pay_to").as_string(), paywall_.config().pay_to);
  EXPECT_EQ(c.at("default_price").at("usd").as_string(), "0.01");
  EXPECT_EQ(c.at("default_price").at("amount").as_string(), "10000");
  EXPECT_EQ(c.at("pricing").as_array()[0].at("path").as_string(), "/api/data");
  EXPECT_EQ(c.at("simulation_mode").as_string(), "success");
  EXPECT_EQ(c.at("history_capacity").as_int64(), 100);
  EXPECT_FALSE(c.at("asset").as_string().empty());
}

TEST(QueryParameterTest, FindsAndDecodes) {
  EXPECT_EQ(QueryParameter("/x?a=1&b=%2Fp+q", "b"), "/p q");
  EXPECT_EQ(QueryParameter("/x?a=1&b=2", "a"), "1");
  EXPECT_EQ(QueryParameter("/x?a", "a"), "");
  EXPECT_FALSE(QueryParameter("/x?ab=1", "a"));
  EXPECT_FALSE(QueryParameter("/x", "a"));
  EXPECT_EQ(QueryParameter("/x?a=%zz%4", "a"), "%zz%4");
}

// Issue 25, item 8: a path is recorded as the client sent it (%20 stays %20, '+' is a '+', as
// the access log shows it); ?path= finds it pasted as it is, or encoded properly.
TEST_F(InspectionRoutesTest, ThePathFilterMatchesPathsAsTheAccessLogShowsThem) {
  Record(Send(http::verb::get, "/a%20b"), "/a%20b", 402);
  Record(Send(http::verb::get, "/c+d"), "/c+d", 402);
  Record(Send(http::verb::get, "/other"), "/other", 402);
  auto count = [this](const std::string& filter) {
    const RouteResult r = Send(http::verb::get, "/__x402/requests?path=" + filter);
    return json::parse(r.response.body()).at("requests").as_array().size();
  };
  EXPECT_EQ(count("/a%20b"), 1u);      // pasted from the log
  EXPECT_EQ(count("%2Fa%2520b"), 1u);  // encoded
  EXPECT_EQ(count("/c+d"), 1u);        // a '+' in a path is a '+'
  EXPECT_EQ(count("/c%2Bd"), 1u);
  EXPECT_EQ(count("/nothing"), 0u);
}

}  // namespace
}  // namespace x402
