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

// A JSON number or string as text ("" when absent).
std::string Text(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  if (v->is_double()) return boost::json::serialize(*v);
  if (v->is_bool()) return v->as_bool() ? "true" : "false";
  return "";
}

const boost::json::object* ObjectAt(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->as_object() : nullptr;
}

// The mode the server runs in: health says it (once it knows), else the config.
std::string ModeOf(const LiveStatus& live, std::string_view key) {
  std::string mode = Text(live.health, key);
  if (mode.empty() && live.config) mode = Text(*live.config, key);
  return mode;
}

// "57 (40 paid, 12 unpaid, 5 rejected)" from health's counters.
std::string RequestCounters(const boost::json::object& counters) {
  std::string out = Text(counters, "requests");
  if (out.empty()) out = "0";
  std::string detail;
  for (const char* key : {"paid", "unpaid", "rejected", "simulated_failure", "simulated_timeout",
                          "settlement_pending", "lost_response", "repeated", "signed_in", "possible_double_payments",
                          "errors"}) {
    const std::string n = Text(counters, key);
    if (n.empty() || n == "0") continue;
    if (!detail.empty()) detail += ", ";
    std::string word = key;
    for (char& c : word) c = c == '_' ? ' ' : c;
    detail += n + " " + word;
  }
  return detail.empty() ? out : out + " (" + detail + ")";
}

// "invalid_signature 2, expired 1"
std::string RejectedByReason(const boost::json::object& counters) {
  const boost::json::object* reasons = ObjectAt(counters, "rejected_by_reason");
  if (reasons == nullptr) return "";
  std::string out;
  for (const auto& [reason, count] : *reasons) {
    if (!out.empty()) out += ", ";
    out += std::string(reason) + " " + (count.is_number() ? boost::json::serialize(count) : "?");
  }
  return out;
}

// A price of /__x402/config, {"usd":"0.01","amount":"10000"}, as "0.01 USD (10000)"; a plain
// string or number as it is.
std::string PriceText(const boost::json::object& o, std::string_view key) {
  const boost::json::object* price = ObjectAt(o, key);
  if (price == nullptr) return Text(o, key);
  const std::string usd = Text(*price, "usd"), amount = Text(*price, "amount");
  if (usd.empty()) return amount;
  return usd + " USD" + (amount.empty() ? "" : " (" + amount + ")");
}

// One line per pricing rule of /__x402/config ("/api/premium/*  0.10 USD (100000)"), the
// default first.
std::vector<std::string> PricingLines(const boost::json::object& config) {
  std::vector<std::string> lines;
  const std::string default_price = PriceText(config, "default_price");
  if (!default_price.empty()) lines.push_back("default  " + default_price);
  const boost::json::value* rules = config.if_contains("pricing");
  if (rules == nullptr || !rules->is_array()) return lines;
  for (const boost::json::value& rule : rules->as_array()) {
    if (!rule.is_object()) continue;
    const boost::json::object& r = rule.as_object();
    std::string pattern = Text(r, "path");
    if (pattern.empty()) pattern = Text(r, "pattern");
    std::string price = PriceText(r, "price");
    if (price.empty()) price = PriceText(r, "amount");
    lines.push_back(pattern + "  " + price);
  }
  return lines;
}

