// The access log: one line per request in the server log, at info level, through the
// Logger's writer thread (logging.cc), in the log's format (text or JSON lines).
//   text: "access GET /weather 200 HTTP/1.1 x402v2 paid payer=0x… amount=10000 0.210ms"
//   json: {"time":…,"level":"info","msg":"access GET /weather 200","event":"access",
//          "method":"GET","path":"/weather",…}
#pragma once

#include <string>

#include "base/logging.h"
#include "server/request_record.h"

namespace x402 {

/// The text line (also the JSON line's "msg" prefix).
std::string AccessLogText(const RequestRecord& record);
/// The JSON members of the access line, without braces.
std::string AccessLogJsonFields(const RequestRecord& record);

/// Writes |record|'s access line to |logger| (nothing when info is filtered out).
void WriteAccessLog(Logger& logger, const RequestRecord& record);

}  // namespace x402
