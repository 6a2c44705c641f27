// A stand-in for a Solana cluster's JSON-RPC 2.0 endpoint (POST /__x402/solana-rpc), answering
// what the real x402 clients ask before they sign, from the mock's own chain
// (solana_chain.h), network table and ledger, so that they pay offline:
//   getAccountInfo / getMultipleAccounts — the mints of the network table (owner: their token
//     program; data: the 82-byte SPL Mint layout, base64); any other account: null
//   getLatestBlockhash, getSlot, getBlockHeight — the mock's chain
//   getBalance — every account holds 1 SOL; getTokenAccountBalance — a payer's associated
//     token account, from the ledger
//   simulateTransaction — unitsConsumed, and the err the facilitator's checks would meet
// Other methods answer -32601 naming the method; a body that is not JSON -32700; one that is
// not a JSON-RPC 2.0 request -32600.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "x402/networks.h"
#include "x402/paywall_config.h"
#include "x402/settle_step.h"

namespace x402::svm {

/// The largest request body the stand-in reads (a transaction is at most 1232 bytes; a batch
/// of a few is far below this); larger ones get -32600 without being parsed.
inline constexpr std::size_t kMaxSolanaRpcBody = 64 * 1024;
/// At most this many calls in one batch.
inline constexpr std::size_t kMaxSolanaRpcBatch = 64;

struct SolanaRpcContext {
  const NetworkTable* networks = nullptr;
  const PaywallConfig* config = nullptr;        // the ledger's configuration
  const SettlementState* settlement = nullptr;  // the ledger; may be null
  int64_t now = 0;
};

/// The JSON answer to one request body (a call or a batch of calls).
std::string AnswerSolanaRpc(std::string_view body, const SolanaRpcContext& ctx);

}  // namespace x402::svm
