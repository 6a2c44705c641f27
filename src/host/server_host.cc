#include "host/server_host.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>

#include "base/build_info.h"
#include "base/file.h"
#include "base/private_directory.h"
#include "base/process.h"
#include "server/mock_server.h"
#include "state/pid_file.h"
#include "state/server_state.h"
#include "host/service_notify.h"
#include "x402/svm/solana_chain.h"

namespace x402 {
namespace {

std::string UrlFor(const std::string& host, uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string Pad(std::string text, std::size_t width) {
  text.resize(std::max(width, text.size()), ' ');
  return text;
}

void PrintBanner(const Console& console, const Paywall& paywall, const std::string& url,
                 int64_t pid, const std::string& log_file) {
  const PaywallConfig& m = paywall.config();
  console.Out(console.Bold("x402-dev mock server") + " listening on " + console.Green(url) +
              " (PID " + std::to_string(pid) + ")");
  // One line per option of the default offer: "exact  USDC on base-sepolia (eip155:84532) → 0x2B5A…".
  bool first_option = true;
  for (const PaymentRequirements& o : paywall.default_options()) {
    console.Out(std::string(first_option ? "  accepts      " : "               ") + o.scheme + "  " +
                o.asset_symbol + " " + o.asset + " on " +
                (o.network.empty() ? o.caip2 : o.network + " (" + o.caip2 + ")") + " to " + o.pay_to);
    first_option = false;
  }
  console.Out("  simulation   " + std::string(ToString(m.simulation_mode)) +
              (m.simulation_mode == SimulationMode::kTimeout || m.simulation_mode == SimulationMode::kSlow
                   ? " (" + std::to_string(m.timeout_delay_ms) + " ms)"
                   : std::string()));
  console.Out("  verification " + std::string(ToString(m.verification)) +
              (m.verification == Verification::kShape ? " (shape checks only, replays accepted)"
                                                      : std::string()));
  if (m.ledger.enabled()) {
    console.Out("  ledger       " + url + "/__x402/ledger (every payer starts with " +
                (m.ledger.starting_balance ? FormatUsd(*m.ledger.starting_balance) + " USD"
                                           : std::string("no limit")) +
                ", " + std::to_string(m.ledger.balances.size()) + " named)");
  }
  std::size_t width = 16;
  for (const PriceRule& rule : m.pricing.per_resource) width = std::max(width, rule.pattern.size());
  bool first = true;
  for (const PriceRule& rule : m.pricing.per_resource) {
    console.Out(std::string(first ? "  pricing      " : "               ") +
                Pad(rule.pattern, width) + "  " + FormatUsd(rule.price) + " USD");
    first = false;
  }
  console.Out(std::string(first ? "  pricing      " : "               ") +
              Pad("(any other path)", width) + "  " + FormatUsd(m.pricing.default_price) + " USD");
  console.Out("  health       " + url + "/__x402/health");
  console.Out("  facilitator  " + url + "/facilitator");
  console.Out("  log          " + log_file);
  console.Out("Press Ctrl+C to stop.");
  std::fflush(stdout);
}

// Reports |status| on the readiness channel (if a background start is waiting) and returns it.
Status Failed(Status status) {
  ReportReadiness("FAILED " + std::string(StatusCodeName(status.code())) + "\t" +
                  status.message() + "\t" + status.hint());
  return status;
}

}  // namespace

namespace {

// The instance's Solana fee payer (the key the mock co-signs Solana payments with, offered as
// extra.feePayer): the keypair file the config names, else the instance's own, kept in the
// state directory in solana-keygen's format and generated on the first start, so an instance
// keeps one address across restarts and clients that cached it keep working. A file that is
// not a plain file (a link) or does not read is refused.
Status LoadSolanaFeePayer(const StatePaths& paths, const std::string& configured, int64_t blockhash_seconds,
                          Logger& logger) {
  const std::string& path = configured.empty() ? paths.solana_fee_payer : configured;
  Status plain = CheckPlainFileOrMissing(path);
  if (!plain.ok()) return plain;
  if (auto text = ReadWholeFile(path)) {
    std::string problem;
    auto keypair = svm::Keypair::Parse(*text, &problem);
    if (!keypair) {
      return Status::Config(path + ": " + problem)
          .WithHint("remove the file to have a new fee payer generated, or put solana-keygen's JSON there");
    }
    svm::SolanaChain::Install(std::move(*keypair), blockhash_seconds);
    return Status::Ok();
  }
  if (!configured.empty()) {
    return Status::Config("mock_server.solana_fee_payer: cannot read " + path)
        .WithHint("name an existing solana-keygen keypair file, or leave the setting unset");
  }
  svm::Keypair keypair = svm::Keypair::Generate();
  Status written = WriteFileAtomically(path, keypair.ToKeygenJson() + "\n");
  if (!written.ok()) return written;
  logger.Info("generated the Solana fee payer " + keypair.address() + " (" + path + ")");
  svm::SolanaChain::Install(std::move(keypair), blockhash_seconds);
  return Status::Ok();
}

}  // namespace

Status RunServerHost(const ServerHostOptions& options) {
  LoadedConfig loaded;
  Status s = LoadConfig(options.load, &loaded);
  if (!s.ok()) return Failed(std::move(s));

  // Nothing is created or written in a state directory that is a link or another user's.
  s = PrepareStateDirectories(options.paths);
  if (!s.ok()) return Failed(std::move(s));

  // The lock first: from here on, this process is *the* server, or it is not one at all.
  std::unique_ptr<PidFileLock> pid_lock;
  s = PidFileLock::Acquire(options.paths.pid_file, &pid_lock);
  if (s.code() == StatusCode::kAlreadyRunning) {
    std::string message = s.message();
    if (auto state = ReadServerState(options.paths.state_file)) {
      message = "a mock server is already running (PID " + std::to_string(state->pid) +
                ", port " + std::to_string(state->port) + ")";
    }
    return Failed(Status::AlreadyRunning(message).WithHint(
        "use `x402-dev mock restart` to replace it, or `x402-dev mock stop` first"));
  }
  if (!s.ok()) return Failed(std::move(s));

  Logger logger(options.log_to_stderr ? stderr : nullptr, loaded.config.log_level);
  logger.set_format(loaded.config.log_format);
  s = logger.OpenFile(options.paths.log_file, loaded.config.log_max_bytes,
                      loaded.config.log_max_files);
  if (!s.ok()) {
    if (options.log_file_required) return Failed(std::move(s));
    logger.Warn(s.message() + "; logging to the terminal only");
  }

  logger.Info("starting x402-dev " + std::string(Version()) + " (PID " +
              std::to_string(CurrentProcessId()) + ", backend " + options.backend + ")");

  s = LoadSolanaFeePayer(options.paths, loaded.config.mock_server.solana_fee_payer,
                         loaded.config.mock_server.solana_blockhash_seconds, logger);
  if (!s.ok()) {
    logger.Error("cannot start: " + s.ToString());
    return Failed(std::move(s));
  }

  ServerOptions server_options;
  server_options.access_log = loaded.config.mock_server.access_log;
  server_options.history_size = loaded.config.mock_server.history_size;
  server_options.host = loaded.config.mock_server.host;
  server_options.port = loaded.config.mock_server.port;
  server_options.threads = options.threads;
  server_options.max_connections = loaded.config.mock_server.max_connections;
  auto paywall = std::make_shared<const Paywall>(loaded.config.mock_server);
  MockServer server(server_options, paywall, logger);
  s = server.Listen();
  if (!s.ok()) {
    logger.Error("cannot start: " + s.ToString());
    return Failed(std::move(s));
  }

  const int64_t pid = CurrentProcessId();
  const std::string url = UrlFor(server_options.host, server.port());
  ServerState state;
  state.pid = pid;
  state.host = server_options.host;
  state.port = server.port();
  state.url = url;
  state.backend = options.backend;
  state.started_at = static_cast<int64_t>(std::time(nullptr));
  state.config_file = loaded.project_file.value_or("");
  state.log_file = options.paths.log_file;
  state.version = std::string(Version());
  state.instance = options.instance;
  state.solana_fee_payer = std::string(svm::SolanaChain::Get().fee_payer().address());
  state.launch = options.launch;
  std::mutex state_mutex;  // the reload hook and the ready hook may run on different threads

  MockServer::Hooks hooks;
  hooks.on_ready = [&] {
    {
      std::lock_guard<std::mutex> lock(state_mutex);
      Status written = WriteServerState(options.paths.state_file, state);
      if (!written.ok()) logger.Warn(written.message());
    }
    logger.Info("ready: listening on " + url + " (PID " + std::to_string(pid) + ", backend " +
                options.backend + ")");
    NotifyReady("listening on " + url);
    ReportReadiness("READY " + std::to_string(pid) + " " + std::to_string(server.port()));
    if (options.banner != nullptr) {
      PrintBanner(*options.banner, *paywall, url, pid, options.paths.log_file);
    }
  };
  hooks.on_reload = [&] {
    NotifyReloading();
    LoadedConfig reloaded;
    Status r = LoadConfig(options.load, &reloaded);
    std::string message;
    if (!r.ok()) {
      message = r.ToString();
      logger.Error("reload refused, keeping the running configuration: " + message);
    } else {
      if (reloaded.config.mock_server.port != server_options.port ||
          reloaded.config.mock_server.host != server_options.host) {
        logger.Warn("reload: host and port changes take effect on restart");
      }
      if (reloaded.config.mock_server.history_size != server_options.history_size) {
        logger.Warn("reload: history_size changes take effect on restart (the history is kept)");
      }
      if (reloaded.config.mock_server.solana_fee_payer != loaded.config.mock_server.solana_fee_payer ||
          reloaded.config.mock_server.solana_blockhash_seconds != loaded.config.mock_server.solana_blockhash_seconds) {
        logger.Warn("reload: solana_fee_payer and solana_blockhash_seconds changes take effect on restart (the fee "
                    "payer stays " + svm::SolanaChain::Get().fee_payer().address() + ")");
      }
      logger.set_level(reloaded.config.log_level);
      logger.set_format(reloaded.config.log_format);
      server.SetAccessLog(reloaded.config.mock_server.access_log);
      message = "configuration reloaded";
      logger.Info("reload accepted: " + message);
      // In force before the state file says so: whoever reads "reloaded" sees new prices.
      server.UpdatePaywall(std::make_shared<const Paywall>(reloaded.config.mock_server));
    }
    {
      std::lock_guard<std::mutex> lock(state_mutex);
      ++state.reload_count;
      state.last_reload_ok = r.ok();
      state.last_reload_message = message;
      if (r.ok()) state.config_file = reloaded.project_file.value_or("");
      Status written = WriteServerState(options.paths.state_file, state);
      if (!written.ok()) logger.Warn(written.message());
    }
    NotifyReady("listening on " + url);
  };
  hooks.on_stopping = [&](std::string_view reason) {
    NotifyStopping();
    logger.Info("stopping (" + std::string(reason) + "): answering requests in flight");
  };
  const auto watch = WatchPlatformRequests(
      [&server](std::string_view reason) { server.Stop(reason); }, [&server] { server.Reload(); });
  server.Run(std::move(hooks));

  std::error_code ignored;
  std::filesystem::remove(options.paths.state_file, ignored);
  logger.Info("stopped");
  return Status::Ok();  // |pid_lock| removes the PID file and releases the lock last
}

}  // namespace x402
