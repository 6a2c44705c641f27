// x402-dev mock requests: the running server's request history (GET /__x402/requests) in the
// terminal — a table, or one JSON object per line; -f keeps asking for what came after the
// last id shown (?since=), twice a second.
#include <boost/json.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>

#include "base/text.h"
#include "cli/args.h"
#include "cli/command.h"
#include "cli/http_probe.h"
#include "state/instance.h"
#include "service/server_inspection.h"
#include "state/state_paths.h"
#include "x402/money.h"

namespace x402 {
namespace {

namespace json = boost::json;

constexpr const char* kDescription =
    "Shows what the running mock server received: its request history (GET /__x402/requests),\n"
    "oldest first: time (UTC), method, path, status, verdict (and the reason of a refused\n"
    "payment), payer, amount in the asset's units (0.05 USDC; an upto payment charged less than\n"
    "it authorized: 0.0025/0.01 USDC) and network. -f keeps printing\n"
    "new requests as they arrive, and starts over when the server restarts; --json prints each\n"
    "request as one JSON object per line, with the decoded payment header, the offer and the\n"
    "settlement (docs/server.md).\n"
    "\n"
    "Exit codes: 0, 1 no server is running, 3 the server did not answer.";
constexpr const char* kExamples =
    "  x402-dev mock requests\n"
    "  x402-dev mock requests -n 5 --json\n"
    "  x402-dev mock requests -f\n";

constexpr auto kTimeout = std::chrono::seconds(5);
constexpr auto kPollInterval = std::chrono::milliseconds(500);
// One page: the server bounds it to 1000 records and about 1 MiB (request_history.h).
constexpr std::size_t kPageLimit = 1'000;
constexpr std::size_t kBodyLimit = 4 * 1024 * 1024;

std::string Text(const json::value* v) {
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_null()) return {};
  return json::serialize(*v);
}

// Every field comes from what a client sent (a path, a payer): escaped before it reaches the
// terminal, so a request cannot write ESC/CSI sequences to the user's screen.
std::string Field(const json::object& o, std::string_view key) {
  return TerminalSafe(Text(o.if_contains(key)));
}

std::string Shorten(std::string s, std::size_t width) {
  if (s.size() <= width) return s;
  if (s.rfind("0x", 0) == 0 && width >= 11) {  // an address: keep both ends, as wallets do
    const std::size_t keep = (width - 1) / 2;
    return s.substr(0, keep) + "…" + s.substr(s.size() - (width - 1 - keep));
  }
  return s.substr(0, width - 1) + "…";
}

std::string Pad(const std::string& s, std::size_t width) {
  // Counts "…" (3 bytes) as one column.
  std::size_t columns = 0;
  for (char c : s) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return columns >= width ? s : s + std::string(width - columns, ' ');
}

// Atomic units in the asset's own: ("50000", 6, "USDC") → "0.05 USDC"; other text as it is.
std::string Amount(const std::string& atomic, int decimals, const std::string& symbol) {
  if (atomic.empty()) return {};
  if (auto amount = ParseAtomic(atomic)) {
    return FormatUnits(amount->units, decimals) + (symbol.empty() ? "" : " " + symbol);
  }
  return atomic;
}

// "0.0025/0.01 USDC" for an upto payment charged 0.0025 of 0.01 authorized; else Amount().
std::string ChargedAmount(const std::string& atomic, const std::string& authorized, int decimals,
                          const std::string& symbol) {
  if (authorized.empty() || authorized == atomic) return Amount(atomic, decimals, symbol);
  return Amount(atomic, decimals, "") + "/" + Amount(authorized, decimals, symbol);
}

constexpr std::size_t kTimeWidth = 12, kMethodWidth = 7, kPathWidth = 24, kStatusWidth = 6,
                      kVerdictWidth = 34, kPayerWidth = 13;

constexpr std::size_t kAmountWidth = 14;

std::string HeaderRow() {
  return Pad("TIME", kTimeWidth) + " " + Pad("METHOD", kMethodWidth) + " " +
         Pad("PATH", kPathWidth) + " " + Pad("STATUS", kStatusWidth) + " " +
         Pad("VERDICT", kVerdictWidth) + " " + Pad("PAYER", kPayerWidth) + " " +
         Pad("AMOUNT", kAmountWidth) + " NETWORK";
}

// "  ! possible double payment of #12": the payer was not told of an earlier settlement for
// this resource (pending, or the answer lost) and paid again.
std::string DoublePaymentNote(const json::object& r) {
  const json::value* of = r.if_contains("double_payment_of");
  if (of == nullptr || !of->is_number()) return {};
  return "  ! possible double payment of #" + json::serialize(*of);
}

std::string Row(const json::object& r) {
  std::string time = Field(r, "time");  // 2026-11-30T03:12:45.123Z → 03:12:45.123
  if (time.size() >= 23) time = time.substr(11, 12);
  std::string verdict = Field(r, "verdict");
  if (const std::string reason = Field(r, "reason"); !reason.empty()) verdict += ": " + reason;
  std::string payer, amount, authorized;
  if (const json::value* p = r.if_contains("payment"); p != nullptr && p->is_object()) {
    payer = Field(p->get_object(), "payer");
    amount = Field(p->get_object(), "amount");
    // An upto payment: what was charged of what the payer authorized.
    if (const json::value* d = p->get_object().if_contains("details"); d != nullptr && d->is_object()) {
      authorized = Field(d->get_object(), "authorized");
    }
  }
  // The option paid (or, unpaid, the offer's first): its network, symbol and decimals.
  std::string network, symbol;
  int decimals = 6;
  int offered = 0;
  if (const json::value* o = r.if_contains("option"); o != nullptr && o->is_object()) {
    const json::object& option = o->get_object();
    network = Field(option, "network");
    symbol = Field(option, "symbol");
    if (const json::value* d = option.if_contains("decimals"); d != nullptr && d->is_int64()) {
      decimals = static_cast<int>(std::clamp<int64_t>(d->get_int64(), 0, 77));
    }
    if (const json::value* n = option.if_contains("offered"); n != nullptr && n->is_int64()) {
      offered = static_cast<int>(std::clamp<int64_t>(n->get_int64(), 0, 1'000'000));
    }
  }
  if (amount.empty()) {  // an unpaid request: what the first option asked
    const json::value* q = r.if_contains("requirements");
    if (q != nullptr && q->is_array() && !q->get_array().empty()) q = &q->get_array().front();
    if (q != nullptr && q->is_object()) {
      amount = Field(q->get_object(), "amount");
      if (amount.empty()) amount = Field(q->get_object(), "maxAmountRequired");
    }
  }
  // An unpaid request shows the first option and how many more the offer listed.
  if (payer.empty() && offered > 1) network += " +" + std::to_string(offered - 1);
  std::string path = Field(r, "path");
  if (const std::string query = Field(r, "query"); !query.empty()) path += "?" + query;
  return Pad(time, kTimeWidth) + " " + Pad(Shorten(Field(r, "method"), kMethodWidth), kMethodWidth) +
         " " + Pad(Shorten(path, kPathWidth), kPathWidth) + " " +
         Pad(Field(r, "status"), kStatusWidth) + " " +
         Pad(Shorten(verdict, kVerdictWidth), kVerdictWidth) + " " +
         Pad(Shorten(payer.empty() ? "-" : payer, kPayerWidth), kPayerWidth) + " " +
         Pad(amount.empty() ? "-" : ChargedAmount(amount, authorized, decimals, symbol), kAmountWidth) + " " +
         (network.empty() ? "-" : network) + DoublePaymentNote(r);
}

// One page of GET /__x402/requests, parsed.
struct HistoryPage {
  json::array records;  // oldest first
  bool more = false;
  std::string start_id;
};

class RequestsCommand {
 public:
  RequestsCommand(CommandContext& context, const ServerState& server, bool as_json)
      : context_(context), server_(server), as_json_(as_json) {}

