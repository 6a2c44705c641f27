#include "x402/sha256.h"

#include <cryptopp/sha.h>

namespace x402 {

Hash32 Sha256(std::initializer_list<std::span<const uint8_t>> parts) {
  CryptoPP::SHA256 hash;
  for (std::span<const uint8_t> part : parts) hash.Update(part.data(), part.size());
  Hash32 out;
  hash.Final(out.data());
  return out;
}

}  // namespace x402
