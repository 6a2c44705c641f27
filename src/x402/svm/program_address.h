// Program-derived addresses (Solana's find_program_address): the first bump seed from 255 down
// to 1 for which sha256(seeds ‖ bump ‖ program id ‖ "ProgramDerivedAddress") is off the ed25519
// curve. A payment's destination is the payee's associated token account: the PDA of the
// Associated Token Account program for seeds (owner, token program, mint).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "x402/svm/ed25519.h"

namespace x402::svm {

/// The Associated Token Account program (ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL).
extern const PublicKey kAssociatedTokenProgram;
/// The SPL Token program and Token-2022.
extern const PublicKey kTokenProgram;
extern const PublicKey kToken2022Program;
/// The programs a payment's other instructions run (@x402/svm src/constants.ts).
extern const PublicKey kComputeBudgetProgram;
extern const PublicKey kMemoProgram;
extern const PublicKey kLighthouseProgram;

/// "Token", "Token-2022", or the program's address: how messages name a token program.
std::string ProgramName(const PublicKey& program);

struct ProgramAddress {
  PublicKey address{};
  uint8_t bump = 0;
};

/// find_program_address(|seeds|, |program|); nullopt when no bump gives an off-curve address
/// (astronomically unlikely) or a seed is longer than 32 bytes, or there are more than 16.
std::optional<ProgramAddress> FindProgramAddress(std::span<const std::span<const uint8_t>> seeds,
                                                 const PublicKey& program);

/// The associated token account of |owner| for |mint| under |token_program|.
ProgramAddress AssociatedTokenAddress(const PublicKey& owner, const PublicKey& mint, const PublicKey& token_program);

/// The same, remembered per thread for the last few thousand (owner, mint, program): a payer
/// pays again and again, and a derivation costs a SHA-256 and a curve test per bump tried.
const PublicKey& CachedAssociatedTokenAddress(const PublicKey& owner, const PublicKey& mint,
                                              const PublicKey& token_program);

}  // namespace x402::svm
