// Fuzzes the payment-header path: base64 → JSON → x402 validation → the EIP-712 signature
// check (digest, secp256k1 recovery), both versions. Any input must end in a verdict (valid or
// a reason), never a crash, hang or sanitizer report.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/base64.h"
#include "x402/payment.h"
#include "x402/networks.h"
#include "x402/paywall.h"
#include "x402/evm/signer_recovery.h"
#include "x402/svm/solana_chain.h"

namespace {

constexpr int64_t kNow = 1'800'000'000;

std::string Hex(const uint8_t* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0x0f];
  }
  return out;
}

void CheckVerdict(const x402::PaymentVerdict& v) {
  if (!v.valid && v.reason.empty()) __builtin_trap();  // a rejection always names its reason
  // A checked ECDSA signature either matched (valid or refused later for a field) or names
  // the address it recovered; an unmatched one is never valid.
  if (v.valid && v.Detail("signature") == "ecdsa" && v.Detail("recovered").empty()) __builtin_trap();
}

}  // namespace

// The offer of tests/e2e/make_fuzz_corpus.mjs (whose payments seed the corpus): five options,
// one on a declared chain with an 18-decimal token, so a payment is matched among several.
x402::PaywallConfig MultiOptionConfig() {
  x402::PaywallConfig config;
  for (const char* network : {"base-sepolia", "eip155:137", "eip155:42161"}) {
    x402::OptionSpec spec;
    spec.network = network;
    config.accepts.push_back(spec);
  }
  x402::OptionSpec celo_usdt;
  celo_usdt.network = "eip155:42220";
  celo_usdt.asset = "0x48065fbBE25f71C9282ddf5e1cD6D6A887483D5e";
  config.accepts.push_back(celo_usdt);
  x402::AssetInfo token;
  token.address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  token.symbol = "mUSD";
  token.decimals = 18;
  token.domain_name = "Mock USD";
  token.domain_version = "1";
  x402::OptionSpec local;
  local.network = "eip155:31337";
  local.asset = token.address;
  local.declared_asset = token;
  config.accepts.push_back(local);
  std::string problem;
  x402::NetworkInfo chain = *x402::DeclaredNetwork("eip155:31337", &problem);
  chain.assets.push_back(token);
  config.declared_networks.push_back(chain);
  // Issue 27: Permit2 (forced on USDC, and MegaUSD's default) and upto.
  x402::OptionSpec permit2_usdc;
  permit2_usdc.network = "base";
  permit2_usdc.asset_transfer_method = "permit2";
  config.accepts.push_back(permit2_usdc);
  x402::OptionSpec megausd;
  megausd.network = "eip155:4326";
  config.accepts.push_back(megausd);
  x402::OptionSpec upto;
  upto.scheme = "upto";
  upto.network = "base-sepolia";
  config.accepts.push_back(upto);
  // Issue 28: Solana exact, Token and Token-2022.
  x402::OptionSpec solana_usdc;
  solana_usdc.network = "solana-devnet";
  config.accepts.push_back(solana_usdc);
  x402::OptionSpec solana_usdg;
  solana_usdg.network = "solana-devnet";
  solana_usdg.asset = "4F6PM96JJxngmHnZLBh9n58RH4aTVNWvDs2nuwrT5BP7";
  config.accepts.push_back(solana_usdg);
  return config;
}

// The corpus's Solana fee payer: the seed 0x11 repeated (make_fuzz_corpus.mjs).
bool InstallSolanaFeePayer() {
  std::array<uint8_t, 32> seed;
  seed.fill(0x11);
  x402::svm::SolanaChain::Install(x402::svm::Keypair::FromSeed(seed));
  return true;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool installed = InstallSolanaFeePayer();
  (void)installed;
  static const x402::Paywall paywall{x402::PaywallConfig{}};
  static const x402::PaymentRequirements offer =
      paywall.RequirementsFor("/api/data", "http://127.0.0.1:3402/api/data").front();
  static const x402::Paywall multi{MultiOptionConfig()};
  static const std::vector<x402::PaymentRequirements> options =
      multi.RequirementsFor("/api/data", "http://127.0.0.1:3402/api/data");
  const std::string_view header(reinterpret_cast<const char*>(data), size);
  for (int version : {1, 2}) {
    CheckVerdict(x402::VerifyPaymentHeader(header, version, offer, kNow));
    for (x402::Verification verification : {x402::Verification::kStrict, x402::Verification::kShape}) {
      x402::PaymentCheck check;
      check.now = kNow;
      check.verification = verification;
      const x402::PaymentVerdict v = x402::VerifyPaymentHeader(header, version, options, check);
      CheckVerdict(v);
      // A payment that passes names an option of the offer, never one it was not given.
      if (v.valid && (v.option < options.data() || v.option >= options.data() + options.size())) __builtin_trap();
      // One that passes as a facilitator's settle (upto: the requirements carry the charge).
      check.as_facilitator = true;
      check.settling = true;
      for (const x402::PaymentRequirements& option : options) {
        CheckVerdict(x402::VerifyPaymentHeader(header, version, x402::OneOption(option), check));
      }
    }
  }

  // Recovery itself on arbitrary bytes: a 32-byte digest and a 65-byte signature (any r, s, v).
  if (size >= 32 + 65) {
    x402::Hash32 digest;
    x402::EcdsaSignature signature;
    std::copy(data, data + 32, digest.begin());
    std::copy(data + 32, data + 97, signature.begin());
    if (auto signer = x402::RecoverSigner(digest, signature)) {
      if (x402::ChecksumAddress(*signer).size() != 42) __builtin_trap();
    }
  }

  // A well-formed v1 payment carrying the input as its signature (65 bytes: recovered; longer:
  // a smart wallet's), so the header path reaches recovery rather than stopping at the JSON.
  if (size >= 65) {
    const size_t signature_size = (data[0] & 1) ? 65 : size;
    const std::string payment =
        R"({"x402Version":1,"scheme":"exact","network":"base-sepolia","payload":{"signature":")" +
        Hex(data, signature_size) +
        R"(","authorization":{"from":"0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf","to":")" +
        offer.pay_to + R"(","value":"50000","validAfter":"0","validBefore":"1800000300","nonce":")" +
        Hex(data + size - 32, 32) + R"("}}})";
    const x402::PaymentVerdict v = x402::VerifyPaymentHeader(x402::Base64Encode(payment), 1, offer, kNow);
    CheckVerdict(v);
    // Random bytes never forge key 1's signature: a 65-byte one must be refused.
    if (signature_size == 65 && v.valid) __builtin_trap();
  }
  return 0;
}
