// One plain HTTP/1.1 request to a mock server, with one overall deadline (resolve, connect,
// write, read). For the CLI commands that ask a running server something (`mock requests`).
#pragma once

#include <chrono>
#include <string>

#include <boost/beast/http/verb.hpp>

namespace x402 {

struct HttpAnswer {
  enum class Outcome { kAnswered, kRefused, kTimedOut, kFailed } outcome = Outcome::kFailed;
  unsigned status = 0;
  std::string body;
  std::string error;  // for kRefused / kFailed
};

/// |host| as a server's state names its bind address: a wildcard (0.0.0.0, ::) is asked on
/// loopback. |body_limit| bounds what is read.
HttpAnswer LocalHttpRequest(boost::beast::http::verb method, const std::string& host,
                            uint16_t port, const std::string& target,
                            std::chrono::milliseconds timeout, std::size_t body_limit);

}  // namespace x402
