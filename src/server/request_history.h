// RequestHistory keeps the last N requests the mock answered (GET /__x402/requests) and the
// counters since start (in /__x402/health).
//
// Thread safety: every method may be called from any server thread. The hot path (Add) holds
// one mutex only to assign the id and swap a pointer into the ring; the record was built, and
// the record it replaces is destroyed, outside the lock. Readers copy pointers to the
// matching (immutable) records under the lock and render them after releasing it.
//
// Memory: at most capacity() records, each cut to the bounds in request_record.h (about
// 15 KiB at worst, typically under 1 KiB), so the default 1000 records stay below ~15 MiB.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/request_record.h"

namespace x402 {

/// A page of the history. With |since|, the page is the OLDEST matches after that id (a
/// follower reads forward without gaps); otherwise the NEWEST matches, before |before| when it
/// is set (a reader pages backwards). Either way the records come oldest first, and |more|
/// says whether matches were left out (by |limit| or by the page's byte bound).
struct HistoryQuery {
  std::size_t limit = 100;           // at most kMaxPageRecords
  std::optional<uint64_t> since;     // only ids greater than this, oldest first
  std::optional<uint64_t> before;    // only ids less than this (without |since|)
  /// The path as recorded (percent-encoded, as the access log shows it) must be one of these;
  /// none: any path. (?path= gives its raw and decoded forms.)
  std::vector<std::string> paths;
  std::optional<Verdict> verdict;
};

struct HistoryCounters {
  uint64_t requests = 0;
  uint64_t unpaid = 0;
  uint64_t paid = 0;
  uint64_t rejected = 0;
  uint64_t simulated_failure = 0;
  uint64_t simulated_timeout = 0;
  uint64_t errors = 0;
  uint64_t settlement_pending = 0;
  uint64_t lost_response = 0;
  uint64_t repeated = 0;
  uint64_t signed_in = 0;
  uint64_t possible_double_payments = 0;
  std::map<std::string, uint64_t> rejected_by_reason;
};

class RequestHistory {
 public:
  /// The largest capacity accepted (mock_server.history_size).
  static constexpr std::size_t kMaxCapacity = 10'000;
  /// One page holds at most this many records and about this many bytes of JSON, so that one
  /// GET /__x402/requests keeps a worker for milliseconds, not for a 100 MB answer.
  static constexpr std::size_t kMaxPageRecords = 1'000;
  static constexpr std::size_t kMaxPageBytes = 1024 * 1024;
  /// Distinct reasons counted one by one; more are counted under "other".
  static constexpr std::size_t kMaxReasons = 64;
  /// A payer who paid a resource again within this long after a settlement it was not told
  /// of (pending, or the answer lost) is flagged: a possible double payment.
  static constexpr int64_t kDoublePaymentWindowSeconds = 300;
  /// How many such settlements are watched at once (~200 bytes each).
  static constexpr std::size_t kMaxNotTold = 4096;

  /// |capacity| 0 keeps no records (the counters still count).
  explicit RequestHistory(std::size_t capacity);

  std::size_t capacity() const { return capacity_; }
  /// Random, made when the server starts: a client that sees it change knows the ids it
  /// holds belong to a server that is gone (a restart), and starts over.
  const std::string& start_id() const { return start_id_; }

  /// Stores |record| with the next id (ids start at 1 and are never reused) and counts it.
  /// Returns the id.
  uint64_t Add(RequestRecord&& record);

  struct Page {
    std::size_t capacity = 0;
    uint64_t total = 0;    // recorded since start or the last Clear()
    uint64_t dropped = 0;  // of those, pushed out of the full ring
    std::string start_id;  // this server's run (start_id())
    bool oldest_first = false;  // |since| query: fill the byte budget from the oldest
    bool more = false;     // matches beyond |limit| were left out
    std::vector<std::shared_ptr<const RequestRecord>> records;  // oldest first
  };
  Page Query(const HistoryQuery& query) const;

  /// Forgets every record (ids keep counting; the counters are since start).
  void Clear();

  HistoryCounters Counters() const;

 private:
  void Count(const RequestRecord& record);  // REQUIRES: mutex_ held
  /// Sets |record|'s double_payment_of when it settles a payment for a resource its payer was
  /// not told was paid, recently; remembers the ones it is not told of. REQUIRES: mutex_ held.
  void NoteDoublePayment(RequestRecord* record);

  // Fixed at construction, so it is read without the lock (Clear swaps |slots_| under it).
  const std::size_t capacity_;
  const std::string start_id_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const RequestRecord>> slots_;  // ring, indexed by id % size
  uint64_t next_id_ = 1;
  uint64_t first_kept_id_ = 1;  // ids below this were cleared or overwritten
  uint64_t cleared_before_ = 1; // ids below this were cleared (not counted as dropped)
  HistoryCounters counters_;
  struct NotTold {
    uint64_t id = 0;
    int64_t unix_ms = 0;
    std::string transaction;
  };
  /// payer + "\n" + resource → the settlement the payer was not told of (bounded: kMaxNotTold).
  std::unordered_map<std::string, NotTold> not_told_;
};

/// The JSON of GET /__x402/requests (docs/server.md): {"capacity":…,"total":…,"dropped":…,
/// "start_id":…,"more":…,"requests":[…]}, the payment headers decoded. Records past
/// |max_bytes| of JSON are left out (and "more" set): from the newest end of the page, or from
/// the oldest end of a |since| page.
std::string RenderHistoryJson(const RequestHistory::Page& page,
                              std::size_t max_bytes = RequestHistory::kMaxPageBytes);
/// One record as the history shows it (also `mock requests --json`, one per line).
std::string RenderRecordJson(const RequestRecord& record);
/// {"requests":…,"unpaid":…,…,"rejected_by_reason":{…}}
std::string RenderCountersJson(const HistoryCounters& counters);
/// "2026-11-30T03:12:45.123Z"
std::string FormatUnixMs(int64_t unix_ms);

}  // namespace x402
