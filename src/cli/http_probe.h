// One HTTP GET against a mock server with an overall deadline: `mock health` (a container's
// probe) and `mock status` (does the server that holds the lock answer?) both ask this way.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace x402 {

/// The parts of an http://HOST[:PORT][/PATH] URL that a probe needs.
struct ProbeUrl {
  std::string host;  // a name or an address, without IPv6 brackets
  std::string port;
  std::string target;
};

/// Parses http://HOST[:PORT][/PATH]; a URL without a path gets |default_target|. Only plain
/// HTTP: the mock serves nothing else. On failure, |problem| says what is wrong.
std::optional<ProbeUrl> ParseProbeUrl(std::string_view url, std::string_view default_target,
                                      std::string* problem);

/// The address a client connects to for the bind address |host|: a wildcard is reached on
/// loopback; an IPv6 address comes back in brackets.
std::string ConnectHostFor(const std::string& host);

/// http://HOST:PORT/TARGET as a person would type it.
std::string FormatProbeUrl(const ProbeUrl& url);

struct ProbeResult {
  enum class Outcome { kAnswered, kRefused, kTimedOut, kFailed } outcome = Outcome::kFailed;
  unsigned status = 0;
  std::string body;   // when answered (at most 1 MiB)
  std::string error;  // for kFailed / kRefused
};

/// One GET of |url| within |timeout| (resolving, connecting, writing and reading together).
ProbeResult HttpGet(const ProbeUrl& url, std::chrono::milliseconds timeout,
                    std::string_view user_agent_suffix);

}  // namespace x402
