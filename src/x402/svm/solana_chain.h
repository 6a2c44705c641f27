// The mock's stand-in for a Solana cluster, what a real facilitator learns from one: its own
// fee-payer key (the facilitator co-signs every payment as fee payer, and the payer's
// transaction must name it), and the recent blockhashes it issued (a transaction's lifetime:
// the cluster refuses one whose blockhash it does not know or that expired).
//
// One per server process. The host installs it at startup with the instance's fee-payer key
// (kept in its state directory, or given in the config); until then, and in unit tests, it is
// a random key. Blockhashes derive from the fee-payer key and the time, so they are checked
// without being stored, and an instance restarted with the same key still knows the ones it
// issued before.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "x402/svm/ed25519.h"

namespace x402::svm {

/// An ed25519 keypair as Solana's tools keep one: the 32-byte seed (the secret) and the public
/// key, its address.
class Keypair {
 public:
  /// A new random keypair (the operating system's random source).
  static Keypair Generate();
  static Keypair FromSeed(const std::array<uint8_t, 32>& seed);
  /// A secret key as Solana's tools write it: solana-keygen's JSON array of 64 numbers (seed
  /// then public key), or the base58 text of those 64 bytes (what wallets export). nullopt,
  /// with |problem|, for anything else or a public key that does not belong to the seed.
  static std::optional<Keypair> Parse(std::string_view text, std::string* problem);

  const PublicKey& public_key() const { return public_key_; }
  /// The public key in base58: the account's address.
  const std::string& address() const { return address_; }
  Signature Sign(std::span<const uint8_t> message) const;
  /// solana-keygen's format: [seed bytes…, public key bytes…] as a JSON array of numbers.
  std::string ToKeygenJson() const;

 private:
  friend class SolanaChain;  // its blockhashes derive from the seed
  std::array<uint8_t, 32> seed_{};
  PublicKey public_key_{};
  std::string address_;
};

class SolanaChain {
 public:
  /// A blockhash is issued per period and stays valid through the next two: by default 40 to
  /// 60 s, as a cluster's 150 blocks of ~0.4 s last about a minute.
  static constexpr int64_t kDefaultBlockhashLifetime = 60;
  static constexpr int64_t kMinBlockhashLifetime = 3;
  static constexpr int64_t kMaxBlockhashLifetime = 86'400;
  static constexpr int64_t kBlockhashPeriodsValid = 3;

  /// |blockhash_lifetime| (seconds, kMin… to kMax…): the longest a blockhash stays valid.
  explicit SolanaChain(Keypair fee_payer, int64_t blockhash_lifetime = kDefaultBlockhashLifetime);

  /// The process's chain: the installed one, else one with a random fee payer.
  static const SolanaChain& Get();
  /// Makes |chain| the process's (the host, before the server threads start; tests). The one
  /// it replaces stays alive (references to it stay valid).
  static void Install(Keypair fee_payer, int64_t blockhash_lifetime = kDefaultBlockhashLifetime);

  const Keypair& fee_payer() const { return fee_payer_; }
  /// How long one blockhash is issued for (its lifetime is this times kBlockhashPeriodsValid).
  int64_t blockhash_period() const { return period_; }
  int64_t blockhash_lifetime() const { return period_ * kBlockhashPeriodsValid; }

  struct Blockhash {
    std::array<uint8_t, 32> hash{};
    std::string text;                     // base58
    uint64_t last_valid_block_height = 0;
    int64_t expires = 0;                  // Unix seconds: the end of its last valid period
  };
  /// The blockhash the chain issues at |now|.
  Blockhash Latest(int64_t now) const;
  /// When |hash| expires, if the chain issued it and it has not expired at |now|.
  std::optional<int64_t> ExpiryOf(const std::array<uint8_t, 32>& hash, int64_t now) const;
  /// The slot (and block height) at |now|: one per 0.4 s of Unix time.
  static uint64_t SlotAt(int64_t now);

 private:
  std::array<uint8_t, 32> HashOfPeriod(int64_t period) const;

  Keypair fee_payer_;
  int64_t period_;
  std::array<uint8_t, 32> secret_{};
};

}  // namespace x402::svm
