// How `mock status` and `mock list` show instances: text for people, JSON for scripts. Pure
// rendering; what is shown comes from ServerControl::Inspect.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "base/console.h"
#include "cli/live_status.h"
#include "service/server_control.h"

namespace x402 {

/// "1d 2h 3m 4s"-style uptime.
std::string FormatUptime(int64_t seconds);

/// The lines of `mock status` for |report| at |now| (Unix seconds); |live| is what the server
/// itself answered (nullptr: it was not asked).
void PrintStatus(const Console& console, const InstanceReport& report, int64_t now,
                 const LiveStatus* live = nullptr);

/// The object of `mock status --json`, also one row of `mock list --json` (which does not ask
/// the servers: |live| nullptr).
boost::json::object StatusJson(const InstanceReport& report, int64_t now,
                               const LiveStatus* live = nullptr);

/// The table of `mock list`.
void PrintInstanceTable(const Console& console, const std::vector<InstanceReport>& reports,
                        int64_t now);

}  // namespace x402
