// A Solana wire transaction, read as @solana/kit's getTransactionDecoder() and
// getCompiledTransactionMessageDecoder() read it (the decoders @x402/svm's facilitator uses):
// a compact-u16 count of 64-byte signatures, then the message: legacy, or versioned with a
// top bit and version 0 (the only one there is); a header (required signatures, read-only
// signed, read-only unsigned), the static account keys, the recent blockhash, the compiled
// instructions (program index, account indexes, data) and, for v0, address lookup tables.
//
// Hand-written: no packaged C++ library reads this format. Every length is checked against
// the bytes left before it is used, every index against the accounts it names, so a hostile
// transaction is refused with what is wrong (tests/fuzz/solana_transaction_fuzzer.cc).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "x402/svm/ed25519.h"

namespace x402::svm {

struct CompiledInstruction {
  uint8_t program_index = 0;
  std::vector<uint8_t> account_indexes;
  std::vector<uint8_t> data;
};

struct AddressTableLookup {
  PublicKey table{};
  std::vector<uint8_t> writable_indexes;
  std::vector<uint8_t> readonly_indexes;
};

struct Transaction {
  /// One per required signer, in the order of the first static accounts; all zeros: not signed.
  std::vector<Signature> signatures;
  /// What the signatures sign: every byte after the signatures.
  std::vector<uint8_t> message;
  bool legacy = false;  // else version 0
  uint8_t required_signatures = 0;
  uint8_t readonly_signed = 0;
  uint8_t readonly_unsigned = 0;
  std::vector<PublicKey> static_accounts;
  std::array<uint8_t, 32> recent_blockhash{};
  std::vector<CompiledInstruction> instructions;
  std::vector<AddressTableLookup> lookups;

  /// The number of accounts instructions may index: the static ones and those the lookup
  /// tables bring.
  std::size_t AccountCount() const;
  /// The key at |index| when it is a static account; nullptr for one a lookup table brings
  /// (which only the chain can resolve) or one out of range.
  const PublicKey* StaticAccount(std::size_t index) const {
    return index < static_accounts.size() ? &static_accounts[index] : nullptr;
  }
  /// Whether |signature| is all zeros (a signer that has not signed yet: @solana/kit decodes it
  /// as null).
  static bool IsUnsigned(const Signature& signature);

  /// The roles the header gives static account |index|: the first required_signatures sign
  /// (the last readonly_signed of them read-only), the rest do not (the last readonly_unsigned
  /// read-only).
  bool IsSigner(std::size_t index) const { return index < required_signatures; }
  bool IsWritable(std::size_t index) const;
};

/// The largest wire transaction Solana's runtime takes (a packet's 1280 bytes less IPv6 and
/// fragment headers); larger ones decode but no validator accepts them.
inline constexpr std::size_t kMaxWireTransactionBytes = 1232;

/// Reads |wire| as @solana/kit's decoders read it. On failure returns nullopt and says what is
/// wrong in |problem|. Refuses what kit refuses: bytes missing where a fixed-size field or an
/// array's items should be (a count missing at the very end reads as 0, as kit reads it), a
/// version other than legacy or 0, a count of signatures other than the header's signers, a
/// lookup list after a legacy message that does not read (kit reads one, then drops it).
/// Instruction indexes are not checked here: decompileTransactionMessage() and the chain do
/// that, later (SanitizeProblem()).
std::optional<Transaction> ParseTransaction(std::span<const uint8_t> wire, std::string* problem);

/// What Solana's runtime refuses before it runs a message (its sanitize step: no signer, a
/// read-only fee payer, a header counting more accounts than there are, a key listed twice, an
/// instruction whose program is the fee payer or out of range, an account index out of range),
/// in words; "" for a sane message.
std::string SanitizeProblem(const Transaction& tx);

}  // namespace x402::svm
