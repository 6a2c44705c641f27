#include "x402/svm/transaction.h"

#include <algorithm>

namespace x402::svm {
namespace {

// Reads the wire front to back; every read checks the bytes left first.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  std::size_t offset() const { return offset_; }
  std::size_t left() const { return bytes_.size() - offset_; }

  bool Byte(uint8_t* out) {
    if (left() < 1) return false;
    *out = bytes_[offset_++];
    return true;
  }

  // compact-u16 (Solana's short_vec): 7 bits per byte, least significant first, at most three
  // bytes; the third carries at most 2 bits. @solana/kit's getShortU16Decoder takes
  // non-canonical forms (a trailing zero byte); so does this.
  bool CompactU16(std::size_t* out) {
    std::size_t value = 0;
    for (int i = 0; i < 3; ++i) {
      uint8_t b = 0;
      if (!Byte(&b)) return false;
      const std::size_t bits = i < 2 ? (b & 0x7fu) : b;
      if (i == 2 && b > 0x03) return false;  // beyond 0xffff
      value |= bits << (7 * i);
      if ((b & 0x80u) == 0 || i == 2) {
        *out = value;
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
  // Each instruction takes at least 3 bytes: a count no message can hold is refused before any
  // memory is reserved for it.
  if (instructions * 3 > r.left()) {
    return Fail(problem, "the message says " + std::to_string(instructions) + " instructions but is too short for them");
  }
  tx->instructions.resize(instructions);
  for (std::size_t i = 0; i < instructions; ++i) {
    CompiledInstruction& ix = tx->instructions[i];
    if (!r.Byte(&ix.program_index) || !r.LengthPrefixed(&ix.account_indexes) || !r.LengthPrefixed(&ix.data)) {
      return Fail(problem, "instruction " + std::to_string(i + 1) + " is cut short (a length past the end)");
    }
  }
  if (!tx->legacy) {
    std::size_t lookups = 0;
    if (!r.CompactU16(&lookups)) return Fail(problem, "the address table lookups are cut short");
    if (lookups * 34 > r.left()) return Fail(problem, "the message says more address table lookups than it holds");
    tx->lookups.resize(lookups);
    for (AddressTableLookup& lookup : tx->lookups) {
      if (!r.Array(&lookup.table) || !r.LengthPrefixed(&lookup.writable_indexes) ||
          !r.LengthPrefixed(&lookup.readonly_indexes)) {
        return Fail(problem, "an address table lookup is cut short");
      }
    }
  }
  // Bytes after the message are part of what is signed and otherwise ignored, as @solana/kit's
  // decoders ignore them.
  return true;
}

}  // namespace

std::size_t Transaction::AccountCount() const {
  std::size_t n = static_accounts.size();
  for (const AddressTableLookup& lookup : lookups) n += lookup.writable_indexes.size() + lookup.readonly_indexes.size();
  return n;
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
