#include "server/repeated_warning.h"

namespace x402 {
namespace {

std::string Seconds(RepeatedWarning::Clock::duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + " s";
}

}  // namespace

std::optional<std::string> RepeatedWarning::Occurred(Clock::time_point now) {
  ++total_;
  if (!active_) {
    active_ = true;
    started_ = now;
    last_line_ = now;
    unlogged_ = 0;
    total_ = 1;
    return what_ + "; " + action_ + " (repeats are counted, not logged)";
  }
  ++unlogged_;
  if (now - last_line_ < interval_) return std::nullopt;
  std::string line = what_ + ": " + std::to_string(unlogged_) + " more times in the last " +
                     Seconds(now - last_line_) + "; " + action_;
  last_line_ = now;
  unlogged_ = 0;
  return line;
}

std::optional<std::string> RepeatedWarning::Ended(Clock::time_point now) {
  if (!active_) return std::nullopt;
  active_ = false;
  return what_ + ": over after " + std::to_string(total_) + " times in " + Seconds(now - started_);
}

}  // namespace x402
