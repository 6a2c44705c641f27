#include "server/request_history.h"

#include <boost/json.hpp>
#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

#include "base/base64.h"
#include "base/logging.h"
#include "base/text.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 7> kVerdictNames = {
    "unpaid", "paid", "rejected", "simulated_failure", "simulated_timeout", "error", "other"};

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

// The payment header decoded when someone reads the history, not on the request path.
std::string RenderPayment(const RequestOutcome& outcome) {
  if (outcome.payment_header.empty()) return "null";
  std::string decoded = "null";
  std::string payer = outcome.payer, amount = outcome.amount, nonce, network;
  if (auto text = Base64Decode(outcome.payment_value)) {
    boost::system::error_code ec;
    json::value value = json::parse(*text, ec);
    if (!ec && value.is_object()) {
      const json::object& payment = value.get_object();
      const json::object* payload = ObjectAt(payment, "payload");
      const json::object* authorization =
          payload != nullptr ? ObjectAt(*payload, "authorization") : nullptr;
      if (std::string from = StringAt(authorization, "from"); !from.empty()) payer = from;
      if (std::string v = StringAt(authorization, "value"); !v.empty()) amount = v;
      nonce = StringAt(authorization, "nonce");
      // v2 names the network in the accepted offer; v1 at the top.
      network = StringAt(ObjectAt(payment, "accepted"), "network");
      if (network.empty()) network = StringAt(&payment, "network");
      decoded = json::serialize(value);
    }
  }
  return "{\"header\":" + Quote(outcome.payment_header) + ",\"payer\":" + Quote(payer) +
         ",\"amount\":" + Quote(amount) + ",\"nonce\":" + Quote(nonce) +
         ",\"network\":" + Quote(network) + ",\"decoded\":" + decoded + "}";
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
  Cut(&record->method, 32);
  Cut(&record->path, kMaxRecordedPath);
  Cut(&record->query, kMaxRecordedQuery);
  RequestOutcome& o = record->outcome;
  Cut(&o.payment_value, kMaxRecordedPayment);
  Cut(&o.payer, kMaxRecordedText);
  Cut(&o.amount, kMaxRecordedText);
  Cut(&o.reason, kMaxRecordedText);
  Cut(&o.message, kMaxRecordedText);
}

RequestHistory::RequestHistory(std::size_t capacity)
    : capacity_(std::min(capacity, kMaxCapacity)), slots_(capacity_) {}

uint64_t RequestHistory::Add(RequestRecord record) {
  BoundRecord(&record);
  auto stored = std::make_shared<RequestRecord>(std::move(record));
  std::shared_ptr<const RequestRecord> evicted;  // destroyed after the lock is released
  std::lock_guard<std::mutex> lock(mutex_);
  const uint64_t id = next_id_++;
  stored->id = id;
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
  }
}

RequestHistory::Page RequestHistory::Query(const HistoryQuery& query) const {
  Page page;
  page.capacity = capacity_;
  std::lock_guard<std::mutex> lock(mutex_);
  page.total = next_id_ - cleared_before_;
  page.dropped = first_kept_id_ - cleared_before_;
  // ?since= the newest id or beyond (even 2^64 - 1, which + 1 would wrap to 0): nothing newer.
  if (slots_.empty() || query.limit == 0 || query.since >= next_id_ - 1) return page;
  const uint64_t oldest = std::max(first_kept_id_, query.since + 1);
  // Newest first until |limit| matched, then put back in id order.
  for (uint64_t id = next_id_ - 1; id >= oldest && id > 0; --id) {
    const auto& record = slots_[id % slots_.size()];
    if (!record) continue;
    if (!query.path.empty() && record->path != query.path) continue;
    if (query.verdict && record->outcome.verdict != *query.verdict) continue;
    page.records.push_back(record);
    if (page.records.size() >= query.limit) break;
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
  out += ",\"payment\":" + RenderPayment(o);
  out += ",\"requirements\":";
  out += o.requirements ? *o.requirements : std::string("null");
  out += ",\"settlement\":";
  out += o.settlement.empty() ? std::string("null") : o.settlement;
  out += "}";
  return out;
}

std::string RenderHistoryJson(const RequestHistory::Page& page) {
  std::string out = "{\"capacity\":" + std::to_string(page.capacity) +
                    ",\"total\":" + std::to_string(page.total) +
                    ",\"dropped\":" + std::to_string(page.dropped) + ",\"requests\":[";
  bool first = true;
  for (const auto& record : page.records) {
    if (!first) out += ',';
    first = false;
    out += RenderRecordJson(*record);
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
                    ",\"errors\":" + std::to_string(c.errors) + ",\"rejected_by_reason\":{";
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
