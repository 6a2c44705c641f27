#include "server/request_history.h"

#include <gtest/gtest.h>
#include <limits>

#include <boost/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "base/base64.h"

namespace x402 {
namespace {

namespace json = boost::json;

RequestRecord Record(std::string path, Verdict verdict = Verdict::kUnpaid, std::string reason = {}) {
  RequestRecord r;
  r.method = "GET";
  r.path = std::move(path);
  r.status = verdict == Verdict::kPaid ? 200 : 402;
  r.outcome.verdict = verdict;
  r.outcome.reason = std::move(reason);
  return r;
}

std::vector<uint64_t> Ids(const RequestHistory::Page& page) {
  std::vector<uint64_t> ids;
  for (const auto& r : page.records) ids.push_back(r->id);
  return ids;
}

TEST(RequestHistoryTest, IdsStartAtOneAndIncrease) {
  RequestHistory history(10);
  EXPECT_EQ(history.Add(Record("/a")), 1u);
  EXPECT_EQ(history.Add(Record("/b")), 2u);
  EXPECT_EQ(history.Add(Record("/c")), 3u);
  const auto page = history.Query({});
  EXPECT_EQ(Ids(page), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(page.records[1]->path, "/b");
  EXPECT_EQ(page.total, 3u);
  EXPECT_EQ(page.dropped, 0u);
  EXPECT_EQ(page.capacity, 10u);
}

TEST(RequestHistoryTest, KeepsOnlyTheNewestCapacityRecords) {
  RequestHistory history(4);
  for (int i = 0; i < 10; ++i) history.Add(Record("/p" + std::to_string(i)));
  HistoryQuery all;
  all.limit = 100;
  const auto page = history.Query(all);
  EXPECT_EQ(Ids(page), (std::vector<uint64_t>{7, 8, 9, 10}));
  EXPECT_EQ(page.records.front()->path, "/p6");
  EXPECT_EQ(page.total, 10u);
  EXPECT_EQ(page.dropped, 6u);
}

TEST(RequestHistoryTest, LimitSinceAndFilters) {
  RequestHistory history(100);
  history.Add(Record("/a"));                                   // 1
  history.Add(Record("/a", Verdict::kPaid));                   // 2
  history.Add(Record("/b", Verdict::kRejected, "bad_sig"));    // 3
  history.Add(Record("/a", Verdict::kPaid));                   // 4
  history.Add(Record("/b"));                                   // 5

  HistoryQuery q;
  q.limit = 2;
  EXPECT_EQ(Ids(history.Query(q)), (std::vector<uint64_t>{4, 5}));  // the newest two
  q = {};
  q.since = 3;
  EXPECT_EQ(Ids(history.Query(q)), (std::vector<uint64_t>{4, 5}));
  q = {};
  q.paths = {"/a"};
  EXPECT_EQ(Ids(history.Query(q)), (std::vector<uint64_t>{1, 2, 4}));
  q.verdict = Verdict::kPaid;
  EXPECT_EQ(Ids(history.Query(q)), (std::vector<uint64_t>{2, 4}));
  q.limit = 1;
  EXPECT_EQ(Ids(history.Query(q)), (std::vector<uint64_t>{4}));
  q = {};
  q.verdict = Verdict::kRejected;
  EXPECT_EQ(Ids(history.Query(q)), (std::vector<uint64_t>{3}));
  q.since = 3;
  EXPECT_TRUE(history.Query(q).records.empty());
  // At or past the newest id there is nothing newer, however large (2^64 - 1 + 1 wraps to 0).
  q = {};
  q.since = 5;
  EXPECT_TRUE(history.Query(q).records.empty());
  q.since = std::numeric_limits<uint64_t>::max();
  EXPECT_TRUE(history.Query(q).records.empty());
}

// Issue 25, item 6: a page is bounded in records and bytes, and a reader pages through the rest
// (forward after |since|, oldest first; backward before |before|), told by |more|.
TEST(RequestHistoryTest, PagesAreBoundedAndPageThroughEverything) {
  RequestHistory history(5000);
  for (int i = 0; i < 3000; ++i) history.Add(Record("/p"));
  HistoryQuery q;
  q.limit = 5000;
  RequestHistory::Page page = history.Query(q);
  EXPECT_EQ(page.records.size(), RequestHistory::kMaxPageRecords);
  EXPECT_TRUE(page.more);
  EXPECT_EQ(page.records.back()->id, 3000u);
  // Backward: before the oldest id shown, until nothing is left.
  std::vector<uint64_t> seen = Ids(page);
  while (page.more) {
    q.before = page.records.front()->id;
    page = history.Query(q);
    const std::vector<uint64_t> older = Ids(page);
    seen.insert(seen.begin(), older.begin(), older.end());
  }
  ASSERT_EQ(seen.size(), 3000u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i + 1);
  // Forward: after |since|, the oldest first, without gaps.
  q = {};
  q.limit = 700;
  q.since = 100;
  page = history.Query(q);
  EXPECT_EQ(page.records.front()->id, 101u);
  EXPECT_EQ(page.records.back()->id, 800u);
  EXPECT_TRUE(page.more);
  q.since = 2990;
  page = history.Query(q);
  EXPECT_EQ(page.records.size(), 10u);
  EXPECT_FALSE(page.more);
}

TEST(RequestHistoryTest, TheRenderedPageStaysWithinItsByteBudget) {
  RequestHistory history(100);
  for (int i = 0; i < 100; ++i) history.Add(Record("/" + std::string(900, 'x')));
  HistoryQuery newest;
  newest.limit = 100;
  const std::string json_newest = RenderHistoryJson(history.Query(newest), 20'000);
  EXPECT_LT(json_newest.size(), 21'000u);
  const json::value parsed = json::parse(json_newest);
  EXPECT_EQ(parsed.at("more"), true);
  const json::array& records = parsed.at("requests").as_array();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().at("id").as_int64(), 100);  // the newest end is kept
  HistoryQuery forward;
  forward.limit = 100;
  forward.since = 0;
  const json::value first = json::parse(RenderHistoryJson(history.Query(forward), 20'000));
  EXPECT_EQ(first.at("requests").as_array().front().at("id").as_int64(), 1);  // the oldest end
  EXPECT_EQ(first.at("more"), true);
}

TEST(RequestHistoryTest, EachRunHasItsOwnStartId) {
  RequestHistory a(10), b(10);
  EXPECT_EQ(a.start_id().size(), 16u);
  EXPECT_NE(a.start_id(), b.start_id());
  EXPECT_EQ(json::parse(RenderHistoryJson(a.Query({}))).at("start_id").as_string(), a.start_id());
}

TEST(RequestHistoryTest, ARecordDoesNotKeepALongOfferWhole) {
  RequestHistory history(10);
  RequestRecord r = Record("/a");
  r.outcome.requirements = std::make_shared<const std::string>(std::string(100'000, 'x'));
  history.Add(std::move(r));
  const auto page = history.Query({});
  ASSERT_EQ(page.records.size(), 1u);
  EXPECT_LE(page.records[0]->outcome.requirements->size(), 200u);
  EXPECT_NO_THROW(json::parse(RenderHistoryJson(page)));
}

TEST(RequestHistoryTest, ClearEmptiesButIdsKeepCounting) {
  RequestHistory history(10);
  history.Add(Record("/a"));
  history.Add(Record("/a"));
  history.Clear();
  auto page = history.Query({});
  EXPECT_TRUE(page.records.empty());
  EXPECT_EQ(page.total, 0u);
  EXPECT_EQ(history.Add(Record("/b")), 3u);
  page = history.Query({});
  EXPECT_EQ(Ids(page), (std::vector<uint64_t>{3}));
  EXPECT_EQ(page.total, 1u);
  EXPECT_EQ(page.dropped, 0u);
  // The counters are since start.
  EXPECT_EQ(history.Counters().requests, 3u);
}

TEST(RequestHistoryTest, ZeroCapacityKeepsNothingButCounts) {
  RequestHistory history(0);
  history.Add(Record("/a", Verdict::kPaid));
  history.Add(Record("/a"));
  const auto page = history.Query({});
  EXPECT_TRUE(page.records.empty());
  EXPECT_EQ(page.total, 2u);
  EXPECT_EQ(page.dropped, 2u);
  const HistoryCounters c = history.Counters();
  EXPECT_EQ(c.requests, 2u);
  EXPECT_EQ(c.paid, 1u);
  EXPECT_EQ(c.unpaid, 1u);
}

TEST(RequestHistoryTest, CapacityIsCapped) {
  RequestHistory history(RequestHistory::kMaxCapacity * 10);
  EXPECT_EQ(history.capacity(), RequestHistory::kMaxCapacity);
}

TEST(RequestHistoryTest, CountsByVerdictAndReason) {
  RequestHistory history(10);
  history.Add(Record("/a"));
  history.Add(Record("/a", Verdict::kPaid));
  history.Add(Record("/a", Verdict::kRejected, "invalid_exact_evm_payload_signature"));
  history.Add(Record("/a", Verdict::kRejected, "invalid_exact_evm_payload_signature"));
  history.Add(Record("/a", Verdict::kRejected, "invalid_network"));
  history.Add(Record("/a", Verdict::kSimulatedTimeout));
  history.Add(Record("/a", Verdict::kError));
  const HistoryCounters c = history.Counters();
  EXPECT_EQ(c.requests, 7u);
  EXPECT_EQ(c.unpaid, 1u);
  EXPECT_EQ(c.paid, 1u);
  EXPECT_EQ(c.rejected, 3u);
  EXPECT_EQ(c.simulated_timeout, 1u);
  EXPECT_EQ(c.errors, 1u);
  EXPECT_EQ(c.rejected_by_reason.at("invalid_exact_evm_payload_signature"), 2u);
  EXPECT_EQ(c.rejected_by_reason.at("invalid_network"), 1u);
  const json::value counters = json::parse(RenderCountersJson(c));
  EXPECT_EQ(counters.at("rejected_by_reason").at("invalid_network").as_int64(), 1);
  EXPECT_EQ(counters.at("paid").as_int64(), 1);
}

TEST(RequestHistoryTest, DistinctReasonsAreBounded) {
  RequestHistory history(1);
  for (std::size_t i = 0; i < RequestHistory::kMaxReasons + 10; ++i) {
    history.Add(Record("/a", Verdict::kRejected, "reason_" + std::to_string(i)));
  }
  const HistoryCounters c = history.Counters();
  EXPECT_EQ(c.rejected_by_reason.size(), RequestHistory::kMaxReasons + 1);
  EXPECT_EQ(c.rejected_by_reason.at("other"), 10u);
}

TEST(RequestHistoryTest, LongFieldsAreCutToTheirBound) {
  RequestHistory history(2);
  RequestRecord r = Record("/" + std::string(100'000, 'p'));
  r.query = std::string(100'000, 'q');
  r.outcome.payment_header = "X-PAYMENT";
  r.outcome.payment_value = std::string(100'000, 'A');
  r.outcome.message = std::string(100'000, 'm');
  history.Add(std::move(r));
  const auto page = history.Query({});
  ASSERT_EQ(page.records.size(), 1u);
  const RequestRecord& kept = *page.records[0];
  EXPECT_EQ(kept.path.size(), kMaxRecordedPath);
  EXPECT_EQ(kept.query.size(), kMaxRecordedQuery);
  EXPECT_EQ(kept.outcome.payment_value.size(), kMaxRecordedPayment);
  EXPECT_EQ(kept.outcome.message.size(), kMaxRecordedText);
}

// Several threads adding while another reads: every id is handed out once, the ring never
// holds more than its capacity, and what a reader sees is always in id order.
TEST(RequestHistoryTest, ConcurrentAddsGetDistinctIdsAndReadersSeeOrder) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5000;
  RequestHistory history(256);
  std::vector<std::vector<uint64_t>> ids(kThreads);
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done.load()) {
      HistoryQuery q;
      q.limit = 256;
      const auto page = history.Query(q);
      ASSERT_LE(page.records.size(), 256u);
      for (std::size_t i = 1; i < page.records.size(); ++i) {
        ASSERT_LT(page.records[i - 1]->id, page.records[i]->id);
      }
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        ids[static_cast<std::size_t>(t)].push_back(history.Add(Record("/t" + std::to_string(t), Verdict::kPaid)));
      }
    });
  }
  for (auto& w : writers) w.join();
  done = true;
  reader.join();
  std::set<uint64_t> all;
  for (const auto& v : ids) {
    for (std::size_t i = 1; i < v.size(); ++i) EXPECT_LT(v[i - 1], v[i]);  // monotonic per thread
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(*all.begin(), 1u);
  EXPECT_EQ(*all.rbegin(), static_cast<uint64_t>(kThreads * kPerThread));
  HistoryQuery q;
  q.limit = 1000;
  const auto page = history.Query(q);
  EXPECT_EQ(page.records.size(), 256u);
  EXPECT_EQ(page.records.back()->id, static_cast<uint64_t>(kThreads * kPerThread));
  EXPECT_EQ(page.dropped, static_cast<uint64_t>(kThreads * kPerThread - 256));
  EXPECT_EQ(history.Counters().paid, static_cast<uint64_t>(kThreads * kPerThread));
}

TEST(RequestHistoryTest, RecordJsonDecodesThePaymentHeader) {
  json::object payment = {
      {"x402Version", 2},
      {"accepted", {{"network", "eip155:84532"}}},
      {"payload",
       {{"authorization",
         {{"from", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"},
          {"value", "10000"},
          {"nonce", "0x" + std::string(64, '3')}}}}}};
  RequestRecord r = Record("/weather", Verdict::kPaid);
  r.id = 9;
  r.unix_ms = 1'800'000'000'123;
  r.duration_us = 210;
  r.query = "city=x";
  r.outcome.x402_version = 2;
  r.outcome.payment_header = "PAYMENT-SIGNATURE";
  r.outcome.payment_value = Base64Encode(json::serialize(payment));
  // What verification read from it, as the router records it (payer, amount, the scheme's
  // details) and the option it matched.
  r.outcome.payer = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";
  r.outcome.amount = "10000";
  r.outcome.details = {{"nonce", "0x" + std::string(64, '3')},
                       {"signature", "ecdsa"},
                       {"recovered", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"}};
  r.outcome.scheme = "exact";
  r.outcome.network = "eip155:84532";
  r.outcome.asset_symbol = "USDC";
  r.outcome.asset_decimals = 6;
  r.outcome.options_offered = 1;
  r.outcome.requirements = std::make_shared<const std::string>("[{\"scheme\":\"exact\"}]");
  r.outcome.settlement = "{\"success\":true}";
  const json::value v = json::parse(RenderRecordJson(r));
  EXPECT_EQ(v.at("id").as_int64(), 9);
  EXPECT_EQ(v.at("time").as_string(), "2027-01-15T08:00:00.123Z");
  EXPECT_DOUBLE_EQ(v.at("duration_ms").as_double(), 0.21);
  EXPECT_EQ(v.at("path").as_string(), "/weather");
  EXPECT_EQ(v.at("query").as_string(), "city=x");
  EXPECT_EQ(v.at("verdict").as_string(), "paid");
  EXPECT_EQ(v.at("x402_version").as_int64(), 2);
  const json::value& p = v.at("payment");
  EXPECT_EQ(p.at("header").as_string(), "PAYMENT-SIGNATURE");
  EXPECT_EQ(p.at("payer").as_string(), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  EXPECT_EQ(p.at("amount").as_string(), "10000");
  EXPECT_EQ(p.at("nonce").as_string(), "0x" + std::string(64, '3'));
  EXPECT_EQ(p.at("network").as_string(), "eip155:84532");  // read from the header's `accepted`
  EXPECT_EQ(p.at("details").at("signature").as_string(), "ecdsa");
  EXPECT_EQ(p.at("details").at("recovered").as_string(), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
  EXPECT_EQ(p.at("decoded").at("x402Version").as_int64(), 2);
  EXPECT_EQ(p.at("decoded").at("payload").at("authorization").at("value").as_string(), "10000");
  const json::value& option = v.at("option");
  EXPECT_EQ(option.at("scheme").as_string(), "exact");
  EXPECT_EQ(option.at("network").as_string(), "eip155:84532");
  EXPECT_EQ(option.at("symbol").as_string(), "USDC");
  EXPECT_EQ(option.at("decimals").as_int64(), 6);
  EXPECT_EQ(option.at("offered").as_int64(), 1);
  EXPECT_EQ(v.at("requirements").as_array().at(0).at("scheme").as_string(), "exact");
  EXPECT_TRUE(v.at("settlement").at("success").as_bool());
}

TEST(RequestHistoryTest, UndecodablePaymentIsNullNotAnError) {
  RequestRecord r = Record("/a", Verdict::kRejected, "invalid_payload");
  r.outcome.payment_header = "X-PAYMENT";
  r.outcome.payment_value = "%%% not base64";
  r.outcome.payer = "";
  const json::value v = json::parse(RenderRecordJson(r));
  EXPECT_TRUE(v.at("payment").at("decoded").is_null());
  EXPECT_EQ(v.at("payment").at("header").as_string(), "X-PAYMENT");
  EXPECT_TRUE(v.at("requirements").is_null());
  EXPECT_TRUE(v.at("settlement").is_null());
  const json::value none = json::parse(RenderRecordJson(Record("/b")));
  EXPECT_TRUE(none.at("payment").is_null());
  EXPECT_TRUE(none.at("option").is_null());  // nothing priced, no option
}

TEST(RequestHistoryTest, VerdictNamesRoundTrip) {
  for (Verdict v : {Verdict::kUnpaid, Verdict::kPaid, Verdict::kRejected, Verdict::kSimulatedFailure,
                    Verdict::kSimulatedTimeout, Verdict::kError, Verdict::kOther}) {
    EXPECT_EQ(ParseVerdict(ToString(v)), v);
  }
  EXPECT_FALSE(ParseVerdict("Paid").has_value());
}

}  // namespace
}  // namespace x402
