#include "x402/svm/solana_chain.h"

#include <algorithm>
#include <atomic>
#include <cstdio>

#include <boost/json.hpp>
#include <cryptopp/donna.h>
#include <cryptopp/osrng.h>

#include "x402/sha256.h"
#include "x402/svm/base58.h"

namespace x402::svm {
namespace {

std::array<uint8_t, 32> RandomBytes32() {
  std::array<uint8_t, 32> bytes{};
  CryptoPP::OS_GenerateRandomBlock(/*blocking=*/false, bytes.data(), bytes.size());
  return bytes;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

Keypair Keypair::Generate() { return FromSeed(RandomBytes32()); }

Keypair Keypair::FromSeed(const std::array<uint8_t, 32>& seed) {
  Keypair k;
  k.seed_ = seed;
  CryptoPP::Donna::ed25519_publickey(k.public_key_.data(), k.seed_.data());
  k.address_ = Base58Encode(k.public_key_);
  return k;
}

std::optional<Keypair> Keypair::Parse(std::string_view text, std::string* problem) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  std::vector<uint8_t> bytes;
  if (!text.empty() && text.front() == '[') {
    boost::system::error_code ec;
    const boost::json::value value = boost::json::parse(text, ec);
    const boost::json::array* array = ec ? nullptr : value.if_array();
    if (array == nullptr) {
      *problem = "a keypair file is a JSON array of 64 numbers (solana-keygen's format)";
      return std::nullopt;
    }
    for (const boost::json::value& v : *array) {
      const int64_t* n = v.if_int64();
      if (n == nullptr || *n < 0 || *n > 255) {
        *problem = "a keypair file holds numbers from 0 to 255";
        return std::nullopt;
      }
      bytes.push_back(static_cast<uint8_t>(*n));
    }
  } else if (auto decoded = Base58Decode(text)) {
    bytes = std::move(*decoded);
  } else {
    *problem = "a secret key is solana-keygen's JSON array of 64 numbers or the base58 text of those 64 bytes";
    return std::nullopt;
  }
  if (bytes.size() != 64) {
    *problem = "a Solana secret key is 64 bytes (seed and public key), got " + std::to_string(bytes.size());
    return std::nullopt;
  }
  std::array<uint8_t, 32> seed{};
  std::copy_n(bytes.begin(), 32, seed.begin());
  Keypair k = FromSeed(seed);
  if (!std::equal(k.public_key_.begin(), k.public_key_.end(), bytes.begin() + 32)) {
    *problem = "the secret key's last 32 bytes are not the public key of its first 32";
    return std::nullopt;
  }
  return k;
}

Signature Keypair::Sign(std::span<const uint8_t> message) const {
  Signature signature{};
  CryptoPP::Donna::ed25519_sign(message.data(), message.size(), seed_.data(), public_key_.data(), signature.data());
  return signature;
}

std::string Keypair::ToKeygenJson() const {
  std::string out = "[";
  for (uint8_t b : seed_) out += std::to_string(b) + ",";
  for (std::size_t i = 0; i < public_key_.size(); ++i) out += std::to_string(public_key_[i]) + (i + 1 < 32 ? "," : "]");
  return out;
}

SolanaChain::SolanaChain(Keypair fee_payer, int64_t blockhash_lifetime)
    : fee_payer_(std::move(fee_payer)),
      // Rounded up to a whole number of periods.
      period_((std::clamp(blockhash_lifetime, kMinBlockhashLifetime, kMaxBlockhashLifetime) + kBlockhashPeriodsValid - 1) /
              kBlockhashPeriodsValid),
      secret_(Sha256({BytesOf("x402-dev blockhash secret"), std::span<const uint8_t>(fee_payer_.seed_)})) {}

namespace {
std::atomic<const SolanaChain*> installed{nullptr};
}  // namespace

const SolanaChain& SolanaChain::Get() {
  if (const SolanaChain* chain = installed.load(std::memory_order_acquire)) return *chain;
  // Nothing installed (unit tests, tools): one random chain for the process.
  static const SolanaChain fallback(Keypair::Generate());
  return fallback;
}

void SolanaChain::Install(Keypair fee_payer, int64_t blockhash_lifetime) {
  // Leaked on purpose: requests in flight may hold the one replaced.
  installed.store(new SolanaChain(std::move(fee_payer), blockhash_lifetime), std::memory_order_release);
}

std::array<uint8_t, 32> SolanaChain::HashOfPeriod(int64_t period) const {
  std::array<uint8_t, 8> p{};
  for (int i = 0; i < 8; ++i) p[static_cast<std::size_t>(i)] = static_cast<uint8_t>(static_cast<uint64_t>(period) >> (56 - 8 * i));
  return Sha256({BytesOf("x402-dev blockhash"), std::span<const uint8_t>(secret_), std::span<const uint8_t>(p)});
}

uint64_t SolanaChain::SlotAt(int64_t now) { return now <= 0 ? 0 : static_cast<uint64_t>(now) * 5 / 2; }

SolanaChain::Blockhash SolanaChain::Latest(int64_t now) const {
  const int64_t period = FloorDiv(now, period_);
  Blockhash b;
  b.hash = HashOfPeriod(period);
  b.text = Base58Encode(b.hash);
  b.expires = (period + kBlockhashPeriodsValid) * period_;
  b.last_valid_block_height = SlotAt(b.expires);
  return b;
}

std::optional<int64_t> SolanaChain::ExpiryOf(const std::array<uint8_t, 32>& hash, int64_t now) const {
  const int64_t current = FloorDiv(now, period_);
  for (int64_t back = 0; back < kBlockhashPeriodsValid; ++back) {
    if (HashOfPeriod(current - back) == hash) return (current - back + kBlockhashPeriodsValid) * period_;
  }
  return std::nullopt;
}

}  // namespace x402::svm
