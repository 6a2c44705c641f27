// The failures real facilitators have (simulation modes pending, lost-response, rpc-outage,
// slow; per server, per route and per request) and the payment-identifier extension, through
// the router as a client and a resource server meet them.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/base64.h"
#include "server/request_history.h"
#include "server/router.h"
#include "signed_payment.h"
#include "x402/extensions/payment_identifier.h"
#include "x402/pending_settlements.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1'800'000'000;
constexpr std::string_view kPayer = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";

class FailureModesTest : public ::testing::Test {
 protected:
  RouteResult Send(http::verb method, std::string target, std::vector<std::pair<std::string, std::string>> headers = {},
                   std::string body = {}) {
    Request req{method, target, 11};
    req.set(http::field::host, "127.0.0.1:3402");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = std::move(body);
    req.prepare_payload();
    RequestContext ctx;
    ctx.paywall = &paywall_;
    ctx.now_unix = kNow;
    ctx.port = 3402;
    ctx.host = "127.0.0.1";
    ctx.settlement = &settlement_;
    // Every answer as a Response (a paid 200 may come as bytes on the wire).
    RouteResult r = HandleRequest(req, ctx);
    if (r.raw) {
      http::response_parser<http::string_body> parser;
      boost::beast::error_code ec;
      parser.eager(true);
      parser.put(boost::asio::buffer(*r.raw), ec);
      r.response = parser.release();
    }
    return r;
  }

  // A signed v2 EIP-3009 payment for |path|'s first option, nonce |nonce|, with |extensions|.
  json::object Payment(std::string_view path, char nonce, json::object extensions = {}) {
    const PaymentRequirements option = paywall_.RequirementsFor(path, "http://127.0.0.1:3402" + std::string(path)).front();
    json::object payment = {{"x402Version", 2},
                            {"accepted", RequirementsObjectV2(option)},
                            {"payload",
                             {{"signature", ""},
                              {"authorization",
                               {{"from", kPayer},
                                {"to", option.pay_to},
                                {"value", AtomicString(option.amount)},
                                {"validAfter", "0"},
                                {"validBefore", std::to_string(kNow + 60)},
                                {"nonce", "0x" + std::string(64, nonce)}}}}}};
    if (!extensions.empty()) payment["extensions"] = std::move(extensions);
    testing::SignPayment(payment, option);
    return payment;
  }
  static std::string Header(const json::object& payment) { return Base64Encode(json::serialize(payment)); }

  RouteResult Pay(std::string_view path, const json::object& payment, std::string mode = {}) {
    std::vector<std::pair<std::string, std::string>> headers = {{"PAYMENT-SIGNATURE", Header(payment)}};
    if (!mode.empty()) headers.emplace_back("X-Simulation-Mode", mode);
    return Send(http::verb::get, std::string(path), headers);
  }

  std::string SettleBody(std::string_view path, const json::object& payment) {
    const PaymentRequirements option = paywall_.RequirementsFor(path, "").front();
    return json::serialize(json::object{{"x402Version", 2},
                                        {"paymentPayload", payment},
                                        {"paymentRequirements", RequirementsObjectV2(option)}});
  }

  static json::object SettlementOf(const RouteResult& r) {
    return json::parse(*Base64Decode(r.response["PAYMENT-RESPONSE"])).as_object();
  }

  Paywall paywall_{PaywallConfig{}};
  SettlementState settlement_;
};

json::object WithId(std::string id, bool required = false) {
  json::object extension = DeclarePaymentIdentifier(required);
  extension["info"].as_object()["id"] = std::move(id);
  return json::object{{kPaymentIdentifierExtension, std::move(extension)}};
}

