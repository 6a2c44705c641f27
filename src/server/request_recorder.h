// The session's hook after the router has decided: completes the request's record with what
// only the session knows (when the header arrived, how long the answer took, the status on the
// wire) and hands it to the access log and the request history. Runs on the connection's
// thread before the answer is written, so a client that has read its answer finds its
// request in /__x402/requests.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "server/router.h"
#include "server/server_shared.h"

namespace x402 {

/// When a request's header had been read.
struct RequestArrival {
  std::chrono::steady_clock::time_point at;
  int64_t unix_ms = 0;
  static RequestArrival Now();
};

/// Records a routed request; takes |result->outcome| (the response itself is untouched).
void RecordRequest(const ServerShared& shared, const Request& request, RouteResult* result,
                   const RequestArrival& arrival);

/// Records a request the parser refused (400, 413, 431): |request| holds what was parsed
/// of it, possibly nothing.
void RecordRefused(const ServerShared& shared, const Request& request, int status,
                   std::string_view message, const RequestArrival& arrival);

}  // namespace x402
