// A warning about something that can happen thousands of times a second (accept() failing
// with "Too many open files", the connection limit being reached), said once and then counted:
// logging every occurrence would busy a core and rotate the useful log away. The first
// occurrence after a quiet spell is logged at once; later ones are counted and summed up at
// most once per interval; the end of the spell is reported when it comes.
//
// Not thread-safe: each instance belongs to one thread (the accepting one). Takes the time as
// an argument, so tests drive it without sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace x402 {

class RepeatedWarning {
 public:
  using Clock = std::chrono::steady_clock;

  /// |what| names the condition in every line, e.g. "accept failed: Too many open files".
  /// |action| says what the server does about it, e.g. "pausing new connections for 100 ms".
  RepeatedWarning(std::string what, std::string action, Clock::duration interval)
      : what_(std::move(what)), action_(std::move(action)), interval_(interval) {}

  /// One more occurrence at |now|. The line to log, when one is due.
  std::optional<std::string> Occurred(Clock::time_point now);

  /// The condition is over (e.g. an accept succeeded). The line to log when it had happened
  /// since the last one logged.
  std::optional<std::string> Ended(Clock::time_point now);

  /// Occurrences in the current spell, logged or not.
  uint64_t total() const { return total_; }

 private:
  std::string what_;
  std::string action_;
  Clock::duration interval_;
  bool active_ = false;
  uint64_t total_ = 0;     // in this spell
  uint64_t unlogged_ = 0;  // since the last line
  Clock::time_point last_line_{};
  Clock::time_point started_{};
};

}  // namespace x402
