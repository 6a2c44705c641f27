#include "x402/svm/field25519.h"

namespace x402::svm {
namespace {

// GCC and Clang's 128-bit integer (__extension__: -Wpedantic knows it is not ISO C++).
__extension__ typedef unsigned __int128 u128;
constexpr uint64_t kMask = (uint64_t{1} << 51) - 1;

struct Fe {
  uint64_t v[5];
};

Fe FromBytes(const std::array<uint8_t, 32>& s) {
  auto load = [&](int at) {
    uint64_t x = 0;
    for (int i = 7; i >= 0; --i) x = (x << 8) | s[static_cast<std::size_t>(at + i)];
    return x;
  };
  // Bits 0–50, 51–101, 102–152, 153–203, 204–254 (the sign bit 255 dropped).
  Fe f;
  f.v[0] = load(0) & kMask;
  f.v[1] = (load(6) >> 3) & kMask;
  f.v[2] = (load(12) >> 6) & kMask;
  f.v[3] = (load(19) >> 1) & kMask;
  f.v[4] = (load(24) >> 12) & kMask;
  return f;
}

Fe Carry(Fe f) {
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 4; ++i) {
      f.v[i + 1] += f.v[i] >> 51;
      f.v[i] &= kMask;
    }
    f.v[0] += 19 * (f.v[4] >> 51);
    f.v[4] &= kMask;
  }
  return f;
}

Fe Add(const Fe& a, const Fe& b) {
  Fe r;
  for (int i = 0; i < 5; ++i) r.v[i] = a.v[i] + b.v[i];
  return Carry(r);
}

Fe Sub(const Fe& a, const Fe& b) {
  // + 2p first, so that no limb goes below zero.
  static constexpr uint64_t k2p[5] = {0xFFFFFFFFFFFDAull, 0xFFFFFFFFFFFFEull, 0xFFFFFFFFFFFFEull, 0xFFFFFFFFFFFFEull,
                                      0xFFFFFFFFFFFFEull};
  Fe r;
  for (int i = 0; i < 5; ++i) r.v[i] = a.v[i] + k2p[i] - b.v[i];
  return Carry(r);
}

Fe Mul(const Fe& a, const Fe& b) {
  const uint64_t* x = a.v;
  const uint64_t* y = b.v;
  const uint64_t y1 = 19 * y[1], y2 = 19 * y[2], y3 = 19 * y[3], y4 = 19 * y[4];
  u128 r0 = u128(x[0]) * y[0] + u128(x[1]) * y4 + u128(x[2]) * y3 + u128(x[3]) * y2 + u128(x[4]) * y1;
  u128 r1 = u128(x[0]) * y[1] + u128(x[1]) * y[0] + u128(x[2]) * y4 + u128(x[3]) * y3 + u128(x[4]) * y2;
  u128 r2 = u128(x[0]) * y[2] + u128(x[1]) * y[1] + u128(x[2]) * y[0] + u128(x[3]) * y4 + u128(x[4]) * y3;
  u128 r3 = u128(x[0]) * y[3] + u128(x[1]) * y[2] + u128(x[2]) * y[1] + u128(x[3]) * y[0] + u128(x[4]) * y4;
  u128 r4 = u128(x[0]) * y[4] + u128(x[1]) * y[3] + u128(x[2]) * y[2] + u128(x[3]) * y[1] + u128(x[4]) * y[0];
  Fe r;
  r1 += static_cast<uint64_t>(r0 >> 51);
  r.v[0] = static_cast<uint64_t>(r0) & kMask;
  r2 += static_cast<uint64_t>(r1 >> 51);
  r.v[1] = static_cast<uint64_t>(r1) & kMask;
  r3 += static_cast<uint64_t>(r2 >> 51);
  r.v[2] = static_cast<uint64_t>(r2) & kMask;
  r4 += static_cast<uint64_t>(r3 >> 51);
  r.v[3] = static_cast<uint64_t>(r3) & kMask;
  const uint64_t c = static_cast<uint64_t>(r4 >> 51);
  r.v[4] = static_cast<uint64_t>(r4) & kMask;
  r.v[0] += c * 19;
  r.v[1] += r.v[0] >> 51;
  r.v[0] &= kMask;
  return r;
}

Fe Sq(const Fe& a) { return Mul(a, a); }

Fe SqTimes(Fe a, int n) {
  for (int i = 0; i < n; ++i) a = Sq(a);
  return a;
}

// z^((p-5)/8) = z^(2^252 - 3), ref10's fe_pow22523 chain.
Fe Pow22523(const Fe& z) {
  Fe t0 = Sq(z);
  Fe t1 = SqTimes(t0, 2);
  t1 = Mul(z, t1);       // z^9
  t0 = Mul(t0, t1);      // z^11
  t0 = Sq(t0);           // z^22
  t0 = Mul(t1, t0);      // z^(2^5 - 1)
  t1 = SqTimes(t0, 5);
  t0 = Mul(t1, t0);      // 2^10 - 1
  t1 = SqTimes(t0, 10);
  t1 = Mul(t1, t0);      // 2^20 - 1
  Fe t2 = SqTimes(t1, 20);
  t1 = Mul(t2, t1);      // 2^40 - 1
  t1 = SqTimes(t1, 10);
  t0 = Mul(t1, t0);      // 2^50 - 1
  t1 = SqTimes(t0, 50);
  t1 = Mul(t1, t0);      // 2^100 - 1
  t2 = SqTimes(t1, 100);
  t1 = Mul(t2, t1);      // 2^200 - 1
  t1 = SqTimes(t1, 50);
  t0 = Mul(t1, t0);      // 2^250 - 1
  t0 = SqTimes(t0, 2);   // 2^252 - 4
  return Mul(t0, z);     // 2^252 - 3
}

// Whether |f| is 0 mod p (its limbs carried; the value may still be p itself, or a little above).
bool IsZero(Fe f) {
  f = Carry(f);
  // The canonical value: subtract p when f >= p (f + 19 carries past bit 255).
  uint64_t q = (f.v[0] + 19) >> 51;
  for (int i = 1; i < 5; ++i) q = (f.v[i] + q) >> 51;
  f.v[0] += 19 * q;
  for (int i = 0; i < 4; ++i) {
    f.v[i + 1] += f.v[i] >> 51;
    f.v[i] &= kMask;
  }
  f.v[4] &= kMask;
  return (f.v[0] | f.v[1] | f.v[2] | f.v[3] | f.v[4]) == 0;
}

}  // namespace

bool DecompressesToCurvePoint(const std::array<uint8_t, 32>& encoding) {
  // d = -121665/121666 mod p, little-endian.
  static const Fe d = FromBytes({0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
                                 0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52});
  static const Fe one{{1, 0, 0, 0, 0}};
  const Fe y = Carry(FromBytes(encoding));  // a y at or above p reduces, as dalek's from_bytes does
  const Fe y2 = Sq(y);
  const Fe u = Sub(y2, one);          // y² - 1
  const Fe v = Add(Mul(d, y2), one);  // d·y² + 1 (never 0: d is not a square)
  // sqrt_ratio: x = u·v³·(u·v⁷)^((p-5)/8); u/v is a square iff v·x² = ±u.
  const Fe v3 = Mul(Sq(v), v);
  const Fe v7 = Mul(Sq(v3), v);
  const Fe x = Mul(Mul(u, v3), Pow22523(Mul(u, v7)));
  const Fe vx2 = Mul(v, Sq(x));
  return IsZero(Sub(vx2, u)) || IsZero(Add(vx2, u));
}

}  // namespace x402::svm
