// The payment-identifier extension (@x402/extensions 2.27, src/payment-identifier; spec
// specs/extensions/payment_identifier.md in the x402 repository): a client names its payment
// with an id, so that the same payment sent again (a retry after a lost answer) gets the first
// answer again instead of being settled, or refused, a second time.
//
//   · the 402 declares it: extensions["payment-identifier"] = {info: {required}, schema}
//     (declarePaymentIdentifierExtension(), resourceServer.ts);
//   · the payment echoes it with info.id, 16–128 characters of [A-Za-z0-9_-]
//     (appendPaymentIdentifierToExtensions(), client.ts; isValidPaymentId(), utils.ts);
//   · new id → processed; same id and the same payload → the first answer, settlement header
//     included; same id, another payload → 409; required and missing → 400. The id is looked
//     up before the payment is verified, as the spec says.
//
// The reference's resource-server extension only declares it ("Future hooks for idempotency",
// resourceServer.ts); the mock does what the spec describes, in the paywall and at
// /facilitator/settle.
#pragma once

#include <boost/json/object.hpp>

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "x402/hash32.h"

namespace x402 {

inline constexpr std::string_view kPaymentIdentifierExtension = "payment-identifier";

/// {info: {required}, schema}, as declarePaymentIdentifierExtension(required) builds it.
boost::json::object DeclarePaymentIdentifier(bool required);

/// What a payment says about its id.
struct PaymentIdentifier {
  enum class Kind {
    kAbsent,   // no extension, or no info.id
    kPresent,  // a well-formed id
    kInvalid,  // an extension or id that is not one (|problem| says why)
  };
  Kind kind = Kind::kAbsent;
  std::string id;
  /// The echoed declaration asks for one (info.required true): at /facilitator/settle, where
  /// the route's setting is not known, this is what makes a missing id a 400.
  bool required = false;
  std::string problem;
};

/// Reads extensions["payment-identifier"] of the v2 payment payload |payment|.
PaymentIdentifier ReadPaymentIdentifier(const boost::json::object& payment);

/// The digest that says whether two payments with one id are "the same payload": SHA-256 of
/// the scheme's payload (the signed authorization, or the transaction) and the option it
/// accepted, as JSON.
Hash32 PaymentDigest(const boost::json::object& payment);

/// The answers given to payments with an id, per scope (the paywall and /facilitator/settle
/// keep separate ones), so that a repeat gets the same answer. Only answers of settled
/// payments are kept: a refused payment is checked again when it comes back (nothing moved).
///
/// Bounded: kCapacity answers of at most kMaxAnswerBytes each, headers included (~66 MiB at
/// worst, a few MiB for ordinary answers of 1–2 KiB; entries are keyed by a 32-byte digest of
/// scope and id); when full,
/// the oldest is forgotten, and a repeat of it is then checked again: as its authorization was
/// used, it is refused as a replay, never charged twice. Kept in the settlement state, so a
/// reload keeps it (a restart does not).
///
/// Thread safety: every member may be called from any thread.
class PaymentIdentifierStore {
 public:
  static constexpr std::size_t kCapacity = 4096;
  static constexpr std::size_t kMaxAnswerBytes = 16 * 1024;

  /// What the first payment with an id was answered: enough to answer the same again.
  struct Answer {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // besides the CORS ones
    std::string body;
    std::string settlement;   // the settle response JSON, for the history
    std::string transaction;  // the settled transaction
    std::string payer;
    std::string amount;       // what was settled, in atomic units
    /// Settled but answered settlement_pending: the same payment is processed again (it is
    /// reconciled), another payment under the id is still a conflict.
    bool reprocess = false;
  };

  enum class Claim {
    kNew,         // first use: process the payment, then Finish()
    kRepeat,      // the same payload again: |*answer| is the first answer
    kConflict,    // another payload under this id → 409
    kInProgress,  // the first payment with this id is being processed right now → 409
  };

  /// Claims |id| in |scope| for a payment whose digest is |digest|.
  Claim Begin(std::string_view scope, std::string_view id, const Hash32& digest,
              std::shared_ptr<const Answer>* answer);
  /// Ends the claim Begin() returned kNew for: keeps |answer| (a settled payment's; one marked
  /// reprocess, a pending one's), or, when it is null (the payment was refused), forgets the id.
  void Finish(std::string_view scope, std::string_view id, std::shared_ptr<const Answer> answer);

  std::size_t size() const;

 private:
  struct Entry {
    Hash32 digest{};
    std::shared_ptr<const Answer> answer;  // null while in progress
  };
  static std::string KeyOf(std::string_view scope, std::string_view id);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::string> order_;  // keys with a kept answer, oldest first
};

}  // namespace x402
