// One request as the mock saw it: what the access log writes and the request history keeps.
// The router fills in what it decided (RequestOutcome); the session adds what only it knows
// (timing, the status on the wire) and hands the record on. Kept cheap to fill on the hot
// path: plain strings, no JSON; the history decodes the payment header only when someone
// reads it (request_history.cc).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace x402 {

/// What became of a request, as the history's `verdict` field names it.
enum class Verdict : uint8_t {
  kUnpaid,            // 402 offered, no payment header
  kPaid,              // valid payment, 200 + settlement
  kRejected,          // 402 after a payment that failed verification
  kSimulatedFailure,  // valid payment, failure mode
  kSimulatedTimeout,  // valid payment, timeout mode (408)
  kError,             // 4xx/5xx that is not an x402 answer (400, 413, 431, 404 under /__x402/)
  kOther,             // health, preflight, facilitator
  kSettlementPending, // valid payment, settled, answered settlement_pending (pending mode)
  kLostResponse,      // valid payment, settled, then a 502 (lost-response mode)
  kRepeated,          // the same payment again under its payment id: the first answer, no charge
  kSignedIn,          // served without payment: a wallet that paid before signed in (sign-in-with-x)
};

std::string_view ToString(Verdict verdict);
std::optional<Verdict> ParseVerdict(std::string_view text);

/// What the router decided about one request, beyond the response itself.
struct RequestOutcome {
  Verdict verdict = Verdict::kOther;
  int x402_version = 0;           // of the payment header; 0 when there was none
  std::string_view payment_header;  // "PAYMENT-SIGNATURE", "X-PAYMENT" or "" (static strings)
  std::string payment_value;        // the header as received (base64), decoded on read
  std::string payer;                // as far as verification could read it
  std::string amount;               // atomic units: paid value, else the price offered
  /// The option the payment matched, or (unpaid, or refused before it matched) the offer's
  /// first: its scheme, CAIP-2 network, asset symbol and decimals, so that the history can
  /// say "0.05 USDC on eip155:84532" and not only "50000".
  std::string scheme;
  std::string network;
  std::string asset_symbol;
  int asset_decimals = 0;
  int options_offered = 0;  // how many options the offer listed (v2)
  /// What the scheme found worth showing about the payment, in order (EVM exact: the nonce,
  /// the signature kind, the recovered signer).
  std::vector<std::pair<std::string, std::string>> details;
  std::string reason;               // x402 reason when rejected / failed
  std::string message;              // the reason in words
  /// The offer for this path as JSON: its `accepts` array (v2 objects, or v1 for a v1
  /// payment); shared with the per-thread cache of unpaid answers, so the hot 402 path copies
  /// a pointer.
  std::shared_ptr<const std::string> requirements;
  std::string settlement;  // JSON of the PAYMENT-RESPONSE / X-PAYMENT-RESPONSE sent, or ""
  std::string transaction;  // the simulated transaction id of a settled payment, or ""
  std::string note;         // what the access line adds in words, e.g. an unverified signature
  /// A payment was settled: the resource it paid for (the paywall's path, or the resource
  /// URL a facilitator settled for), so that the history can see one paid twice; "" otherwise.
  std::string settled_resource;
  /// The payer was not told that it settled (pending, or the answer lost): a new payment for
  /// the same resource soon after is a possible double payment.
  bool payer_not_told = false;
  /// Set by the history: the id of the earlier request whose payment this one repeats for the
  /// same resource (0: none) — a possible double payment.
  uint64_t double_payment_of = 0;
  /// Not recorded at all: the mock's own inspection endpoints, so polling the history does
  /// not fill it with its own requests.
  bool unrecorded = false;
};

struct RequestRecord {
  uint64_t id = 0;             // set by RequestHistory::Add
  int64_t unix_ms = 0;         // when the request's header had arrived
  int64_t duration_us = 0;     // header read → answer ready (includes a simulated delay)
  std::string method;
  std::string path;   // without the query string
  std::string query;  // "" when none
  int status = 0;
  unsigned http_version = 11;  // 10 or 11
  RequestOutcome outcome;
};

/// The memory bound of one record: longer strings are cut to these sizes (the request header
/// as a whole is already limited to 8 KiB by the server).
inline constexpr std::size_t kMaxRecordedPath = 1024;
inline constexpr std::size_t kMaxRecordedQuery = 1024;
inline constexpr std::size_t kMaxRecordedPayment = 8 * 1024;
inline constexpr std::size_t kMaxRecordedText = 512;  // reason, message, payer, amount
inline constexpr std::size_t kMaxRecordedOffer = 8 * 1024;   // requirements, settlement (JSON)

/// Cuts every field of |record| to the bounds above.
void BoundRecord(RequestRecord* record);

}  // namespace x402
