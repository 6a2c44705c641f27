// Fuzzes what a Solana payment brings: the wire-transaction parser (svm/transaction.h), the
// exact scheme's checks on whatever parses (svm/exact/exact_svm_rules.h), and the stand-in RPC
// (svm/solana_rpc.h) both on the bytes as a request body and on them as a transaction to
// simulate. Seeds: real client transactions (tests/e2e/make_fuzz_corpus.mjs). Any input must end
// in an answer, never a crash, a hang or a sanitizer report; a transaction the parser accepts
// is internally consistent.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "base/base64.h"
#include "x402/payment.h"
#include "x402/paywall.h"
#include "x402/svm/solana_chain.h"
#include "x402/svm/solana_rpc.h"
#include "x402/svm/transaction.h"

namespace {

constexpr int64_t kNow = 1'800'000'000;

// The corpus's fee payer: the seed 0x11 repeated (make_fuzz_corpus.mjs writes its keypair).
bool InstallFeePayer() {
  std::array<uint8_t, 32> seed;
  seed.fill(0x11);
  x402::svm::SolanaChain::Install(x402::svm::Keypair::FromSeed(seed));
  return true;
}

x402::PaywallConfig SolanaConfig() {
  x402::PaywallConfig config;
  x402::OptionSpec usdc;
  usdc.network = "solana-devnet";
  config.accepts.push_back(usdc);
  x402::OptionSpec usdg;
  usdg.network = "solana-devnet";
  usdg.asset = "4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7";
  config.accepts.push_back(usdg);
  config.ledger.starting_balance = x402::AtomicAmount{x402::Uint256(1'000'000)};
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool installed = InstallFeePayer();
  (void)installed;
  static const x402::Paywall paywall{SolanaConfig()};
  static const std::vector<x402::PaymentRequirements> options =
      paywall.RequirementsFor("/r", "http://127.0.0.1:3402/r", kNow);
  static x402::SettlementState state;

  std::string problem;
  const auto tx = x402::svm::ParseTransaction({data, size}, &problem);
  if (tx) {
    // What the parser accepted holds together: one signature per signer, the message inside
    // the input, at most 0xffff of anything.
    if (tx->signatures.size() != std::min<std::size_t>(tx->required_signatures, tx->static_accounts.size())) __builtin_trap();
    if (tx->message.size() > size) __builtin_trap();
  } else if (problem.empty()) {
    __builtin_trap();  // a refusal always says why
  }

  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::string base64 = x402::Base64Encode(bytes);
  for (int version : {1, 2}) {
    for (const x402::PaymentRequirements& option : options) {
      boost::json::object payment;
      if (version == 1) {
        payment = {{"x402Version", 1}, {"scheme", "exact"}, {"network", option.network}};
      } else {
        payment = {{"x402Version", 2}, {"accepted", x402::RequirementsObjectV2(option)}};
      }
      payment["payload"] = boost::json::object{{"transaction", base64}};
      x402::PaymentCheck check;
      check.now = kNow;
      x402::PaymentVerdict v = x402::VerifyPaymentPayload(payment, version, x402::OneOption(option), check);
      if (!v.valid && v.reason.empty()) __builtin_trap();
      // Valid needs a parsed transaction whose payer signed it: fuzzed bytes cannot forge one.
      if (v.valid && (!tx || v.payer.empty())) __builtin_trap();
      if (v.valid) x402::Settle(state, paywall.config(), kNow, &v);
    }
  }

  const x402::NetworkTable& networks = paywall.networks();
  const x402::svm::SolanaRpcContext ctx{&networks, &paywall.config(), &state, kNow};
  (void)x402::svm::AnswerSolanaRpc(bytes, ctx);
  const std::string simulate = R"({"jsonrpc":"2.0","id":1,"method":"simulateTransaction","params":[")" + base64 +
                               R"(",{"encoding":"base64"}]})";
  const std::string answer = x402::svm::AnswerSolanaRpc(simulate, ctx);
  if (answer.find("\"jsonrpc\":\"2.0\"") == std::string::npos) __builtin_trap();
  return 0;
}