TEST_F(FailureModesTest, PendingSettlesAnswersSettlementPendingThenTheSamePaymentIsReconciled) {
  const json::object payment = Payment("/api/data", '1');
  const RouteResult first = Pay("/api/data", payment, "pending");
  EXPECT_EQ(first.response.result(), http::status::payment_required);
  EXPECT_EQ(first.outcome.verdict, Verdict::kSettlementPending);
  const json::object pending = SettlementOf(first);
  EXPECT_EQ(pending.at("success"), false);
  EXPECT_EQ(pending.at("errorReason"), "settlement_pending");
  const std::string tx(pending.at("transaction").as_string());
  EXPECT_EQ(tx.size(), 66u);  // a transaction to reconcile against, as isRetryableSettlementPendingResult() wants
  EXPECT_EQ(settlement_.pending.size(), 1u);
  EXPECT_EQ(settlement_.used.size(), 1u);  // the money moved

  // The retry of the same payment (in any settling mode) is answered with that transaction.
  const RouteResult retry = Pay("/api/data", payment);
  ASSERT_EQ(retry.response.result(), http::status::ok) << retry.outcome.message;
  EXPECT_EQ(SettlementOf(retry).at("transaction").as_string(), tx);
  EXPECT_EQ(retry.outcome.verdict, Verdict::kPaid);
  EXPECT_EQ(settlement_.pending.size(), 0u);
  // Once reconciled, it is an ordinary replay.
  const RouteResult third = Pay("/api/data", payment);
  EXPECT_EQ(third.outcome.verdict, Verdict::kRejected);
  EXPECT_EQ(third.outcome.reason, "invalid_exact_evm_nonce_already_used");
}

TEST_F(FailureModesTest, PendingAtTheFacilitatorSucceedsOnTheResourceServersOneRetry) {
  const json::object payment = Payment("/api/data", '2');
  const RouteResult first = Send(http::verb::post, "/facilitator/settle", {{"X-Simulation-Mode", "pending"}},
                                 SettleBody("/api/data", payment));
  ASSERT_EQ(first.response.result(), http::status::ok);
  const json::object pending = json::parse(first.response.body()).as_object();
  EXPECT_EQ(pending.at("success"), false);
  EXPECT_EQ(pending.at("errorReason"), "settlement_pending");
  EXPECT_FALSE(pending.at("transaction").as_string().empty());
  // settleWithPendingRetry() sends the identical request once more, same mode.
  const RouteResult retry = Send(http::verb::post, "/facilitator/settle", {{"X-Simulation-Mode", "pending"}},
                                 SettleBody("/api/data", payment));
  const json::object settled = json::parse(retry.response.body()).as_object();
  EXPECT_EQ(settled.at("success"), true);
  EXPECT_EQ(settled.at("transaction"), pending.at("transaction"));
  // Verify is not affected by the mode.
  const RouteResult verify = Send(http::verb::post, "/facilitator/verify", {{"X-Simulation-Mode", "pending"}},
                                  SettleBody("/api/data", Payment("/api/data", '3')));
  EXPECT_EQ(json::parse(verify.response.body()).at("isValid"), true);
}

TEST_F(FailureModesTest, LostResponseSettlesThen502AndANewPaymentIsFlaggedAsAPossibleDoublePayment) {
  RequestHistory history(100);
  auto record = [&](RouteResult r, int64_t at_ms) {
    RequestRecord rec;
    rec.unix_ms = at_ms;
    rec.path = "/api/data";
    rec.status = static_cast<int>(r.response.result_int());
    rec.outcome = std::move(r.outcome);
    return history.Add(std::move(rec));
  };
  const RouteResult lost = Pay("/api/data", Payment("/api/data", '4'), "lost-response");
  EXPECT_EQ(lost.response.result(), http::status::bad_gateway);
  EXPECT_EQ(lost.outcome.verdict, Verdict::kLostResponse);
  EXPECT_FALSE(lost.outcome.transaction.empty());
  EXPECT_EQ(settlement_.used.size(), 1u);
  const uint64_t lost_id = record(lost, kNow * 1000);
  // The careless client pays again with a new payment: flagged, naming the first.
  const RouteResult again = Pay("/api/data", Payment("/api/data", '5'));
  ASSERT_EQ(again.outcome.verdict, Verdict::kPaid);
  const uint64_t again_id = record(again, kNow * 1000 + 2000);
  HistoryQuery all;
  const auto page = history.Query(all);
  ASSERT_EQ(page.records.size(), 2u);
  EXPECT_EQ(page.records[1]->id, again_id);
  EXPECT_EQ(page.records[1]->outcome.double_payment_of, lost_id);
  EXPECT_NE(RenderRecordJson(*page.records[1]).find("\"double_payment_of\":" + std::to_string(lost_id)), std::string::npos);
  EXPECT_EQ(history.Counters().possible_double_payments, 1u);
  EXPECT_EQ(history.Counters().lost_response, 1u);
  // A third payment after a told one is an ordinary purchase.
  record(Pay("/api/data", Payment("/api/data", '6')), kNow * 1000 + 3000);
  EXPECT_EQ(history.Counters().possible_double_payments, 1u);
}

