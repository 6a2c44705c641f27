#include "cli/live_status.h"

#include <boost/json/parse.hpp>

#include "cli/http_probe.h"

namespace x402 {
namespace {

std::string FormatMilliseconds(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + " s";
  return std::to_string(ms.count()) + " ms";
}

// The JSON object of a 200 answer, or nullopt.
std::optional<boost::json::object> JsonObjectOf(const ProbeResult& result) {
  if (result.outcome != ProbeResult::Outcome::kAnswered || result.status != 200) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(result.body, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

}  // namespace

LiveStatus AskRunningServer(const ServerState& state, std::chrono::milliseconds timeout) {
  LiveStatus live;
  ProbeUrl url = LocalServerUrl(state.host, state.port, "/__x402/health");
  const ProbeResult health = HttpGet(url, timeout, "status");
  switch (health.outcome) {
    case ProbeResult::Outcome::kAnswered:
      if (health.status != 200) {
        live.problem = "/__x402/health answered " + std::to_string(health.status) + ", not 200";
        return live;
      }
      break;
    case ProbeResult::Outcome::kTimedOut:
      live.problem = "no answer from " + FormatProbeUrl(url) + " within " +
                     FormatMilliseconds(timeout);
      return live;
    case ProbeResult::Outcome::kRefused:
      live.refused = true;
      live.problem = "connection to " + FormatProbeUrl(url) + " refused";
      return live;
    case ProbeResult::Outcome::kFailed:
      live.problem = "asking " + FormatProbeUrl(url) + " failed: " + health.error;
      return live;
  }
  std::optional<boost::json::object> body = JsonObjectOf(health);
  if (!body) {
    live.problem = "/__x402/health answered something that is not a JSON object";
    return live;
  }
  live.answering = true;
  live.health = std::move(*body);
  // A server from before /__x402/config answers it with 402 or 404: then there is no config
  // to show, and that is no reason to call the server unhealthy.
  url.target = "/__x402/config";
  live.config = JsonObjectOf(HttpGet(url, timeout, "status"));
  return live;
}

}  // namespace x402
