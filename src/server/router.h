// The mock server's request handling as a pure function from request to response (Beast's
// handle_request shape), so every answer is unit-tested without sockets:
//   /__x402/health → 200 · /__x402/ledger → 200 · /__x402/requests, /__x402/config
//   (inspection_routes.h) · other /__x402/* → 404, never priced · CORS preflight → 204
//   · /facilitator/{verify,settle,supported}
//   · otherwise the paywall: 402 with requirements, or a checked payment → the simulation
//   mode decides (200 + settlement, 402 rejected, or 408 after a delay).
#pragma once

#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>

#include "server/request_record.h"
#include "x402/paywall.h"
#include "x402/settle_step.h"

namespace x402 {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

/// What the router needs to know besides the request.
class RequestHistory;

struct RequestContext {
  const Paywall* paywall = nullptr;
  /// The simulated chain (used authorizations, ledger), shared by every thread for the
  /// server's lifetime; null: nothing is remembered between payments.
  SettlementState* settlement = nullptr;
  /// The request history and counters (/__x402/requests, /__x402/health); may be null.
  RequestHistory* history = nullptr;
  int64_t now_unix = 0;      // for payment validity windows
  int64_t now_unix_ms = 0;   // the same instant in milliseconds (0: now_unix * 1000)
  int64_t pid = 0;           // health endpoint
  uint16_t port = 0;         // health endpoint; also the fallback Host
  std::string host;          // fallback Host when the request has none
  int64_t uptime_seconds = 0;
  /// The server is shutting down: answers say "Connection: close", so a client does not send
  /// another request on a connection the server is about to close.
  bool closing = false;
  /// The access log is on: a settled payment's own log line would only repeat its access line
  /// (verdict, payer, amount, transaction), so it is written only while the access log is off.
  bool access_log = true;
};

struct RouteResult {
  // The cached 402's path builds an empty one and fills in a pointer: nothing else is built.
  RouteResult() = default;
  // A constructor, not an aggregate: `return {nullptr, response, {}, log};` keeps compiling
  // (without -Wmissing-field-initializers) while |outcome| is optional.
  RouteResult(std::shared_ptr<const std::string> raw_bytes, Response res,
              std::chrono::milliseconds wait = std::chrono::milliseconds(0), std::string line = {},
              RequestOutcome decided = {})
      : raw(std::move(raw_bytes)),
        response(std::move(res)),
        delay(wait),
        log_line(std::move(line)),
        outcome(std::move(decided)) {}

  /// When set, the complete answer as bytes on the wire (HTTP/1.1, keep-alive), with status
  /// |raw_status|, and |response| is unused: the unpaid 402 of a path is the same every time,
  /// so it is rendered once per thread, and a paid 200 is written straight into its bytes.
  std::shared_ptr<const std::string> raw;
  int raw_status = 402;
  Response response;
  /// Timeout simulation: the session waits this long (on a timer) before answering.
  std::chrono::milliseconds delay{0};
  /// A line for the server log (payment outcomes), or empty.
  std::string log_line;
  /// |log_line| is a warning: the mock refused for a limit of its own (a full replay set).
  bool log_warning = false;
  /// What was decided, for the access log and the request history.
  RequestOutcome outcome;
};

RouteResult HandleRequest(const Request& request, const RequestContext& context);

/// The answer to a request whose handling threw |error| (the session catches it, so the
/// client is answered and the request recorded instead of the connection vanishing): 414 when
/// Beast refused a response header over its 64 KiB field limit (the offer repeats the
/// request's URL, so a long target is what makes it grow), 500 otherwise. It closes the
/// connection.
RouteResult AnswerForFailure(const Request& request, std::exception_ptr error);

/// The answer to a request the parser refused (431 header too large, 413 body too large,
/// 400 malformed), with the CORS headers every response carries.
Response MakeErrorResponse(http::status status, std::string_view message, unsigned version);

/// Headers of the x402 protocol, as named on the wire.
inline constexpr std::string_view kPaymentHeaderV1 = "X-PAYMENT";
inline constexpr std::string_view kPaymentHeaderV2 = "PAYMENT-SIGNATURE";
inline constexpr std::string_view kPaymentRequiredHeader = "PAYMENT-REQUIRED";
inline constexpr std::string_view kPaymentResponseHeaderV1 = "X-PAYMENT-RESPONSE";
inline constexpr std::string_view kPaymentResponseHeaderV2 = "PAYMENT-RESPONSE";
inline constexpr std::string_view kSimulationModeHeader = "X-Simulation-Mode";

}  // namespace x402
