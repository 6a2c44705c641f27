#include "x402/svm/solana_rpc.h"

#include <algorithm>
#include <cmath>
#include <variant>

#include <boost/json.hpp>

#include "base/base64.h"
#include "x402/hash32.h"
#include "x402/json_fields.h"
#include "x402/money.h"
#include "x402/svm/base58.h"
#include "x402/svm/program_address.h"
#include "x402/svm/simulation.h"
#include "x402/svm/solana_chain.h"
#include "x402/svm/svm_networks.h"
#include "x402/svm/transaction.h"

namespace x402::svm {
namespace {

namespace json = boost::json;

// The version a real node reports; the clients do not read it.
constexpr std::string_view kApiVersion = "2.2.0";
// What every account holds in SOL, in lamports (the payer pays no fee: the facilitator does).
constexpr uint64_t kLamportsPerAccount = 1'000'000'000;
// The rent-exempt minimum of an 82-byte mint account.
constexpr uint64_t kMintLamports = 1'461'600;
// Ledger off: payers pay without limit; their token accounts are shown holding this much.
constexpr uint64_t kUntrackedBalance = 1'000'000'000'000;  // a million of a 6-decimal token

struct RpcError {
  int code;
  std::string message;
};

json::object Error(const json::value& id, const RpcError& e) {
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"error", json::object{{"code", e.code}, {"message", e.message}}}};
}

