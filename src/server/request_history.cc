#include "server/request_history.h"

#include <boost/json.hpp>
#include <algorithm>
#include <random>
#include <array>
#include <cstdio>
#include <ctime>

#include "base/base64.h"
#include "base/logging.h"
#include "base/text.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 11> kVerdictNames = {
    "unpaid", "paid", "rejected", "simulated_failure", "simulated_timeout", "error", "other",
    "settlement_pending", "lost_response", "repeated", "signed_in"};

void Cut(std::string* s, std::size_t max) {
  if (s->size() > max) s->resize(max);
}

std::string Quote(std::string_view s) { return "\"" + JsonEscape(s) + "\""; }

const json::object* ObjectAt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

std::string StringAt(const json::object* o, std::string_view key) {
  if (o == nullptr) return {};
  const json::value* v = o->if_contains(key);
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64() || v->is_uint64()) return json::serialize(*v);
  return {};
}

// The payment header decoded when someone reads the history, not on the request path. Who pays,
// how much and the scheme's details are what verification read (RequestOutcome); the decoded
// JSON is shown as the client sent it, and the network it names (v2: in `accepted`; v1: at the
// top) beside it.
std::string RenderPayment(const RequestOutcome& outcome) {
  if (outcome.payment_header.empty()) return "null";
  std::string decoded = "null", network;
  if (auto text = Base64Decode(outcome.payment_value)) {
    boost::system::error_code ec;
    json::value value = json::parse(*text, ec);
    if (!ec && value.is_object()) {
      const json::object& payment = value.get_object();
      network = StringAt(ObjectAt(payment, "accepted"), "network");
      if (network.empty()) network = StringAt(&payment, "network");
      decoded = json::serialize(value);
    }
  }
  std::string nonce, details = "{";
  for (const auto& [key, value] : outcome.details) {
    if (key == "nonce") nonce = value;
    if (details.size() > 1) details += ',';
    details += Quote(key) + ":" + Quote(value);
  }
  details += '}';
  return "{\"header\":" + Quote(outcome.payment_header) + ",\"payer\":" + Quote(outcome.payer) +
         ",\"amount\":" + Quote(outcome.amount) + ",\"nonce\":" + Quote(nonce) +
         ",\"network\":" + Quote(network) + ",\"details\":" + details + ",\"decoded\":" + decoded + "}";
}

// The option the payment matched (or the offer's first): {"scheme","network","symbol",
// "decimals"}, or null for a request that was not priced.
std::string RenderOption(const RequestOutcome& o) {
  if (o.scheme.empty()) return "null";
  return "{\"scheme\":" + Quote(o.scheme) + ",\"network\":" + Quote(o.network) +
         ",\"symbol\":" + Quote(o.asset_symbol) + ",\"decimals\":" + std::to_string(o.asset_decimals) +
         ",\"offered\":" + std::to_string(o.options_offered) + "}";
}

}  // namespace

std::string_view ToString(Verdict verdict) {
  return kVerdictNames[static_cast<std::size_t>(verdict)];
}

std::optional<Verdict> ParseVerdict(std::string_view text) {
  for (std::size_t i = 0; i < kVerdictNames.size(); ++i) {
    if (kVerdictNames[i] == text) return static_cast<Verdict>(i);
  }
  return std::nullopt;
}

void BoundRecord(RequestRecord* record) {
  // An offer that names a long URL (v1: resource and description) is not kept whole.
  if (record->outcome.requirements && record->outcome.requirements->size() > kMaxRecordedOffer) {
    record->outcome.requirements = std::make_shared<const std::string>(
        "{\"omitted\":\"the offer was " + std::to_string(record->outcome.requirements->size()) +
        " bytes, over the history's " + std::to_string(kMaxRecordedOffer) + "\"}");
  }
  Cut(&record->method, 32);
  Cut(&record->path, kMaxRecordedPath);
  Cut(&record->query, kMaxRecordedQuery);
  RequestOutcome& o = record->outcome;
  Cut(&o.payment_value, kMaxRecordedPayment);
  Cut(&o.payer, kMaxRecordedText);
  Cut(&o.amount, kMaxRecordedText);
  Cut(&o.reason, kMaxRecordedText);
  Cut(&o.message, kMaxRecordedText);
  Cut(&o.transaction, kMaxRecordedText);
  Cut(&o.note, kMaxRecordedText);
  for (auto& [key, value] : o.details) Cut(&value, kMaxRecordedText);
}

namespace {

// 64 random bits as hex: different for every run of the server.
std::string NewStartId() {
  std::random_device random;
  const uint64_t bits = (static_cast<uint64_t>(random()) << 32) ^ random();
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(bits));
  return buf;
}

}  // namespace

RequestHistory::RequestHistory(std::size_t capacity)
    : capacity_(std::min(capacity, kMaxCapacity)), start_id_(NewStartId()), slots_(capacity_) {}

