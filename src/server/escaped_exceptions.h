// What escaped a server coroutine or the accept loop: said once per kind, then counted.
//
// An exception inside a connection's coroutine used to vanish (co_spawn(…, detached) drops it):
// the client waited for nothing, the request appeared nowhere, and the worker kept a pointer to
// a connection that was gone. Now every coroutine the server spawns ends in a handler that
// reports here, and the session itself answers 500 (session.cc). A kind is where it escaped
// and the exception's type; a client that can trigger one can trigger it a thousand times a
// second, so each kind is logged like the accept loop's warnings (repeated_warning.h).
//
// Thread safety: Report() may be called from any server thread (one mutex; this is the error
// path, never the request path).
#pragma once

#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "base/logging.h"
#include "server/repeated_warning.h"

namespace x402 {

class EscapedExceptions {
 public:
  /// At most this many kinds are told apart; more are counted under one "other" kind.
  static constexpr std::size_t kMaxKinds = 32;

  explicit EscapedExceptions(Logger* logger) : logger_(logger) {}

  /// |where| says what ended ("connection", "accept loop", …) and |what| what the server does
  /// about it ("answered 500 and closed the connection", …).
  void Report(std::string_view where, std::exception_ptr error, std::string_view what);

  /// The exception's type and message, for a log line: "std::length_error: field value too large".
  static std::string Describe(std::exception_ptr error);

  /// How many were reported, of every kind (tests, the health counters).
  uint64_t total() const;

 private:
  Logger* logger_;
  mutable std::mutex mutex_;
  std::map<std::string, RepeatedWarning> kinds_;
  uint64_t total_ = 0;
};

}  // namespace x402
