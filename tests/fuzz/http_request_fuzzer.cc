// Fuzzes the HTTP request path as the server runs it: Beast's request parser with the
// server's limits, then the router. Any bytes must end in a parse error or an answer.
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>

#include "server/router.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace http = boost::beast::http;
  static const x402::Paywall paywall{x402::PaywallConfig{}};
  http::request_parser<http::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;
  x402::RequestContext context;
  context.paywall = &paywall;
  context.now_unix = 1'800'000'000;
  context.pid = 42;
  context.port = 3402;
  context.host = "127.0.0.1";
  const x402::RouteResult result = x402::HandleRequest(parser.get(), context);
  if (!result.raw && result.response.result_int() < 200) __builtin_trap();
  return 0;
}