uint64_t RequestHistory::Add(RequestRecord&& record) {
  BoundRecord(&record);
  auto stored = std::make_shared<RequestRecord>(std::move(record));
  std::shared_ptr<const RequestRecord> evicted;  // destroyed after the lock is released
  std::lock_guard<std::mutex> lock(mutex_);
  const uint64_t id = next_id_++;
  stored->id = id;
  if (!stored->outcome.settled_resource.empty() && (stored->outcome.payer_not_told || !not_told_.empty())) {
    NoteDoublePayment(stored.get());
  }
  Count(*stored);
  const std::size_t size = slots_.size();
  if (size == 0) {
    first_kept_id_ = next_id_;
    return id;
  }
  std::shared_ptr<const RequestRecord>& slot = slots_[id % size];
  evicted = std::move(slot);
  slot = std::move(stored);
  if (id >= size) first_kept_id_ = std::max(first_kept_id_, id - size + 1);
  return id;
}

void RequestHistory::Count(const RequestRecord& record) {
  HistoryCounters& c = counters_;
  ++c.requests;
  switch (record.outcome.verdict) {
    case Verdict::kUnpaid: ++c.unpaid; break;
    case Verdict::kPaid: ++c.paid; break;
    case Verdict::kRejected: {
      ++c.rejected;
      const std::string& reason = record.outcome.reason;
      auto it = c.rejected_by_reason.find(reason);
      if (it != c.rejected_by_reason.end()) {
        ++it->second;
      } else if (c.rejected_by_reason.size() < kMaxReasons) {
        c.rejected_by_reason.emplace(reason, 1);
      } else {
        ++c.rejected_by_reason["other"];
      }
      break;
    }
    case Verdict::kSimulatedFailure: ++c.simulated_failure; break;
    case Verdict::kSimulatedTimeout: ++c.simulated_timeout; break;
    case Verdict::kError: ++c.errors; break;
    case Verdict::kOther: break;
    case Verdict::kSettlementPending: ++c.settlement_pending; break;
    case Verdict::kLostResponse: ++c.lost_response; break;
    case Verdict::kRepeated: ++c.repeated; break;
    case Verdict::kSignedIn: ++c.signed_in; break;
  }
  if (record.outcome.double_payment_of != 0) ++c.possible_double_payments;
}

void RequestHistory::NoteDoublePayment(RequestRecord* record) {
  RequestOutcome& o = record->outcome;
  if (o.settled_resource.empty() || o.payer.empty()) return;
  // An EVM payer in any letter case is one payer; a resource without its query is one resource.
  const std::string payer = o.payer.rfind("0x", 0) == 0 ? ToLowerAscii(o.payer) : o.payer;
  const std::string key = payer + '\n' + o.settled_resource.substr(0, o.settled_resource.find('?'));
  const int64_t now_ms = record->unix_ms;
  auto it = not_told_.find(key);
  if (it != not_told_.end()) {
    const bool recent = now_ms - it->second.unix_ms <= kDoublePaymentWindowSeconds * 1000;
    // The same transaction is the pending payment reconciled, not a second one.
    if (recent && it->second.transaction != o.transaction) o.double_payment_of = it->second.id;
    not_told_.erase(it);
  }
  if (!o.payer_not_told) return;
  if (not_told_.size() >= kMaxNotTold) {
    for (auto old = not_told_.begin(); old != not_told_.end();) {
      old = now_ms - old->second.unix_ms > kDoublePaymentWindowSeconds * 1000 ? not_told_.erase(old) : std::next(old);
    }
    if (not_told_.size() >= kMaxNotTold) not_told_.clear();
  }
  not_told_[key] = NotTold{record->id, now_ms, o.transaction};
}

RequestHistory::Page RequestHistory::Query(const HistoryQuery& query) const {
  Page page;
  page.capacity = capacity_;
  page.start_id = start_id_;
  page.oldest_first = query.since.has_value();
  const std::size_t limit = std::min(query.limit, kMaxPageRecords);
  auto matches = [&query](const RequestRecord& record) {
    if (!query.paths.empty() &&
        std::find(query.paths.begin(), query.paths.end(), record.path) == query.paths.end()) {
      return false;
    }
    return !query.verdict || record.outcome.verdict == *query.verdict;
  };
  std::lock_guard<std::mutex> lock(mutex_);
  page.total = next_id_ - cleared_before_;
  page.dropped = first_kept_id_ - cleared_before_;
  if (slots_.empty() || limit == 0) return page;
  const uint64_t newest = next_id_ - 1;  // 0 when nothing was recorded
  if (query.since) {
    // ?since= the newest id or beyond (even 2^64 - 1, which + 1 would wrap to 0): nothing newer.
    if (*query.since >= newest) return page;
    for (uint64_t id = std::max(first_kept_id_, *query.since + 1); id <= newest; ++id) {
      const auto& record = slots_[id % slots_.size()];
      if (!record || !matches(*record)) continue;
      if (page.records.size() == limit) {
        page.more = true;
        break;
      }
      page.records.push_back(record);
    }
    return page;
  }
  const uint64_t below = query.before ? std::min(*query.before, newest + 1) : newest + 1;
  // Newest first until |limit| matched, then put back in id order.
  for (uint64_t id = below; id-- > first_kept_id_ && id > 0;) {
    const auto& record = slots_[id % slots_.size()];
    if (!record || !matches(*record)) continue;
    if (page.records.size() == limit) {
      page.more = true;
      break;
    }
    page.records.push_back(record);
  }
  std::reverse(page.records.begin(), page.records.end());
  return page;
}

