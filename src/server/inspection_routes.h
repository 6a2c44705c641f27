// The mock's own endpoints under /__x402/ besides health: the request history
// (GET/DELETE /__x402/requests) and the effective configuration (GET /__x402/config).
// Every path under /__x402/ is the mock's and is never priced: an unknown one is 404.
// The JSON shapes are documented in docs/server.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "server/router.h"

namespace x402 {

/// "/__x402" or anything below "/__x402/".
bool IsReservedPath(std::string_view path);

/// The answer to a request for a reserved path other than /__x402/health.
Response ServeReserved(const Request& request, std::string_view path, const RequestContext& ctx);

/// The query string's |key|, percent-decoded (or as it is, |decode| false); nullopt when absent.
std::optional<std::string> QueryParameter(std::string_view target, std::string_view key,
                                          bool decode = true);

}  // namespace x402
