// A response as the bytes on the wire, rendered into a reusable string.
//
// Beast's serializer walks a chain of buffer views over the header and body; for the small,
// complete answers this server sends (a string body with Content-Length, prepared by the
// router) rendering once into one buffer and writing it with a single send is cheaper:
// perf put Beast's buffers_cat_view iteration at ~5 % of the paid path's CPU.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "server/router.h"

namespace x402 {

/// Replaces |out|'s contents with |response| as HTTP/1.x bytes: status line, the fields in
/// their order, a blank line, the body. The same bytes Beast's serializer writes for a
/// response whose payload is prepared (Content-Length set, no chunked encoding).
void RenderResponse(const Response& response, std::string* out);

/// Replaces |out|'s contents with an HTTP/1.1 keep-alive answer: the status line, |headers|
/// in their order, Content-Length, a blank line, |body| — the bytes RenderResponse() gives for
/// a Beast response with the same fields, prepared. For answers built on every request (a
/// paid 200), without a Beast field allocation per header.
void RenderKeepAliveJson(unsigned status, std::string_view reason,
                         std::initializer_list<std::pair<std::string_view, std::string_view>> headers,
                         std::string_view body, std::string* out);

}  // namespace x402
