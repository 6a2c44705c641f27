#include "x402/svm/program_address.h"

#include <string_view>
#include <unordered_map>

#include "x402/sha256.h"
#include "x402/svm/base58.h"

namespace x402::svm {
namespace {

PublicKey Key(std::string_view base58) { return *Base58Decode32(base58); }

constexpr std::string_view kMarker = "ProgramDerivedAddress";

}  // namespace

const PublicKey kAssociatedTokenProgram = Key("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
const PublicKey kTokenProgram = Key("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
const PublicKey kToken2022Program = Key("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
const PublicKey kComputeBudgetProgram = Key("ComputeBudget111111111111111111111111111111");
const PublicKey kMemoProgram = Key("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");
const PublicKey kLighthouseProgram = Key("L2TExMFKdjpN9kozasaurPirfHy9P8sbXoAN1qA3S95");

std::string ProgramName(const PublicKey& program) {
  if (program == kTokenProgram) return "Token";
  if (program == kToken2022Program) return "Token-2022";
  return Base58Encode(program);
}

std::optional<ProgramAddress> FindProgramAddress(std::span<const std::span<const uint8_t>> seeds,
                                                 const PublicKey& program) {
  // Solana's limits (MAX_SEEDS counts the bump, MAX_SEED_LEN).
  if (seeds.size() > 15) return std::nullopt;
  std::vector<uint8_t> input;
  for (const auto& seed : seeds) {
    if (seed.size() > 32) return std::nullopt;
    input.insert(input.end(), seed.begin(), seed.end());
  }
  const std::size_t bump_at = input.size();
  input.push_back(0);
  input.insert(input.end(), program.begin(), program.end());
  input.insert(input.end(), kMarker.begin(), kMarker.end());
  // Solana's try_find_program_address tries 255 down to 1.
  for (int bump = 255; bump >= 1; --bump) {
    input[bump_at] = static_cast<uint8_t>(bump);
    const Hash32 hash = Sha256({std::span<const uint8_t>(input)});
    PublicKey address;
    std::copy(hash.begin(), hash.end(), address.begin());
    if (!IsOnCurve(address)) return ProgramAddress{address, static_cast<uint8_t>(bump)};
  }
  return std::nullopt;
}

ProgramAddress AssociatedTokenAddress(const PublicKey& owner, const PublicKey& mint, const PublicKey& token_program) {
  const std::span<const uint8_t> seeds[] = {owner, token_program, mint};
  return *FindProgramAddress(seeds, kAssociatedTokenProgram);
}

const PublicKey& CachedAssociatedTokenAddress(const PublicKey& owner, const PublicKey& mint,
                                              const PublicKey& token_program) {
  struct Key {
    PublicKey owner, mint, program;
    bool operator==(const Key&) const = default;
  };
  struct Hash {
    std::size_t operator()(const Key& k) const {
      std::size_t h = 0;
      for (int i = 0; i < 8; ++i) h = (h << 8) ^ k.owner[static_cast<std::size_t>(i)] ^ k.mint[static_cast<std::size_t>(i)];
      return h ^ k.program[0];
    }
  };
  static constexpr std::size_t kMaxEntries = 4096;  // ~400 KiB per thread at most
  thread_local std::unordered_map<Key, PublicKey, Hash> cache;
  const Key key{owner, mint, token_program};
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  if (cache.size() >= kMaxEntries) cache.clear();
  return cache.emplace(key, AssociatedTokenAddress(owner, mint, token_program).address).first->second;
}

}  // namespace x402::svm
