#include "server/dashboard.h"

namespace x402 {
namespace dashboard_assets {
extern const std::string_view kIndexHtml;
extern const std::string_view kStyleCss;
extern const std::string_view kScriptJs;
extern const std::string_view kFaviconSvg;
}  // namespace dashboard_assets

namespace {

struct Asset {
  std::string_view path;
  std::string_view content_type;
  const std::string_view* body;
};

constexpr Asset kAssets[] = {
    {"/__x402", "text/html; charset=utf-8", &dashboard_assets::kIndexHtml},
    {"/__x402/", "text/html; charset=utf-8", &dashboard_assets::kIndexHtml},
    {"/__x402/dashboard.css", "text/css; charset=utf-8", &dashboard_assets::kStyleCss},
    {"/__x402/dashboard.js", "text/javascript; charset=utf-8", &dashboard_assets::kScriptJs},
    // Named by the page itself, so the browser does not ask for /favicon.ico: that path is
    // priced like any other, and its 402 would show up in the very list the page shows.
    {"/__x402/favicon.svg", "image/svg+xml", &dashboard_assets::kFaviconSvg},
};

const Asset* Find(std::string_view path) {
  for (const Asset& asset : kAssets) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

}  // namespace

bool IsDashboardPath(std::string_view path) { return Find(path) != nullptr; }

Response DashboardResponse(const Request& request, std::string_view path) {
  Response res;
  res.version(request.version());
  // The page shows what clients sent; nothing of it may be cached, framed, sniffed as another
  // type, or leak through a Referer.
  res.set(http::field::cache_control, "no-store");
  res.set("Content-Security-Policy", kDashboardCsp);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
  const Asset* asset = Find(path);
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    res.result(http::status::method_not_allowed);
    res.set(http::field::allow, "GET, HEAD");
    res.set(http::field::content_type, "application/json");
    res.body() = "{\"error\":\"the dashboard answers GET and HEAD only\"}";
    return res;
  }
  if (asset == nullptr) {  // the router asks IsDashboardPath first; this is a bug guard
    res.result(http::status::not_found);
    res.set(http::field::content_type, "application/json");
    res.body() = "{\"error\":\"not found\"}";
    return res;
  }
  res.result(http::status::ok);
  res.set(http::field::content_type, asset->content_type);
  res.body() = std::string(*asset->body);
  return res;
}

}  // namespace x402
