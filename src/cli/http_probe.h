// One HTTP GET against a mock server with an overall deadline: `mock health` (a container's
// probe) and `mock status` (does the server that holds the lock answer?) both ask this way.
#pragma once

#include <chrono>
#include <cstdint>
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

/// |target| on the server bound to |bind_host|:|port| (a server's state names its bind address;
/// a wildcard is asked on loopback).
ProbeUrl LocalServerUrl(const std::string& bind_host, uint16_t port, std::string target);

/// http://HOST:PORT/TARGET as a person would type it.
std::string FormatProbeUrl(const ProbeUrl& url);

struct ProbeResult {
  enum class Outcome { kAnswered, kRefused, kTimedOut, kFailed } outcome = Outcome::kFailed;
  unsigned status = 0;
  std::string body;   // when answered (at most the body limit)
  std::string error;  // for kFailed / kRefused
};

/// One GET of |url| within |timeout| (resolving, connecting, writing and reading together),
/// reading at most |body_limit| bytes of body.
ProbeResult HttpGet(const ProbeUrl& url, std::chrono::milliseconds timeout,
                    std::string_view user_agent_suffix, std::size_t body_limit = 1024 * 1024);

}  // namespace x402