json::object Result(const json::value& id, json::value result) {
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json::object WithContext(int64_t now, json::value value) {
  return json::object{{"context", json::object{{"apiVersion", kApiVersion}, {"slot", SolanaChain::SlotAt(now)}}},
                      {"value", std::move(value)}};
}

// A mint of the table: where it is, and its program.
struct Mint {
  const NetworkInfo* network = nullptr;
  const AssetInfo* asset = nullptr;
  PublicKey program{};
};

std::optional<Mint> FindMint(const NetworkTable& networks, std::string_view address) {
  for (const NetworkInfo& network : networks.all()) {
    if (network.family != "solana") continue;
    if (const AssetInfo* asset = network.FindAsset(address)) {
      const auto program = Base58Decode32(asset->token_program.empty() ? kTokenProgramAddress : asset->token_program);
      if (!program) continue;
      return Mint{&network, asset, *program};
    }
  }
  return std::nullopt;
}

// spl-token's Mint: mint_authority COption<Pubkey> (4 + 32), supply u64, decimals u8,
// is_initialized bool, freeze_authority COption<Pubkey> (4 + 32): 82 bytes.
std::string MintAccountData(const AssetInfo& asset) {
  std::string data(82, '\0');
  const uint64_t supply = 1'000'000'000'000'000;
  for (int i = 0; i < 8; ++i) data[36 + static_cast<std::size_t>(i)] = static_cast<char>(supply >> (8 * i));
  data[44] = static_cast<char>(asset.decimals);
  data[45] = 1;
  return data;
}

json::value EncodedData(std::string_view bytes, std::string_view encoding) {
  if (encoding == "base58") {
    return json::array{json::string(Base58Encode({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()})), "base58"};
  }
  return json::array{json::string(Base64Encode(bytes)), "base64"};
}

// The account at |address| as getAccountInfo shows it: a mint of the table, a wallet (a system
// account holding SOL), or null.
std::optional<json::value> Account(const SolanaRpcContext& ctx, std::string_view address, std::string_view encoding) {
  if (!Base58Decode32(address)) return std::nullopt;
  if (const auto mint = FindMint(*ctx.networks, address)) {
    return json::object{{"data", EncodedData(MintAccountData(*mint->asset), encoding)},
                        {"executable", false},
                        {"lamports", kMintLamports},
                        {"owner", Base58Encode(mint->program)},
                        {"rentEpoch", 0},
                        {"space", 82}};
  }
  return json::value(nullptr);
}

std::string_view EncodingOf(const json::array& params, std::size_t at) {
  if (params.size() <= at) return "base58";
  const json::object* options = params[at].if_object();
  return options != nullptr ? TextField(*options, "encoding") : std::string_view("base58");
}

const json::string* AddressParam(const json::array& params) {
  return params.empty() ? nullptr : params[0].if_string();
}

// The ledger's balance of |owner| in |mint|, in atomic units (untracked: kUntrackedBalance).
uint64_t TokenBalance(const SolanaRpcContext& ctx, const Mint& mint, std::string_view owner) {
  if (ctx.settlement == nullptr || ctx.config == nullptr || !ctx.config->ledger.enabled()) return kUntrackedBalance;
  const LedgerAsset asset{mint.network->caip2 + "/token:" + mint.asset->address, mint.asset->symbol,
                          mint.asset->decimals};
  Ledger::Account account;
  const Ledger::Outcome outcome = ctx.settlement->ledger.Look(owner, asset, AtomicAmount{}, ctx.config->ledger, &account);
  if (outcome == Ledger::Outcome::kNotTracked) return kUntrackedBalance;
  return account.balance.units.SaturatedUint64();
}

// How many associated token accounts one request (a batch included) may derive to find whose
// |address| is (each is a SHA-256 and a curve test): a bound on the work a request can cause.
constexpr int kMaxDerivationsPerRequest = 256;

// getTokenAccountBalance: whose associated token account |address| is, among the accounts the
// ledger holds (payer and mint known: one derivation each) and the payers the config names
// (one per Solana mint), within |*budget| derivations. nullopt: no one's; an RpcError when the
// budget ran out first.
std::variant<std::optional<json::value>, RpcError> TokenAccountBalance(const SolanaRpcContext& ctx,
                                                                       std::string_view address, int* budget) {
  const auto target = Base58Decode32(address);
  if (!target) return RpcError{-32602, "Invalid param: Invalid"};
  std::vector<std::pair<std::string, std::string>> candidates;  // (owner, mint)
  if (ctx.settlement != nullptr) {
    for (const auto& [payer, id] : ctx.settlement->ledger.AccountsOf("solana:", kMaxDerivationsPerRequest)) {
      const std::size_t at = id.find("/token:");
      if (at != std::string::npos) candidates.emplace_back(payer, id.substr(at + 7));
    }
  }
  if (ctx.config != nullptr) {
    for (const auto& [payer, balance] : ctx.config->ledger.balances) {
      if (!Base58Decode32(payer)) continue;
      for (const NetworkInfo& network : ctx.networks->all()) {
        if (network.family != "solana") continue;
        for (const AssetInfo& asset : network.assets) candidates.emplace_back(payer, asset.address);
      }
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (const auto& [owner_text, mint_text] : candidates) {
    const auto owner = Base58Decode32(owner_text);
    const auto mint_key = Base58Decode32(mint_text);
    const auto mint = FindMint(*ctx.networks, mint_text);
    if (!owner || !mint_key || !mint) continue;
    if ((*budget)-- <= 0) {
      return RpcError{-32005, "the mock's stand-in RPC looks through at most " + std::to_string(kMaxDerivationsPerRequest) +
                                  " token accounts per request to tell whose this is"};
    }
    if (AssociatedTokenAddress(*owner, *mint_key, mint->program).address != *target) continue;
    const uint64_t units = TokenBalance(ctx, *mint, owner_text);
    const int decimals = mint->asset->decimals;
    return std::optional<json::value>(json::object{{"amount", std::to_string(units)},
                                                   {"decimals", decimals},
                                                   {"uiAmount", static_cast<double>(units) / std::pow(10.0, decimals)},
                                                   {"uiAmountString", FormatUnits(Uint256(units), decimals)}});
  }
  return std::optional<json::value>();
}

// simulateTransaction: svm/simulation.h on the mock's chain, the balances from the ledger.
std::variant<json::object, RpcError> Simulate(const SolanaRpcContext& ctx, const Transaction& tx, bool replace_blockhash) {
  SimulationInput in;
  in.now = ctx.now;
  in.replace_blockhash = replace_blockhash;
  in.mint = [&](const PublicKey& mint) -> std::optional<MintFacts> {
    const auto found = FindMint(*ctx.networks, Base58Encode(mint));
    if (!found) return std::nullopt;
    return MintFacts{found->program, found->asset->decimals};
  };
  in.balance = [&](const PublicKey& owner, const PublicKey& mint) -> std::optional<uint64_t> {
    const auto found = FindMint(*ctx.networks, Base58Encode(mint));
    if (!found) return std::nullopt;
    return TokenBalance(ctx, *found, Base58Encode(owner));
  };
  SimulationOutcome outcome = SimulateTransaction(tx, SolanaChain::Get(), in);
  if (outcome.invalid_transaction) return RpcError{-32602, "invalid transaction: " + outcome.problem};
  json::array logs;
  if (!outcome.problem.empty()) logs.emplace_back(outcome.problem);
  json::object value{{"err", std::move(outcome.err)},
                     {"logs", std::move(logs)},
                     {"accounts", nullptr},
                     {"unitsConsumed", outcome.units_consumed},
                     {"returnData", nullptr}};
  if (replace_blockhash) {
    const SolanaChain::Blockhash latest = SolanaChain::Get().Latest(ctx.now);
    value["replacementBlockhash"] =
        json::object{{"blockhash", latest.text}, {"lastValidBlockHeight", latest.last_valid_block_height}};
  }
  return value;
}

json::object Call(const SolanaRpcContext& ctx, const json::value& request, int* budget) {
  const json::object* call = request.if_object();
  if (call == nullptr) return Error(nullptr, {-32600, "Invalid Request: a JSON-RPC 2.0 call is an object"});
  const json::value* id_field = call->if_contains("id");
  const json::value id = id_field != nullptr && (id_field->is_string() || id_field->is_number() || id_field->is_null())
                             ? *id_field
                             : json::value(nullptr);
  if (TextField(*call, "jsonrpc") != "2.0" || StringField(*call, "method") == nullptr) {
    return Error(id, {-32600, "Invalid Request: needs \"jsonrpc\": \"2.0\" and a method"});
  }
  const std::string_view method = TextField(*call, "method");
  static const json::array kNoParams;
  const json::value* params_field = call->if_contains("params");
  if (params_field != nullptr && !params_field->is_array() && !params_field->is_null()) {
    return Error(id, {-32602, "Invalid params: params is an array"});
  }
  const json::array& params = params_field != nullptr && params_field->is_array() ? params_field->get_array() : kNoParams;
  const SolanaChain& chain = SolanaChain::Get();

  if (method == "getAccountInfo") {
    const json::string* address = AddressParam(params);
    auto account = address ? Account(ctx, *address, EncodingOf(params, 1)) : std::nullopt;
    if (!account) return Error(id, {-32602, "Invalid param: Invalid"});
    return Result(id, WithContext(ctx.now, std::move(*account)));
  }
  if (method == "getMultipleAccounts") {
    const json::array* addresses = params.empty() ? nullptr : params[0].if_array();
    if (addresses == nullptr || addresses->size() > 100) return Error(id, {-32602, "Invalid params: up to 100 addresses"});
    json::array values;
    for (const json::value& a : *addresses) {
      auto account = a.is_string() ? Account(ctx, a.get_string(), EncodingOf(params, 1)) : std::nullopt;
      if (!account) return Error(id, {-32602, "Invalid param: Invalid"});
      values.push_back(std::move(*account));
    }
    return Result(id, WithContext(ctx.now, std::move(values)));
  }
  if (method == "getLatestBlockhash") {
    const SolanaChain::Blockhash latest = chain.Latest(ctx.now);
    return Result(id, WithContext(ctx.now, json::object{{"blockhash", latest.text},
                                                        {"lastValidBlockHeight", latest.last_valid_block_height}}));
  }
  if (method == "isBlockhashValid") {
    const json::string* hash = AddressParam(params);
    const auto bytes = hash ? Base58Decode32(*hash) : std::nullopt;
    if (!bytes) return Error(id, {-32602, "Invalid param: Invalid"});
    return Result(id, WithContext(ctx.now, chain.ExpiryOf(*bytes, ctx.now).has_value()));
  }
  if (method == "getSlot" || method == "getBlockHeight") return Result(id, SolanaChain::SlotAt(ctx.now));
  if (method == "getBalance") {
    const json::string* address = AddressParam(params);
    if (address == nullptr || !Base58Decode32(*address)) return Error(id, {-32602, "Invalid param: Invalid"});
    return Result(id, WithContext(ctx.now, kLamportsPerAccount));
  }
  if (method == "getTokenAccountBalance") {
    const json::string* address = AddressParam(params);
    if (address == nullptr || !Base58Decode32(*address)) return Error(id, {-32602, "Invalid param: Invalid"});
    auto balance = TokenAccountBalance(ctx, *address, budget);
    if (auto* error = std::get_if<RpcError>(&balance)) return Error(id, *error);
    auto& found = std::get<std::optional<json::value>>(balance);
    if (!found) return Error(id, {-32602, "Invalid param: could not find account"});
    return Result(id, WithContext(ctx.now, std::move(*found)));
  }
  if (method == "simulateTransaction") {
    const json::string* text = AddressParam(params);
    const std::string_view encoding = EncodingOf(params, 1);
    // A node refuses text longer than a packet's transaction could encode (1644 base64
    // characters, 1683 base58) before it decodes it.
    std::optional<std::string> wire;
    if (text != nullptr && encoding == "base64" && text->size() <= 1644) {
      wire = Base64Decode(*text);
    } else if (text != nullptr && encoding != "base64" && text->size() <= 1683) {
      if (auto bytes = Base58Decode(*text, kMaxWireTransactionBytes)) wire = std::string(bytes->begin(), bytes->end());
    }
    std::string problem = "not " + std::string(encoding) + " text of at most " +
                          std::to_string(kMaxWireTransactionBytes) + " bytes";
    const auto tx = wire ? ParseTransaction(BytesOf(*wire), &problem) : std::nullopt;
    if (!tx) return Error(id, {-32602, "invalid transaction: " + problem});
    bool replace = false;
    if (params.size() > 1 && params[1].is_object()) {
      const json::value* r = params[1].get_object().if_contains("replaceRecentBlockhash");
      replace = r != nullptr && r->is_bool() && r->get_bool();
    }
    auto simulated = Simulate(ctx, *tx, replace);
    if (auto* error = std::get_if<RpcError>(&simulated)) return Error(id, *error);
    return Result(id, WithContext(ctx.now, std::move(std::get<json::object>(simulated))));
  }
  return Error(id, {-32601, "Method not found: the mock's Solana RPC does not serve " +
                                std::string(method.substr(0, 64)) +
                                " (it serves getAccountInfo, getMultipleAccounts, getLatestBlockhash, "
                                "isBlockhashValid, getSlot, getBlockHeight, getBalance, getTokenAccountBalance, "
                                "simulateTransaction)"});
}

}  // namespace

std::string AnswerSolanaRpc(std::string_view body, const SolanaRpcContext& ctx) {
  if (body.size() > kMaxSolanaRpcBody) {
    return json::serialize(Error(nullptr, {-32600, "Invalid Request: the body is over " +
                                                       std::to_string(kMaxSolanaRpcBody / 1024) + " KiB"}));
  }
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 16;
  const json::value request = json::parse(body, ec, {}, options);
  if (ec) return json::serialize(Error(nullptr, {-32700, "Parse error: " + ec.message()}));
  if (const json::array* batch = request.if_array()) {
    if (batch->empty() || batch->size() > kMaxSolanaRpcBatch) {
      return json::serialize(Error(nullptr, {-32600, "Invalid Request: a batch holds 1 to " +
                                                         std::to_string(kMaxSolanaRpcBatch) + " calls"}));
    }
    int budget = kMaxDerivationsPerRequest;
    json::array answers;
    for (const json::value& call : *batch) answers.push_back(Call(ctx, call, &budget));
    return json::serialize(answers);
  }
  int budget = kMaxDerivationsPerRequest;
  return json::serialize(Call(ctx, request, &budget));
}

}  // namespace x402::svm
