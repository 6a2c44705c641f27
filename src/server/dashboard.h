// The live dashboard at GET /__x402/: one HTML page, its stylesheet and its script, compiled
// into the binary from src/server/dashboard/ (CMake turns them into strings), served with a
// Content-Security-Policy that allows this server only.
#pragma once

#include <string_view>

#include "server/router.h"

namespace x402 {

/// /__x402, /__x402/, /__x402/dashboard.css, /__x402/dashboard.js.
bool IsDashboardPath(std::string_view path);

/// The page or asset for |path| (one IsDashboardPath accepts); 405 for methods other than GET
/// and HEAD.
Response DashboardResponse(const Request& request, std::string_view path);

/// The Content-Security-Policy of every dashboard answer.
inline constexpr std::string_view kDashboardCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

}  // namespace x402
