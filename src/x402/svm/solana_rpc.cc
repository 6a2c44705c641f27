#include "x402/svm/solana_rpc.h"

#include <boost/json.hpp>

#include "base/base64.h"
#include "x402/hash32.h"
#include "x402/json_fields.h"
#include "x402/money.h"
#include "x402/svm/base58.h"
#include "x402/svm/program_address.h"
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
// Compute units the simulation reports: what a validator charges these instructions, roughly.
constexpr uint64_t kComputeBudgetUnits = 150, kTransferUnits = 6'200, kTransfer2022Units = 8'000, kOtherUnits = 1'000;
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

// getTokenAccountBalance: whose associated token account |address| is, among the payers the
// ledger knows and those the config names (bounded: each candidate costs a derivation).
std::optional<json::value> TokenAccountBalance(const SolanaRpcContext& ctx, std::string_view address) {
  const auto target = Base58Decode32(address);
  if (!target) return std::nullopt;
  std::vector<std::pair<std::string, const NetworkInfo*>> owners;
  if (ctx.settlement != nullptr) {
    for (const auto& [payer, id] : ctx.settlement->ledger.AccountsOf("solana:", 256)) owners.emplace_back(payer, nullptr);
  }
  if (ctx.config != nullptr) {
    for (const auto& [payer, balance] : ctx.config->ledger.balances) {
      if (owners.size() >= 512) break;
      if (Base58Decode32(payer)) owners.emplace_back(payer, nullptr);
    }
  }
  for (const auto& [owner_text, unused] : owners) {
    const auto owner = Base58Decode32(owner_text);
    if (!owner) continue;
    for (const NetworkInfo& network : ctx.networks->all()) {
      if (network.family != "solana") continue;
      for (const AssetInfo& asset : network.assets) {
        const auto mint = FindMint(*ctx.networks, asset.address);
        if (!mint || AssociatedTokenAddress(*owner, *Base58Decode32(asset.address), mint->program).address != *target) {
          continue;
        }
        const uint64_t units = TokenBalance(ctx, *mint, owner_text);
        return json::object{{"amount", std::to_string(units)},
                            {"decimals", asset.decimals},
                            {"uiAmount", static_cast<double>(units) / 1e6},
                            {"uiAmountString", FormatUnits(Uint256(units), asset.decimals)}};
      }
    }
  }
  return std::nullopt;
}

// simulateTransaction: what the chain would say of |tx|: its blockhash (unless replaced), then
// each TransferChecked as the token program runs it.
json::object Simulate(const SolanaRpcContext& ctx, const Transaction& tx, bool replace_blockhash) {
  json::value err = nullptr;
  json::array logs;
  uint64_t units = 0;
  if (!replace_blockhash && !SolanaChain::Get().ExpiryOf(tx.recent_blockhash, ctx.now)) err = "BlockhashNotFound";
  for (std::size_t i = 0; i < tx.instructions.size() && err.is_null(); ++i) {
    const CompiledInstruction& ix = tx.instructions[i];
    const PublicKey* program = tx.StaticAccount(ix.program_index);
    const bool token = program != nullptr && (*program == kTokenProgram || *program == kToken2022Program);
    if (!token || ix.data.size() < 10 || ix.data[0] != 12 || ix.account_indexes.size() < 4) {
      units += ix.data.size() >= 1 && program != nullptr && Base58Encode(*program) == "ComputeBudget111111111111111111111111111111"
                   ? kComputeBudgetUnits
                   : kOtherUnits;
      continue;
    }
    units += *program == kTokenProgram ? kTransferUnits : kTransfer2022Units;
    auto fail = [&](json::value why, std::string log) {
      err = json::object{{"InstructionError", json::array{i, std::move(why)}}};
      logs.emplace_back("Program " + Base58Encode(*program) + " failed: " + log);
    };
    const PublicKey* source = tx.StaticAccount(ix.account_indexes[0]);
    const PublicKey* mint_key = tx.StaticAccount(ix.account_indexes[1]);
    const PublicKey* authority = tx.StaticAccount(ix.account_indexes[3]);
    if (source == nullptr || mint_key == nullptr || authority == nullptr) {
      fail("InvalidAccountData", "an account comes from a lookup table, which the mock's chain does not have");
      continue;
    }
    const auto mint = FindMint(*ctx.networks, Base58Encode(*mint_key));
    if (!mint) {
      fail("InvalidAccountData", "mint " + Base58Encode(*mint_key) + " does not exist on the mock's chain");
    } else if (mint->program != *program) {
      fail("IncorrectProgramId", "the mint belongs to " + Base58Encode(mint->program));
    } else if (ix.data[9] != mint->asset->decimals) {
      fail(json::object{{"Custom", 18}}, "custom program error: 0x12 (MintDecimalsMismatch)");
    } else if (AssociatedTokenAddress(*authority, *mint_key, *program).address != *source) {
      fail("InvalidAccountData", "the source is not the owner's associated token account");
    } else {
      uint64_t amount = 0;
      for (int b = 7; b >= 0; --b) amount = (amount << 8) | ix.data[1 + static_cast<std::size_t>(b)];
      if (TokenBalance(ctx, *mint, Base58Encode(*authority)) < amount) {
        fail(json::object{{"Custom", 1}}, "custom program error: 0x1 (insufficient funds)");
      }
    }
  }
  json::object value{{"err", std::move(err)},      {"logs", std::move(logs)},    {"accounts", nullptr},
                     {"unitsConsumed", units},     {"returnData", nullptr}};
  if (replace_blockhash) {
    const SolanaChain::Blockhash latest = SolanaChain::Get().Latest(ctx.now);
    value["replacementBlockhash"] =
        json::object{{"blockhash", latest.text}, {"lastValidBlockHeight", latest.last_valid_block_height}};
  }
  return value;
}

json::object Call(const SolanaRpcContext& ctx, const json::value& request) {
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
    auto balance = TokenAccountBalance(ctx, *address);
    if (!balance) return Error(id, {-32602, "Invalid param: could not find account"});
    return Result(id, WithContext(ctx.now, std::move(*balance)));
  }
  if (method == "simulateTransaction") {
    const json::string* text = AddressParam(params);
    const std::string_view encoding = EncodingOf(params, 1);
    std::optional<std::string> wire;
    if (text != nullptr && encoding == "base64") {
      wire = Base64Decode(*text);
    } else if (text != nullptr) {
      if (auto bytes = Base58Decode(*text, 2 * kMaxWireTransactionBytes)) wire = std::string(bytes->begin(), bytes->end());
    }
    std::string problem = "not " + std::string(encoding) + " text";
    const auto tx = wire ? ParseTransaction(BytesOf(*wire), &problem) : std::nullopt;
    if (!tx) return Error(id, {-32602, "invalid transaction: " + problem});
    bool replace = false;
    if (params.size() > 1 && params[1].is_object()) {
      const json::value* r = params[1].get_object().if_contains("replaceRecentBlockhash");
      replace = r != nullptr && r->is_bool() && r->get_bool();
    }
    return Result(id, WithContext(ctx.now, Simulate(ctx, *tx, replace)));
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
    json::array answers;
    for (const json::value& call : *batch) answers.push_back(Call(ctx, call));
    return json::serialize(answers);
  }
  return json::serialize(Call(ctx, request));
}

}  // namespace x402::svm
