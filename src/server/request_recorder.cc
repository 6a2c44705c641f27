#include "server/request_recorder.h"

#include "server/access_log.h"
#include "server/request_history.h"

namespace x402 {
namespace {

void Fill(const Request& request, const RequestArrival& arrival, RequestRecord* record) {
  record->unix_ms = arrival.unix_ms;
  record->duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - arrival.at)
                            .count();
  record->method = std::string(request.method_string());
  const std::string_view target = request.target();
  const std::size_t q = target.find('?');
  record->path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) record->query = std::string(target.substr(q + 1));
  record->http_version = request.version();
}

void Deliver(const ServerShared& shared, RequestRecord&& record) {
  if (shared.access_log.load(std::memory_order_relaxed)) WriteAccessLog(*shared.logger, record);
  if (shared.history) shared.history->Add(std::move(record));
}

}  // namespace

RequestArrival RequestArrival::Now() {
  using namespace std::chrono;
  return {steady_clock::now(),
          duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count()};
}

void RecordRequest(const ServerShared& shared, const Request& request, RouteResult* result,
                   const RequestArrival& arrival) {
  if (result->outcome.unrecorded) return;
  RequestRecord record;
  Fill(request, arrival, &record);
  record.status = result->raw ? result->raw_status : static_cast<int>(result->response.result_int());
  record.outcome = std::move(result->outcome);
  if (record.outcome.verdict == Verdict::kOther && record.status >= 400) {
    record.outcome.verdict = Verdict::kError;
  }
  Deliver(shared, std::move(record));
}

void RecordRefused(const ServerShared& shared, const Request& request, int status,
                   std::string_view message, const RequestArrival& arrival) {
  RequestRecord record;
  Fill(request, arrival, &record);
  record.status = status;
  record.outcome.verdict = Verdict::kError;
  record.outcome.message = std::string(message);
  Deliver(shared, std::move(record));
}

}  // namespace x402