TEST_F(FailureModesTest, ARepeatLongAfterTheLostAnswerIsNotFlagged) {
  RequestHistory history(100);
  RequestRecord lost;
  lost.unix_ms = 1000;
  lost.outcome.payer = std::string(kPayer);
  lost.outcome.settled_resource = "/r";
  lost.outcome.transaction = "0x1";
  lost.outcome.payer_not_told = true;
  history.Add(std::move(lost));
  RequestRecord late;
  late.unix_ms = 1000 + (RequestHistory::kDoublePaymentWindowSeconds + 1) * 1000;
  late.outcome.payer = std::string(kPayer);
  late.outcome.settled_resource = "/r";
  late.outcome.transaction = "0x2";
  history.Add(std::move(late));
  EXPECT_EQ(history.Counters().possible_double_payments, 0u);
}

TEST_F(FailureModesTest, RpcOutageFailsVerifyAsTheReferenceDoesAndSettlesNothing) {
  const json::object payment = Payment("/api/data", '7');
  const RouteResult paywall = Pay("/api/data", payment, "rpc-outage");
  EXPECT_EQ(paywall.response.result(), http::status::payment_required);
  EXPECT_EQ(paywall.outcome.verdict, Verdict::kSimulatedFailure);
  // @x402/evm answers a failed eth_getCode as an invalid signature (verifyHashSignature()).
  EXPECT_EQ(paywall.outcome.reason, "invalid_exact_evm_signature");
  const RouteResult verify = Send(http::verb::post, "/facilitator/verify", {{"X-Simulation-Mode", "rpc-outage"}},
                                  SettleBody("/api/data", payment));
  EXPECT_EQ(json::parse(verify.response.body()).at("invalidReason"), "invalid_exact_evm_signature");
  const RouteResult settle = Send(http::verb::post, "/facilitator/settle", {{"X-Simulation-Mode", "rpc-outage"}},
                                  SettleBody("/api/data", payment));
  EXPECT_EQ(json::parse(settle.response.body()).at("errorReason"), "unexpected_settle_error");
  EXPECT_EQ(settlement_.used.size(), 0u);
  // Nothing moved: the same payment pays once the RPC is back.
  EXPECT_EQ(Pay("/api/data", payment).outcome.verdict, Verdict::kPaid);
}

TEST_F(FailureModesTest, RpcOutageOnAV1PaymentUnderX402_1_2IsTheCatchAll) {
  PaymentRequirements option = paywall_.RequirementsFor("/api/data", "http://h/api/data").front();
  json::object payment = {{"x402Version", 1},
                          {"scheme", "exact"},
                          {"network", "base-sepolia"},
                          {"payload",
                           {{"signature", ""},
                            {"authorization",
                             {{"from", kPayer},
                              {"to", option.pay_to},
                              {"value", "50000"},
                              {"validAfter", "0"},
                              {"validBefore", std::to_string(kNow + 60)},
                              {"nonce", "0x" + std::string(64, '8')}}}}}};
  testing::SignPayment(payment, option);
  const RouteResult r = Send(http::verb::get, "/api/data",
                             {{"X-PAYMENT", Header(payment)}, {"X-Simulation-Mode", "rpc-outage"}});
  EXPECT_EQ(r.outcome.reason, "unexpected_verify_error");
}

TEST_F(FailureModesTest, SlowSettlesAndAnswersAfterTheDelayWithoutA408) {
  const RouteResult slow = Pay("/api/data", Payment("/api/data", '9'), "slow");
  EXPECT_EQ(slow.response.result(), http::status::ok);
  EXPECT_EQ(slow.delay, std::chrono::milliseconds(5000));
  EXPECT_EQ(slow.outcome.verdict, Verdict::kPaid);
  const RouteResult settle = Send(http::verb::post, "/facilitator/settle", {{"X-Simulation-Mode", "slow"}},
                                  SettleBody("/api/data", Payment("/api/data", 'a')));
  EXPECT_EQ(json::parse(settle.response.body()).at("success"), true);
  EXPECT_EQ(settle.delay, std::chrono::milliseconds(5000));
  const RouteResult verify = Send(http::verb::post, "/facilitator/verify", {{"X-Simulation-Mode", "slow"}},
                                  SettleBody("/api/data", Payment("/api/data", 'b')));
  EXPECT_EQ(verify.delay, std::chrono::milliseconds(0));  // only settle is slow
}

