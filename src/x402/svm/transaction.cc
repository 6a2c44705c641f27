#include "x402/svm/transaction.h"

#include <algorithm>

namespace x402::svm {
namespace {

// Reads the wire front to back; every read checks the bytes left first.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  std::size_t offset() const { return offset_; }
  std::size_t left() const { return offset_ >= bytes_.size() ? 0 : bytes_.size() - offset_; }

  bool Byte(uint8_t* out) {
    if (left() < 1) return false;
    *out = bytes_[offset_++];
    return true;
  }

  // compact-u16 (Solana's short_vec) as @solana/kit's getShortU16Decoder reads it: 7 bits per
  // byte, least significant first, until a byte without the top bit. A byte past the end reads
  // as 0 there (JavaScript's undefined), so a count missing at the very end is 0 (a v0 message
  // without its lookup-table count, an instruction cut after its program index) and the offset
  // moves past the end. Non-canonical forms (trailing zero bytes) are taken, as kit takes them;
  // a value above 0xffff is refused (no array that long fits in a transaction).
  bool CompactU16(std::size_t* out) {
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) {
      const uint8_t b = offset_ < bytes_.size() ? bytes_[offset_] : 0;
      ++offset_;
      value |= static_cast<uint64_t>(b & 0x7fu) << (7 * i);
      if ((b & 0x80u) == 0) {
        if (value > 0xffff) return false;
        *out = static_cast<std::size_t>(value);
        return true;
      }
    }
    return false;
  }

  template <std::size_t N>
  bool Array(std::array<uint8_t, N>* out) {
    if (left() < N) return false;
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(offset_), N, out->begin());
    offset_ += N;
    return true;
  }

  bool Bytes(std::size_t n, std::vector<uint8_t>* out) {
    if (left() < n) return false;
    out->assign(bytes_.begin() + static_cast<std::ptrdiff_t>(offset_),
                bytes_.begin() + static_cast<std::ptrdiff_t>(offset_ + n));
    offset_ += n;
    return true;
  }

  // A compact-u16 length, then that many bytes.
  bool LengthPrefixed(std::vector<uint8_t>* out) {
    std::size_t n = 0;
    return CompactU16(&n) && Bytes(n, out);
  }

 private:
  std::span<const uint8_t> bytes_;
  std::size_t offset_ = 0;
};

bool Fail(std::string* problem, std::string what) {
  *problem = std::move(what);
  return false;
}

bool ReadMessage(Reader& r, Transaction* tx, std::string* problem) {
  uint8_t first = 0;
  if (!r.Byte(&first)) return Fail(problem, "the message is empty");
  if ((first & 0x80u) != 0) {
    const int version = first & 0x7f;
    if (version != 0) {
      return Fail(problem, "transaction version " + std::to_string(version) + " is not one Solana has (legacy or 0)");
    }
    tx->legacy = false;
    if (!r.Byte(&tx->required_signatures)) return Fail(problem, "the message header is cut short");
  } else {
    tx->legacy = true;
    tx->required_signatures = first;
  }
  if (!r.Byte(&tx->readonly_signed) || !r.Byte(&tx->readonly_unsigned)) {
    return Fail(problem, "the message header is cut short");
  }
  std::size_t accounts = 0;
  if (!r.CompactU16(&accounts)) return Fail(problem, "the account count is cut short or out of range");
  if (accounts * 32 > r.left()) {
    return Fail(problem, "the message says " + std::to_string(accounts) + " accounts but has room for " +
                             std::to_string(r.left() / 32));
  }
  tx->static_accounts.resize(accounts);
  for (PublicKey& key : tx->static_accounts) r.Array(&key);
  if (!r.Array(&tx->recent_blockhash)) return Fail(problem, "the recent blockhash is cut short");
  std::size_t instructions = 0;
  if (!r.CompactU16(&instructions)) return Fail(problem, "the instruction count is cut short or out of range");
  // Each instruction takes at least its program index (kit reads missing lengths at the end as
  // 0): a count no message can hold is refused before any memory is reserved for it.
  if (instructions * 1 > r.left()) {
    return Fail(problem, "the message says " + std::to_string(instructions) + " instructions but is too short for them");
  }
  tx->instructions.resize(instructions);
  for (std::size_t i = 0; i < instructions; ++i) {
    CompiledInstruction& ix = tx->instructions[i];
    if (!r.Byte(&ix.program_index) || !r.LengthPrefixed(&ix.account_indexes) || !r.LengthPrefixed(&ix.data)) {
      return Fail(problem, "instruction " + std::to_string(i + 1) + " is cut short (a length past the end)");
    }
  }
  // The address-table lookups. getCompiledTransactionMessageDecoder() reads them after the
  // instructions of every message, legacy included (where it then drops them): bytes after a
  // legacy message's instructions must read as a lookup list too.
  std::size_t lookups = 0;
  if (!r.CompactU16(&lookups)) return Fail(problem, "the address table lookup count is out of range");
  if (lookups * 34 > r.left()) return Fail(problem, "the message says more address table lookups than it holds");
  tx->lookups.resize(lookups);
  for (AddressTableLookup& lookup : tx->lookups) {
    if (!r.Array(&lookup.table) || !r.LengthPrefixed(&lookup.writable_indexes) ||
        !r.LengthPrefixed(&lookup.readonly_indexes)) {
      return Fail(problem, "an address table lookup is cut short");
    }
  }
  if (tx->legacy) tx->lookups.clear();
  // Bytes after that are part of what is signed and otherwise ignored, as kit ignores them.
  return true;
}

}  // namespace