void RequestHistory::Clear() {
  std::vector<std::shared_ptr<const RequestRecord>> old(capacity_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    old.swap(slots_);
    cleared_before_ = first_kept_id_ = next_id_;
  }
}

HistoryCounters RequestHistory::Counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

std::string FormatUnixMs(int64_t unix_ms) {
  const std::tm utc = UtcTime(static_cast<std::time_t>(unix_ms / 1000));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return buf;
}

std::string RenderRecordJson(const RequestRecord& r) {
  const RequestOutcome& o = r.outcome;
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", static_cast<double>(r.duration_us) / 1000.0);
  std::string out;
  out.reserve(512 + o.payment_value.size());
  out += "{\"id\":" + std::to_string(r.id);
  out += ",\"time\":" + Quote(FormatUnixMs(r.unix_ms));
  out += ",\"duration_ms\":";
  out += duration;
  out += ",\"method\":" + Quote(r.method);
  out += ",\"path\":" + Quote(r.path);
  out += ",\"query\":" + Quote(r.query);
  out += ",\"status\":" + std::to_string(r.status);
  out += ",\"x402_version\":" + std::to_string(o.x402_version);
  out += ",\"verdict\":" + Quote(ToString(o.verdict));
  out += ",\"reason\":" + Quote(o.reason);
  out += ",\"message\":" + Quote(o.message);
  out += ",\"option\":" + RenderOption(o);
  out += ",\"payment\":" + RenderPayment(o);
  out += ",\"requirements\":";
  out += o.requirements ? *o.requirements : std::string("null");
  out += ",\"settlement\":";
  out += o.settlement.empty() ? std::string("null") : o.settlement;
  out += ",\"transaction\":" + Quote(o.transaction);
  out += ",\"double_payment_of\":";
  out += o.double_payment_of != 0 ? std::to_string(o.double_payment_of) : std::string("null");
  out += "}";
  return out;
}

std::string RenderHistoryJson(const RequestHistory::Page& page, std::size_t max_bytes) {
  // Render from the end the page is anchored at (the oldest for a follower, the newest
  // otherwise) until the budget is spent; the page is then joined in id order.
  const std::size_t count = page.records.size();
  std::vector<std::string> rendered;
  rendered.reserve(count);
  std::size_t bytes = 0;
  bool more = page.more;
  for (std::size_t i = 0; i < count; ++i) {
    const RequestRecord& record = *page.records[page.oldest_first ? i : count - 1 - i];
    std::string json = RenderRecordJson(record);
    if (!rendered.empty() && bytes + json.size() > max_bytes) {
      more = true;
      break;
    }
    bytes += json.size() + 1;
    rendered.push_back(std::move(json));
  }
  if (!page.oldest_first) std::reverse(rendered.begin(), rendered.end());
  std::string out;
  out.reserve(bytes + 160);
  out += "{\"capacity\":" + std::to_string(page.capacity) +
         ",\"total\":" + std::to_string(page.total) +
         ",\"dropped\":" + std::to_string(page.dropped) +
         ",\"start_id\":" + Quote(page.start_id) +
         ",\"more\":" + (more ? "true" : "false") + ",\"requests\":[";
  for (std::size_t i = 0; i < rendered.size(); ++i) {
    if (i > 0) out += ',';
    out += rendered[i];
  }
  out += "]}";
  return out;
}

std::string RenderCountersJson(const HistoryCounters& c) {
  std::string out = "{\"requests\":" + std::to_string(c.requests) +
                    ",\"unpaid\":" + std::to_string(c.unpaid) +
                    ",\"paid\":" + std::to_string(c.paid) +
                    ",\"rejected\":" + std::to_string(c.rejected) +
                    ",\"simulated_failure\":" + std::to_string(c.simulated_failure) +
                    ",\"simulated_timeout\":" + std::to_string(c.simulated_timeout) +
                    ",\"errors\":" + std::to_string(c.errors) +
                    ",\"settlement_pending\":" + std::to_string(c.settlement_pending) +
                    ",\"lost_response\":" + std::to_string(c.lost_response) +
                    ",\"repeated\":" + std::to_string(c.repeated) +
                    ",\"signed_in\":" + std::to_string(c.signed_in) +
                    ",\"possible_double_payments\":" + std::to_string(c.possible_double_payments) +
                    ",\"rejected_by_reason\":{";
  bool first = true;
  for (const auto& [reason, count] : c.rejected_by_reason) {
    if (!first) out += ',';
    first = false;
    out += Quote(reason) + ":" + std::to_string(count);
  }
  out += "}}";
  return out;
}

}  // namespace x402
