// Solana payments for tests, built as @x402/svm 2.27's ExactSvmScheme client builds them
// (src/exact/client/scheme.ts): a v0 message whose fee payer is extra.feePayer, with
// SetComputeUnitLimit(20000), SetComputeUnitPrice(1), TransferChecked from the payer's
// associated token account to payTo's, and a Memo; signed by the payer, the fee payer's slot
// left empty. The parts are exposed so a test can build the transaction a hostile or broken
// client would send. The real clients' own transactions are pinned by the e2e tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "x402/requirements.h"
#include "x402/svm/solana_chain.h"
#include "x402/svm/transaction.h"

namespace x402::testing {

/// The parts of a payment transaction, before it is compiled (ed25519 public keys).
struct SvmPaymentParts {
  svm::PublicKey fee_payer{};
  svm::PublicKey payer{};
  svm::PublicKey mint{};
  svm::PublicKey token_program{};
  svm::PublicKey source{};       // the payer's associated token account
  svm::PublicKey destination{};  // payTo's
  uint64_t amount = 0;
  uint8_t decimals = 6;
  uint32_t compute_units = 20'000;
  uint64_t micro_lamports = 1;
  std::string memo;
  std::array<uint8_t, 32> blockhash{};
  /// Instructions appended after the memo: (program, data).
  std::vector<std::pair<svm::PublicKey, std::vector<uint8_t>>> extra_instructions;
  bool legacy = false;
};

/// The parts of a correct payment of |option| by |payer| at |now| (the chain's blockhash then),
/// its memo unique per |serial|.
SvmPaymentParts SvmPaymentFor(const PaymentRequirements& option, const svm::Keypair& payer, int serial, int64_t now);

/// The wire transaction of |parts|, signed by |payer| (the fee payer's slot empty).
std::vector<uint8_t> BuildSvmTransaction(const SvmPaymentParts& parts, const svm::Keypair& payer);

/// {"transaction": base64 of |wire|}.
boost::json::object SvmPayload(const std::vector<uint8_t>& wire);

/// A fixed test keypair, from the seed n repeated.
svm::Keypair SvmTestKey(uint8_t n);

}  // namespace x402::testing
