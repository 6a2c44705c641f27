// The mock facilitator's discovery endpoints (the bazaar extension, x402/extensions/bazaar.h):
//   GET /facilitator/discovery/resources?type&payTo&scheme&network&extensions&limit&offset
//   GET /facilitator/discovery/search?query&type&payTo&scheme&network&extensions&limit&cursor
// in the shapes @x402/extensions' withBazaar() client parses. They list the mock's own
// discoverable routes (the config's) first, then what the facilitator cataloged.
#pragma once

#include <string>
#include <string_view>

#include "server/router.h"
#include "x402/extensions/bazaar.h"

namespace x402 {

/// Reads a discovery request's query string. False with |*problem| for a limit outside
/// 1–kMaxDiscoveryLimit, an offset or cursor that is not a whole number this facilitator could
/// have given, a search without a query, or a query over kMaxDiscoveryQueryText.
bool ParseDiscoveryQuery(std::string_view target, bool search, DiscoveryQuery* query, std::string* problem);

/// The answer to GET /facilitator/discovery/<action> (resources or search).
Response DiscoveryAnswer(const Request& request, std::string_view action, const RequestContext& ctx);

}  // namespace x402