TEST_F(FailureModesTest, ARouteHasItsOwnModeAndTheHeaderStillWins) {
  PaywallConfig config;
  PriceRule pending = PriceRule::Priced("/slow-chain/*", AtomicAmount{10'000});
  pending.simulation_mode = SimulationMode::kPending;
  config.pricing.per_resource.push_back(pending);
  paywall_ = Paywall(config);
  EXPECT_EQ(Pay("/slow-chain/x", Payment("/slow-chain/x", 'c')).outcome.verdict, Verdict::kSettlementPending);
  EXPECT_EQ(Pay("/api/data", Payment("/api/data", 'd')).outcome.verdict, Verdict::kPaid);
  EXPECT_EQ(Pay("/slow-chain/x", Payment("/slow-chain/x", 'e'), "success").outcome.verdict, Verdict::kPaid);
  const RouteResult bad = Pay("/slow-chain/x", Payment("/slow-chain/x", 'f'), "pendin");
  EXPECT_EQ(bad.response.result(), http::status::bad_request);
  EXPECT_NE(bad.response.body().find("lost-response"), std::string::npos);  // names every mode
}

class PaymentIdentifierTest : public FailureModesTest {
 protected:
  void SetUp() override {
    PaywallConfig config;
    PriceRule required = PriceRule::Priced("/orders", AtomicAmount{10'000});
    required.payment_identifier = PaymentIdentifierPolicy::kRequired;
    config.pricing.per_resource.push_back(required);
    config.payment_identifier = PaymentIdentifierPolicy::kOptional;
    paywall_ = Paywall(config);
  }
};

TEST_F(PaymentIdentifierTest, The402DeclaresTheExtensionAsTheRouteSays) {
  auto declared = [&](std::string path) {
    const RouteResult r = Send(http::verb::get, path);
    return json::parse(*Base64Decode(r.response["PAYMENT-REQUIRED"])).as_object();
  };
  const json::object required = declared("/orders");
  EXPECT_EQ(required.at("extensions").at("payment-identifier").at("info").at("required"), true);
  EXPECT_EQ(required.at("extensions").at("payment-identifier").at("schema").at("properties").at("id").at("minLength"), 16);
  EXPECT_EQ(declared("/api/data").at("extensions").at("payment-identifier").at("info").at("required"), false);
  paywall_ = Paywall(PaywallConfig{});
  EXPECT_FALSE(declared("/api/data").contains("extensions"));
}

TEST_F(PaymentIdentifierTest, TheSamePaymentAgainGetsTheFirstAnswerAndIsChargedOnce) {
  const json::object payment = Payment("/orders", '1', WithId("pay_0123456789abcdef0123"));
  const RouteResult first = Pay("/orders", payment);
  ASSERT_EQ(first.response.result(), http::status::ok) << first.outcome.message;
  const RouteResult repeat = Pay("/orders", payment);
  ASSERT_EQ(repeat.response.result(), http::status::ok) << repeat.response.body();
  EXPECT_EQ(repeat.response["PAYMENT-RESPONSE"], first.response["PAYMENT-RESPONSE"]);
  EXPECT_EQ(repeat.response.body(), first.response.body());
  EXPECT_EQ(repeat.outcome.verdict, Verdict::kRepeated);
  EXPECT_EQ(settlement_.used.size(), 1u);
  // Another payment under the same id: 409, and nothing settled.
  const RouteResult conflict = Pay("/orders", Payment("/orders", '2', WithId("pay_0123456789abcdef0123")));
  EXPECT_EQ(conflict.response.result(), http::status::conflict);
  EXPECT_EQ(conflict.outcome.reason, "payment_identifier_conflict");
  EXPECT_EQ(settlement_.used.size(), 1u);
}

TEST_F(PaymentIdentifierTest, RequiredAndMissingOrMalformedIs400BeforeVerification) {
  // The echoed declaration without an id (what a client that ignores the extension sends).
  json::object echoed{{kPaymentIdentifierExtension, DeclarePaymentIdentifier(true)}};
  const RouteResult missing = Pay("/orders", Payment("/orders", '3', echoed));
  EXPECT_EQ(missing.response.result(), http::status::bad_request);
  EXPECT_EQ(missing.outcome.reason, "payment_identifier_required");
  EXPECT_EQ(Pay("/orders", Payment("/orders", '4')).outcome.reason, "payment_identifier_required");
  for (const std::string& bad : {std::string("short"), std::string(129, 'a'), std::string("pay_with spaces_0123"),
                                std::string("pay_0123456789abcdef\n")}) {
    const RouteResult r = Pay("/orders", Payment("/orders", '5', WithId(bad)));
    EXPECT_EQ(r.response.result(), http::status::bad_request) << bad;
    EXPECT_EQ(r.outcome.reason, "invalid_payment_identifier") << bad;
  }
  json::object not_an_object{{kPaymentIdentifierExtension, "id"}};
  EXPECT_EQ(Pay("/orders", Payment("/orders", '6', not_an_object)).outcome.reason, "invalid_payment_identifier");
  // Checked before verification: an unsigned payment with a bad id is a 400, not a 402.
  json::object unsigned_payment = Payment("/orders", '7', WithId("x"));
  unsigned_payment["payload"].as_object()["signature"] = "0x00";
  EXPECT_EQ(Pay("/orders", unsigned_payment).response.result(), http::status::bad_request);
  EXPECT_EQ(settlement_.used.size(), 0u);
  // Optional: a payment without one is served.
  EXPECT_EQ(Pay("/api/data", Payment("/api/data", '8')).outcome.verdict, Verdict::kPaid);
}

TEST_F(PaymentIdentifierTest, ARefusedPaymentIsNotKeptSoItIsCheckedAgain) {
  json::object payment = Payment("/orders", '9', WithId("pay_refused_then_fixed_01"));
  payment["payload"].as_object()["signature"] = "0x" + std::string(130, 'f');
  EXPECT_EQ(Pay("/orders", payment).outcome.verdict, Verdict::kRejected);
  EXPECT_EQ(settlement_.payment_ids.size(), 0u);
  // The same id with a corrected payment is a new payment, not a conflict.
  EXPECT_EQ(Pay("/orders", Payment("/orders", '9', WithId("pay_refused_then_fixed_01"))).outcome.verdict, Verdict::kPaid);
}

TEST_F(PaymentIdentifierTest, ALostAnswerIsGivenAgainToTheRetryWithTheSameId) {
  const json::object payment = Payment("/orders", 'a', WithId("pay_lost_answer_retry_01"));
  EXPECT_EQ(Pay("/orders", payment, "lost-response").response.result(), http::status::bad_gateway);
  const RouteResult retry = Pay("/orders", payment);
  EXPECT_EQ(retry.response.result(), http::status::ok);
  EXPECT_EQ(retry.outcome.verdict, Verdict::kRepeated);
  EXPECT_EQ(settlement_.used.size(), 1u);
}

// Review of issue 29: a kept answer is for its own route only, and a pending payment keeps
// its id (the money moved), so a re-signed payment under it is a conflict.
TEST_F(PaymentIdentifierTest, AnAnswerIsNotGivenToAnotherRouteAndAPendingPaymentKeepsItsId) {
  const json::object payment = Payment("/orders", 'e', WithId("pay_route_bound_0000001"));
  ASSERT_EQ(Pay("/orders", payment).response.result(), http::status::ok);
  const RouteResult elsewhere = Pay("/api/data", payment);
  EXPECT_NE(elsewhere.outcome.verdict, Verdict::kRepeated);
  EXPECT_NE(elsewhere.response.result(), http::status::ok);  // its accepted offer is /orders', not this one's
  const json::object pending = Payment("/orders", 'f', WithId("pay_pending_keeps_id_01"));
  EXPECT_EQ(Pay("/orders", pending, "pending").outcome.verdict, Verdict::kSettlementPending);
  const RouteResult resigned = Pay("/orders", Payment("/orders", '0', WithId("pay_pending_keeps_id_01")));
  EXPECT_EQ(resigned.response.result(), http::status::conflict);
  const RouteResult reconciled = Pay("/orders", pending);
  EXPECT_EQ(reconciled.response.result(), http::status::ok) << reconciled.outcome.message;
  EXPECT_EQ(reconciled.outcome.verdict, Verdict::kPaid);
  EXPECT_EQ(Pay("/orders", pending).outcome.verdict, Verdict::kRepeated);  // then its answer is kept
}

TEST_F(PaymentIdentifierTest, TheFacilitatorsSettleIsIdempotentToo) {
  const json::object payment = Payment("/orders", 'b', WithId("pay_facilitator_settle_1"));
  const RouteResult first = Send(http::verb::post, "/facilitator/settle", {}, SettleBody("/orders", payment));
  ASSERT_EQ(json::parse(first.response.body()).at("success"), true);
  const RouteResult again = Send(http::verb::post, "/facilitator/settle", {}, SettleBody("/orders", payment));
  EXPECT_EQ(again.response.body(), first.response.body());
  EXPECT_EQ(settlement_.used.size(), 1u);
  const RouteResult conflict = Send(http::verb::post, "/facilitator/settle", {},
                                    SettleBody("/orders", Payment("/orders", 'c', WithId("pay_facilitator_settle_1"))));
  EXPECT_EQ(conflict.response.result(), http::status::conflict);
  EXPECT_EQ(json::parse(conflict.response.body()).at("errorReason"), "payment_identifier_conflict");
  json::object echoed{{kPaymentIdentifierExtension, DeclarePaymentIdentifier(true)}};
  const RouteResult missing = Send(http::verb::post, "/facilitator/settle", {},
                                   SettleBody("/orders", Payment("/orders", 'd', echoed)));
  EXPECT_EQ(missing.response.result(), http::status::bad_request);
}

TEST(PendingSettlementsTest, BoundedOldestFirstAndExpiring) {
  PendingSettlements pending;
  auto key = [](uint64_t n) { return PendingSettlements::Key{n, n * 7}; };
  for (uint64_t i = 0; i < PendingSettlements::kCapacity + 10; ++i) pending.Remember(key(i), "tx" + std::to_string(i), 100);
  EXPECT_EQ(pending.size(), PendingSettlements::kCapacity);
  EXPECT_FALSE(pending.Take(key(0), 100));  // the oldest made room
  EXPECT_EQ(pending.Take(key(PendingSettlements::kCapacity + 9), 100), "tx" + std::to_string(PendingSettlements::kCapacity + 9));
  EXPECT_FALSE(pending.Take(key(PendingSettlements::kCapacity + 9), 100));  // taken once
  EXPECT_FALSE(pending.Take(key(500), 100 + PendingSettlements::kTtlSeconds));  // expired
  EXPECT_EQ(pending.size(), 0u);
}

TEST(PaymentIdentifierStoreTest, BoundedAndForgetsTheOldestAnswer) {
  PaymentIdentifierStore store;
  const Hash32 digest{};
  std::shared_ptr<const PaymentIdentifierStore::Answer> answer;
  for (std::size_t i = 0; i < PaymentIdentifierStore::kCapacity + 5; ++i) {
    const std::string id = "pay_" + std::to_string(1'000'000'000'000 + i);
    ASSERT_EQ(store.Begin("s", id, digest, &answer), PaymentIdentifierStore::Claim::kNew);
    store.Finish("s", id, std::make_shared<PaymentIdentifierStore::Answer>());
  }
  EXPECT_EQ(store.size(), PaymentIdentifierStore::kCapacity);
  EXPECT_EQ(store.Begin("s", "pay_1000000000000", digest, &answer), PaymentIdentifierStore::Claim::kNew);
  EXPECT_EQ(store.Begin("s", "pay_1000000004099", digest, &answer), PaymentIdentifierStore::Claim::kRepeat);
  EXPECT_EQ(store.Begin("other", "pay_1000000004099", digest, &answer), PaymentIdentifierStore::Claim::kNew);
  EXPECT_EQ(store.Begin("other", "pay_1000000004099", digest, &answer), PaymentIdentifierStore::Claim::kInProgress);
  // An answer too large to keep is not kept.
  auto big = std::make_shared<PaymentIdentifierStore::Answer>();
  big->body.assign(PaymentIdentifierStore::kMaxAnswerBytes + 1, 'x');
  store.Finish("other", "pay_1000000004099", big);
  EXPECT_EQ(store.Begin("other", "pay_1000000004099", digest, &answer), PaymentIdentifierStore::Claim::kNew);
}

}  // namespace
}  // namespace x402

namespace x402 {
namespace {

// Reconciled entries leave their place in the insertion order behind; it must not grow with
// the traffic (review of issue 29).
TEST(PendingSettlementsTest, TakenEntriesDoNotGrowTheOrderWithoutBound) {
  PendingSettlements pending;
  for (uint64_t i = 0; i < 20 * PendingSettlements::kCapacity; ++i) {
    const PendingSettlements::Key key{i, i};
    pending.Remember(key, "tx", 100);
    ASSERT_TRUE(pending.Take(key, 100));
  }
  EXPECT_LE(pending.order_size_for_test(), 2 * PendingSettlements::kCapacity + 1);
}

}  // namespace
}  // namespace x402
