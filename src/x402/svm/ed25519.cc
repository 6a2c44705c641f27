#include "x402/svm/ed25519.h"

#include <cryptopp/donna.h>
#include <cryptopp/integer.h>
#include <cryptopp/modarith.h>

namespace x402::svm {

namespace {

using CryptoPP::Integer;

const Integer& FieldPrime() {
  static const Integer p = Integer::Power2(255) - Integer(19);
  return p;
}

// A 32-byte little-endian field encoding's y, the sign bit cleared, reduced mod p (as dalek
// reads it).
Integer EncodedY(const std::array<uint8_t, 32>& bytes) {
  std::array<uint8_t, 32> big;
  for (std::size_t i = 0; i < 32; ++i) big[i] = bytes[31 - i];
  big[0] &= 0x7f;
  return Integer(big.data(), big.size()) % FieldPrime();
}

// Whether |bytes| encode a point of small order (the eight torsion points: y = 1, -1, 0, and
// the two y of the points of order 8), which verify_strict refuses as a key or as R.
bool IsSmallOrder(const std::array<uint8_t, 32>& bytes) {
  static const Integer order8("0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7");
  const Integer& p = FieldPrime();
  const Integer y = EncodedY(bytes);
  return y.IsZero() || y == Integer::One() || y == p - Integer::One() || y == order8 || y == p - order8;
}

}  // namespace

bool VerifyEd25519(const PublicKey& key, std::span<const uint8_t> message, const Signature& signature) {
  // As Solana's runtime verifies a transaction's signatures (ed25519-dalek verify_strict): S
  // below the group order L, neither the key nor R of small order; then the equation, by
  // Crypto++'s ed25519-donna (which itself only checks S's top bits).
  static const Integer kGroupOrder = Integer::Power2(252) + Integer("27742317777372353535851937790883648493");
  std::array<uint8_t, 32> s_big;
  for (std::size_t i = 0; i < 32; ++i) s_big[i] = signature[63 - i];
  if (Integer(s_big.data(), s_big.size()) >= kGroupOrder) return false;
  std::array<uint8_t, 32> r;
  std::copy(signature.begin(), signature.begin() + 32, r.begin());
  if (IsSmallOrder(key) || IsSmallOrder(r)) return false;
  return CryptoPP::Donna::ed25519_sign_open(message.data(), message.size(), key.data(), signature.data()) == 0;
}

bool IsOnCurve(const std::array<uint8_t, 32>& bytes) {
  // The encoding: y little-endian in 255 bits, the sign of x in the top bit (which does not
  // decide membership).
  const Integer& p = FieldPrime();
  // d = -121665 / 121666 mod p
  static const Integer d = [] {
    const CryptoPP::ModularArithmetic field(FieldPrime());
    return field.Multiply(FieldPrime() - Integer(121665), field.MultiplicativeInverse(Integer(121666)));
  }();
  // curve25519-dalek reduces y mod p (it takes a non-canonical y as its residue); so does this.
  const CryptoPP::ModularArithmetic field(p);
  const Integer yr = EncodedY(bytes);
  const Integer y2 = field.Square(yr);
  const Integer u = field.Subtract(y2, Integer::One());           // y² - 1
  const Integer v = field.Add(field.Multiply(d, y2), Integer::One());  // d·y² + 1
  if (v.IsZero()) return false;
  const Integer x2 = field.Multiply(u, field.MultiplicativeInverse(v));
  // x = 0 (y = ±1): dalek negates 0 for a set sign bit and takes it.
  if (x2.IsZero()) return true;
  // A square mod p iff x2^((p-1)/2) = 1 (Euler's criterion).
  return field.Exponentiate(x2, (p - Integer::One()) / Integer::Two()) == Integer::One();
}

}  // namespace x402::svm