// The payment options of /__x402/config's "accepts", one line each:
// "exact  USDC on base-sepolia (eip155:84532)"; an older server's single "network" otherwise.
std::vector<std::string> OptionLines(const boost::json::object& config) {
  std::vector<std::string> lines;
  if (const boost::json::value* accepts = config.if_contains("accepts"); accepts && accepts->is_array()) {
    for (const boost::json::value& v : accepts->get_array()) {
      if (!v.is_object()) continue;
      const boost::json::object& o = v.get_object();
      const std::string name = Text(o, "network"), caip2 = Text(o, "caip2");
      lines.push_back(Text(o, "scheme") + "  " + Text(o, "symbol") + " on " +
                      (name.empty() ? caip2 : name + " (" + caip2 + ")"));
    }
  }
  if (lines.empty()) {
    if (std::string network = Text(config, "network"); !network.empty()) lines.push_back(network);
  }
  return lines;
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

void PrintStatus(const Console& c, const InstanceReport& report, int64_t now,
                 const LiveStatus* live) {
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
  if (live != nullptr && !live->answering) {
    c.Out(who + ": " + c.Red("running, not answering") + " (" + TerminalSafe(live->problem) + ")");
  } else {
    c.Out(who + ": " + c.Green("running"));
  }
  c.Out("  PID:      " + std::to_string(report.pid));
  c.Out("  URL:      " + TerminalSafe(st.url));
  c.Out("  port:     " + std::to_string(st.port));
  c.Out("  backend:  " + TerminalSafe(st.backend));
  c.Out("  uptime:   " + FormatUptime(now - st.started_at) + " (since " +
        FormatTime(st.started_at) + ")");
  c.Out("  config:   " +
        (st.config_file.empty() ? std::string("built-in defaults, env and flags") : TerminalSafe(st.config_file)));
  c.Out("  log:      " + TerminalSafe(st.log_file));
  c.Out("  version:  " + TerminalSafe(st.version));
  if (!st.solana_fee_payer.empty()) c.Out("  solana:   fee payer " + TerminalSafe(st.solana_fee_payer));
  if (st.reload_count > 0) {
    c.Out("  reloads:  " + std::to_string(st.reload_count) +
          (st.last_reload_ok ? ", the last one applied"
                             : ", the last one refused: " + TerminalSafe(st.last_reload_message)));
  }
  if (live != nullptr && live->answering) {
    if (const boost::json::object* counters = ObjectAt(live->health, "counters")) {
      c.Out("  requests: " + TerminalSafe(RequestCounters(*counters)));
      const std::string reasons = RejectedByReason(*counters);
      if (!reasons.empty()) c.Out("  rejected: " + TerminalSafe(reasons));
    }
    const std::string mode = ModeOf(*live, "simulation_mode");
    if (!mode.empty()) c.Out("  simulation: " + TerminalSafe(mode));
    if (const boost::json::object* bazaar = ObjectAt(live->health, "bazaar")) {
      const std::string declared = Text(*bazaar, "declared"), cataloged = Text(*bazaar, "cataloged");
      if ((!declared.empty() && declared != "0") || (!cataloged.empty() && cataloged != "0")) {
        auto count = [](const std::string& n, std::string_view one) {
          return n + " " + std::string(one) + (n == "1" ? "" : "s");
        };
        c.Out("  discovery: " + TerminalSafe(count(declared, "route") + " declared, " + count(cataloged, "resource") +
                                             " cataloged (" + st.url + "/facilitator/discovery/resources)"));
      }
    }
    const std::string verification = ModeOf(*live, "verification");
    if (!verification.empty()) c.Out("  verification: " + TerminalSafe(verification));
    if (live->config) {
      const std::vector<std::string> options = OptionLines(*live->config);
      for (std::size_t i = 0; i < options.size(); ++i) {
        c.Out(std::string(i == 0 ? "  accepts:  " : "            ") + TerminalSafe(options[i]));
      }
      const std::vector<std::string> pricing = PricingLines(*live->config);
      for (std::size_t i = 0; i < pricing.size(); ++i) {
        c.Out(std::string(i == 0 ? "  pricing:  " : "            ") + TerminalSafe(pricing[i]));
      }
    }
    c.Out("  dashboard: " + TerminalSafe(st.url) + "/__x402/");
  }
  for (const auto& line : report.manager_lines) c.Out("  " + TerminalSafe(line));
}

boost::json::object StatusJson(const InstanceReport& report, int64_t now,
                               const LiveStatus* live) {
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
  if (!st.solana_fee_payer.empty()) o["solana_fee_payer"] = st.solana_fee_payer;
  if (st.launch) {
    boost::json::array args;
    for (const auto& a : st.launch->args) args.emplace_back(a);
    o["args"] = std::move(args);
    o["working_directory"] = st.launch->working_directory;
  }
  o["reloads"] = {{"count", st.reload_count},
                  {"last_ok", st.last_reload_ok},
                  {"last_message", st.last_reload_message}};
  if (live == nullptr) return o;
  o["answering"] = live->answering;
  if (!live->answering) {
    o["state"] = "not_answering";
    o["problem"] = live->problem;
    return o;
  }
  o["dashboard"] = st.url + "/__x402/";
  if (const boost::json::object* counters = ObjectAt(live->health, "counters")) {
    o["counters"] = *counters;
  }
  if (const boost::json::object* bazaar = ObjectAt(live->health, "bazaar")) o["bazaar"] = *bazaar;
  const std::string mode = ModeOf(*live, "simulation_mode");
  if (!mode.empty()) o["simulation_mode"] = mode;
  const std::string verification = ModeOf(*live, "verification");
  if (!verification.empty()) o["verification"] = verification;
  if (live->config) {
    o["config"] = *live->config;
    if (const boost::json::value* pricing = live->config->if_contains("pricing")) {
      o["pricing"] = *pricing;
    }
    if (const boost::json::value* accepts = live->config->if_contains("accepts")) {
      o["accepts"] = *accepts;
    }
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
    const std::string url = r.state ? TerminalSafe(r.state->url) : "-";
    const std::string backend = r.state ? TerminalSafe(r.state->backend) : "-";
    const std::string uptime = r.state ? FormatUptime(now - r.state->started_at) : "-";
    c.Out(Column(r.instance.Label(), 12) + Column(state, 9) + Column(pid, 8) + Column(url, 28) +
          Column(backend, 10) + uptime);
  }
}

}  // namespace x402