std::size_t Transaction::AccountCount() const {
  std::size_t n = static_accounts.size();
  for (const AddressTableLookup& lookup : lookups) n += lookup.writable_indexes.size() + lookup.readonly_indexes.size();
  return n;
}

bool Transaction::IsWritable(std::size_t index) const {
  if (index >= static_accounts.size()) return false;
  if (index < required_signatures) return index + readonly_signed < required_signatures;
  return index + readonly_unsigned < static_accounts.size();
}

std::string SanitizeProblem(const Transaction& tx) {
  const std::size_t n = tx.static_accounts.size();
  if (tx.required_signatures == 0) return "SanitizeFailure: no signer (the fee payer must sign)";
  if (tx.readonly_signed >= tx.required_signatures) return "SanitizeFailure: the fee payer is read-only";
  if (static_cast<std::size_t>(tx.required_signatures) + tx.readonly_unsigned > n) {
    return "SanitizeFailure: the header counts more accounts than the message lists";
  }
  std::vector<PublicKey> keys = tx.static_accounts;
  std::sort(keys.begin(), keys.end());
  if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) {
    return "AccountLoadedTwice: the message lists an account twice";
  }
  const std::size_t count = tx.AccountCount();
  for (std::size_t i = 0; i < tx.instructions.size(); ++i) {
    const CompiledInstruction& ix = tx.instructions[i];
    if (ix.program_index == 0 || ix.program_index >= count) {
      return "SanitizeFailure: instruction " + std::to_string(i + 1) + "'s program is " +
             (ix.program_index == 0 ? std::string("the fee payer") : "account " + std::to_string(ix.program_index) +
                                                                           " of " + std::to_string(count));
    }
    for (uint8_t a : ix.account_indexes) {
      if (a >= count) {
        return "SanitizeFailure: instruction " + std::to_string(i + 1) + " names account " + std::to_string(a) +
               " of " + std::to_string(count);
      }
    }
  }
  return {};
}

bool Transaction::IsUnsigned(const Signature& signature) {
  return std::all_of(signature.begin(), signature.end(), [](uint8_t b) { return b == 0; });
}

std::optional<Transaction> ParseTransaction(std::span<const uint8_t> wire, std::string* problem) {
  Reader r(wire);
  Transaction tx;
  std::size_t count = 0;
  if (!r.CompactU16(&count)) return Fail(problem, "the signature count is cut short or out of range"), std::nullopt;
  if (count * 64 > r.left()) {
    Fail(problem, "the transaction says " + std::to_string(count) + " signatures but has room for " +
                      std::to_string(r.left() / 64));
    return std::nullopt;
  }
  tx.signatures.resize(count);
  for (Signature& signature : tx.signatures) r.Array(&signature);
  const std::size_t message_start = r.offset();
  if (!ReadMessage(r, &tx, problem)) return std::nullopt;
  tx.message.assign(wire.begin() + static_cast<std::ptrdiff_t>(message_start), wire.end());
  // getTransactionDecoder(): the signers are the first required_signatures static accounts,
  // and there must be one signature each.
  const std::size_t signers = std::min<std::size_t>(tx.required_signatures, tx.static_accounts.size());
  if (signers != tx.signatures.size()) {
    Fail(problem, "the transaction carries " + std::to_string(tx.signatures.size()) + " signatures for " +
                      std::to_string(signers) + " required signers");
    return std::nullopt;
  }
  return tx;
}

}  // namespace x402::svm
