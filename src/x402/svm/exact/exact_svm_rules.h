// The checks of a Solana `exact` payment, in the order and with the reason names of
// @x402/svm 2.27's facilitators: ExactSvmScheme (v2, src/exact/facilitator/scheme.ts:
// _verify() then verifyStaticPath(); reasons in errors.ts) and ExactSvmSchemeV1 (v1,
// src/exact/v1/facilitator/scheme.ts verify()), which differ in a few reason names and in
// allowing 7 or 6 instructions. docs/server.md ("Solana exact") prints the table with its
// citations.
//
// Two halves, as the reference splits them: what the transaction itself says (CheckStatic),
// and what only the chain knows, found by the reference's simulateTransaction (the scheme runs
// svm/simulation.h's SimulateTransaction(), which the stand-in RPC runs too): the blockhash,
// the mint's token program and decimals, the owner's signature, the payer's token account.
// The balance and the replay set are the settle step's (settle_step.h), as for every scheme.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "x402/payment_verdict.h"
#include "x402/requirements.h"
#include "x402/svm/solana_chain.h"
#include "x402/svm/transaction.h"

namespace x402::svm {

/// The reason names of one version's facilitator.
struct ExactSvmReasons {
  std::string_view unsupported_scheme;
  std::string_view network_mismatch;
  std::string_view fee_payer_not_managed;
  std::string_view simulation_failed;
  int max_instructions;
};
const ExactSvmReasons& ExactSvmReasonsFor(int version);

/// How the simulated chain words refusals of a Solana payment (settle_step.h).
const ChainReasons& ExactSvmChainReasons(int version);

/// getTokenPayerFromTransaction() (@x402/svm src/utils.ts): the owner (4th account) of the
/// first token-program instruction with four accounts, base58; "" when there is none.
std::string TokenPayerOf(const Transaction& tx);

/// The parts of a TransferChecked the checks read.
struct TransferChecked {
  const PublicKey* program = nullptr;  // Token or Token-2022
  PublicKey source{}, mint{}, destination{}, authority{};
  uint64_t amount = 0;
  uint8_t decimals = 0;
};

/// What CheckStatic found in a transaction it accepted.
struct StaticFindings {
  TransferChecked transfer;
  std::string payer;  // base58 of the transfer's authority
};

struct StaticCheckInput {
  int version = 2;
  bool strict = true;            // shape: no signatures, no lookup tables refused
  std::string_view transaction;  // payload.transaction, base64
  const PaymentRequirements* option = nullptr;
  /// The destination the option expects (the payee's associated token account under the
  /// asset's program), when computed once for it; nullptr: derive it.
  const PublicKey* expected_destination = nullptr;
  const PublicKey* expected_destination_program = nullptr;
  const Keypair* fee_payer = nullptr;
};

/// Rows 1–19 of the table (docs/server.md, "Solana exact"): the fee payer of the requirements, the transaction decoded, its
/// signers' signatures, its instructions. On refusal returns the verdict (its payer set where
/// the reference names one); on success fills |*tx| and |*found|.
std::optional<PaymentVerdict> CheckStatic(const StaticCheckInput& in, Transaction* tx, StaticFindings* found);

}  // namespace x402::svm