  // The newest |count| requests, oldest first: pages backwards (?before=) as long as the
  // server says there is more, since one page is bounded (request_history.h).
  Status PrintLatest(std::size_t count) {
    json::array shown;
    std::optional<uint64_t> before;
    while (shown.size() < count) {
      HistoryPage page;
      std::string target = "/__x402/requests?limit=" + std::to_string(std::min(count - shown.size(), kPageLimit));
      if (before) target += "&before=" + std::to_string(*before);
      Status s = Fetch(target, &page);
      if (!s.ok()) return s;
      start_id_ = page.start_id;
      if (page.records.empty()) break;
      before = IdOf(page.records.front());
      shown.insert(shown.begin(), page.records.begin(), page.records.end());
      if (!page.more) break;
    }
    if (!as_json_) context_.console.Out(HeaderRow());
    Print(shown);
    return Status::Ok();
  }

  // What arrived after the last request shown, forever (-f). A server that restarted (a new
  // start id) numbers its requests from 1 again: say so and show its requests from the start.
  Status Follow() {
    for (;;) {
      HistoryPage page;
      Status s = Fetch("/__x402/requests?limit=" + std::to_string(kPageLimit) +
                           "&since=" + std::to_string(last_id_),
                       &page);
      if (!s.ok()) return s;
      if (!start_id_.empty() && page.start_id != start_id_) {
        context_.console.Warning("the server restarted (a new start id); its requests follow from the start");
        start_id_ = page.start_id;
        last_id_ = 0;
        continue;
      }
      start_id_ = page.start_id;
      Print(page.records);
      if (!page.more) std::this_thread::sleep_for(kPollInterval);
    }
  }

