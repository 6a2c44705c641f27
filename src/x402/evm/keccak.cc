#include "x402/evm/keccak.h"

#include <cryptopp/keccak.h>

namespace x402 {

Hash32 Keccak256(std::span<const uint8_t> data) { return Keccak256({data}); }

Hash32 Keccak256(std::initializer_list<std::span<const uint8_t>> parts) {
  // The state lives in the object (a fixed-size block): constructing one per call allocates
  // nothing.
  CryptoPP::Keccak_256 hash;
  for (std::span<const uint8_t> part : parts) hash.Update(part.data(), part.size());
  Hash32 out;
  hash.Final(out.data());
  return out;
}

}  // namespace x402
