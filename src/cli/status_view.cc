#include "cli/status_view.h"

#include <boost/json.hpp>
#include <ctime>

#include "base/text.h"

namespace x402 {
namespace {

std::string FormatTime(int64_t unix_seconds) {
  const std::tm utc = UtcTime(static_cast<std::time_t>(unix_seconds));
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return buf;
}

std::string Column(std::string text, std::size_t width) {
  if (text.size() < width) text.resize(width, ' ');
  return text + "  ";
}

}  // namespace

std::string FormatUptime(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const int64_t d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60,
                s = seconds % 60;
  std::string out;
  if (d > 0) out += std::to_string(d) + "d ";
  if (d > 0 || h > 0) out += std::to_string(h) + "h ";
  if (d > 0 || h > 0 || m > 0) out += std::to_string(m) + "m ";
  return out + std::to_string(s) + "s";
}

void PrintStatus(const Console& c, const InstanceReport& report, int64_t now) {
  const std::string who =
      report.instance.is_default() ? "mock server" : "mock server '" + report.instance.name() + "'";
  if (!report.running) {
    c.Out(who + ": " + c.Bold("not running"));
    return;
  }
  if (!report.state) {
    c.Out(who + ": " + c.Yellow("starting") + " (PID " + std::to_string(report.pid) + ")");
    return;
  }
  const ServerState& st = *report.state;
  c.Out(who + ": " + c.Green("running"));
  c.Out("  PID:      " + std::to_string(report.pid));
  c.Out("  URL:      " + st.url);
  c.Out("  port:     " + std::to_string(st.port));
  c.Out("  backend:  " + st.backend);
  c.Out("  uptime:   " + FormatUptime(now - st.started_at) + " (since " +
        FormatTime(st.started_at) + ")");
  c.Out("  config:   " +
        (st.config_file.empty() ? std::string("built-in defaults, env and flags") : st.config_file));
  c.Out("  log:      " + st.log_file);
  c.Out("  version:  " + st.version);
  for (const auto& line : report.manager_lines) c.Out("  " + line);
}

boost::json::object StatusJson(const InstanceReport& report, int64_t now) {
  boost::json::object o;
  o["instance"] = report.instance.Label();
  o["running"] = report.running;
  o["pid_file"] = report.paths.pid_file;
  o["log_file"] = report.paths.log_file;
  if (!report.running) return o;
  o["pid"] = report.pid;
  o["state"] = report.state ? "listening" : "starting";
  if (!report.state) return o;
  const ServerState& st = *report.state;
  o["port"] = st.port;
  o["host"] = st.host;
  o["url"] = st.url;
  o["backend"] = st.backend;
  o["started_at"] = st.started_at;
  o["uptime_s"] = now - st.started_at;
  o["config_file"] =
      st.config_file.empty() ? boost::json::value(nullptr) : boost::json::value(st.config_file);
  o["version"] = st.version;
  if (st.launch) {
    boost::json::array args;
    for (const auto& a : st.launch->args) args.emplace_back(a);
    o["args"] = std::move(args);
    o["working_directory"] = st.launch->working_directory;
  }
  return o;
}

void PrintInstanceTable(const Console& c, const std::vector<InstanceReport>& reports,
                        int64_t now) {
  c.Out(Column("NAME", 12) + Column("STATE", 9) + Column("PID", 8) + Column("URL", 28) +
        Column("BACKEND", 10) + "UPTIME");
  for (const InstanceReport& r : reports) {
    const std::string state = !r.running ? "stopped" : r.state ? "running" : "starting";
    const std::string pid = r.running ? std::to_string(r.pid) : "-";
    const std::string url = r.state ? r.state->url : "-";
    const std::string backend = r.state ? r.state->backend : "-";
    const std::string uptime = r.state ? FormatUptime(now - r.state->started_at) : "-";
    c.Out(Column(r.instance.Label(), 12) + Column(state, 9) + Column(pid, 8) + Column(url, 28) +
          Column(backend, 10) + uptime);
  }
}

}  // namespace x402