 private:
  static uint64_t IdOf(const json::value& record) {
    const json::value* id = record.is_object() ? record.get_object().if_contains("id") : nullptr;
    return id != nullptr && id->is_number() ? id->to_number<uint64_t>() : 0;
  }

  void Print(const json::array& records) {
    for (const json::value& r : records) {
      if (!r.is_object()) continue;
      last_id_ = std::max(last_id_, IdOf(r));
      // Boost.JSON escapes only C0 controls; DEL, C1 and bidi overrides get \\u escapes here.
      context_.console.Out(as_json_ ? TerminalSafe(json::serialize(r), /*json=*/true)
                                    : Row(r.get_object()));
    }
    std::fflush(stdout);
  }

  Status Fetch(const std::string& target, HistoryPage* out) {
    const ProbeUrl url = LocalServerUrl(server_.host, server_.port, target);
    const ProbeResult answer = HttpGet(url, kTimeout, "(mock requests)", kBodyLimit);
    const std::string where = server_.url.empty() ? "the server" : server_.url;
    switch (answer.outcome) {
      case ProbeResult::Outcome::kAnswered: break;
      case ProbeResult::Outcome::kRefused:
        return Status::NotFound("the server at " + where + " no longer answers (connection refused)")
            .WithHint("`x402-dev mock status` says whether it still runs");
      case ProbeResult::Outcome::kTimedOut:
        return Status::Timeout("the server at " + where + " did not answer within 5 s")
            .WithHint("it may be hung or overloaded; `x402-dev mock status` checks it");
      case ProbeResult::Outcome::kFailed:
        return Status::Io("asking " + where + " for its requests failed: " + answer.error);
    }
    if (answer.status != 200) {
      return Status::Io(where + "/__x402/requests answered " + std::to_string(answer.status))
          .WithHint("is it an x402-dev server of this version? `x402-dev version` on both sides");
    }
    boost::system::error_code ec;
    json::value page = json::parse(answer.body, ec);
    json::value* requests = !ec && page.is_object() ? page.get_object().if_contains("requests") : nullptr;
    if (requests == nullptr || !requests->is_array()) {
      return Status::Io(where + "/__x402/requests answered something that is not a history");
    }
    out->records = std::move(requests->get_array());
    const json::value* more = page.get_object().if_contains("more");
    out->more = more != nullptr && more->is_bool() && more->get_bool();
    const json::value* start = page.get_object().if_contains("start_id");
    out->start_id = start != nullptr && start->is_string() ? std::string(start->get_string()) : "";
    return Status::Ok();
  }

  CommandContext& context_;
  const ServerState& server_;
  const bool as_json_;
  uint64_t last_id_ = 0;
  std::string start_id_;
};

}  // namespace

Status RunRequestsCommand(CommandContext& context, const std::vector<std::string>& args) {
  po::options_description options("Options");
  options.add_options()
      ("lines,n", po::value<int>()->value_name("N")->default_value(20),
       "how many of the latest requests to show (at most the server's history_size; read page by page)")
      ("follow,f", "keep printing new requests as they arrive (Ctrl+C stops)")
      ("json", "one JSON object per request and line, as GET /__x402/requests has it")
      ("name", po::value<std::string>()->value_name("NAME"),
       "the named instance to ask (default: $X402_DEV_INSTANCE, else the default instance)");
  po::variables_map vm;
  Status s = ParseArgs(args, options, {}, "mock requests", &vm);
  if (!s.ok()) return s;
  if (vm.count("help")) {
    context.console.Out(FormatHelp("x402-dev mock requests [-n N] [-f] [--json] [--name NAME]",
                                   kDescription, options, kExamples));
    return Status::Ok();
  }
  const int lines = vm["lines"].as<int>();
  if (lines < 1) return Status::Usage("-n must be 1 or more");

  Instance instance;
  s = Instance::Parse(vm.count("name") ? vm["name"].as<std::string>()
                                       : context.env("X402_DEV_INSTANCE").value_or(""),
                      &instance);
  if (!s.ok()) return s;
  ServerInspection found = InspectServer(instance.Paths(context.home), /*clean_up=*/false);
  if (!found.problem.ok()) return found.problem;
  if (!found.running || !found.state) {
    const std::string which = instance.name().empty() ? "" : " (instance " + instance.name() + ")";
    return Status::NotFound("no mock server is running" + which)
        .WithHint("start one with `x402-dev mock start`" +
                  std::string(instance.name().empty() ? "" : " --name " + instance.name()));
  }
  RequestsCommand command(context, *found.state, vm.count("json") > 0);
  s = command.PrintLatest(static_cast<std::size_t>(lines));
  if (!s.ok() || !vm.count("follow")) return s;
  return command.Follow();
}

}  // namespace x402
