// Fast float tanh and sigmoid for the CPU kernels: branch-free arithmetic (loops over them vectorize), within a few ulp.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace tn {
namespace fastmath {

inline int32_t bitsOf(float f) {
  int32_t i;
  std::memcpy(&i, &f, sizeof i);
  return i;
}
inline float fromBits(int32_t i) {
  float f;
  std::memcpy(&f, &i, sizeof f);
  return f;
}
// c ? a : b by bit masks: compilers turn a float ?: whose arms divide into a branch, which stops vectorization.
inline float pick(bool c, float a, float b) {
  const int32_t m = -static_cast<int32_t>(c);
  return fromBits((bitsOf(a) & m) | (bitsOf(b) & ~m));
}

// e^y for y in [0, 87] (tanh needs [0, 19], sigmoid [0, 87]): y = n ln2 + r with |r| <= ln2/2 (ln2 split so n*kLn2Hi is exact), e^r by
// its Taylor polynomial to r^7 (relative error below 1e-8), 2^n built from the exponent bits.
inline float expForTanh(float y) {
  constexpr float kLog2e = 1.44269504088896341f;
  constexpr float kLn2Hi = 0.693145751953125f;  // 0x3f317200: nine trailing zero bits
  constexpr float kLn2Lo = 1.42860676533018708e-6f;
  const int32_t n = static_cast<int32_t>(y * kLog2e + 0.5f);  // y >= 0: truncation rounds to nearest
  const float fn = static_cast<float>(n);
  const float r = (y - fn * kLn2Hi) - fn * kLn2Lo;
  float p = 1.f / 5040.f;
  p = p * r + 1.f / 720.f;
  p = p * r + 1.f / 120.f;
  p = p * r + 1.f / 24.f;
  p = p * r + 1.f / 6.f;
  p = p * r + 0.5f;
  p = p * r + 1.f;
  p = p * r + 1.f;
  return p * fromBits((n + 127) << 23);
}

// tanh(x): x + x^3 P(x^2) below 0.625 (P fitted by tools/fit_fast_tanh.py, relative error 5e-9), 1 - 2/(e^2|x| + 1)
// above; |x| is capped at 9.5, where tanh rounds to 1 in float. NaN passes through, the sign of zero is kept.
// glibc's tanhf goes through expm1f and took a quarter of an LSTM training step.
inline float tanh(float x) {
  const float ax = std::fabs(x);
  const float cx = pick(ax < 9.5f, ax, 9.5f);  // NaN maps to 9.5 (no undefined int conversion below)
  const float x2 = cx * cx;
  float p = -5.718891552e-03f;  // c4 .. c0 of tools/fit_fast_tanh.py
  p = p * x2 + 2.065306394e-02f;
  p = p * x2 - 5.374464035e-02f;
  p = p * x2 + 1.333151247e-01f;
  p = p * x2 - 3.333328521e-01f;
  const float small = cx + cx * x2 * p;
  const float big = 1.f - 2.f / (expForTanh(2.f * cx) + 1.f);
  const float t = std::copysign(pick(cx < 0.625f, small, big), x);
  return pick((bitsOf(x) & 0x7fffffff) > 0x7f800000, x, t);  // NaN passes through
}

// 1 / (1 + e^-x) without cancellation on either side: with E = e^|x| (>= 1), E / (E + 1) for x >= 0 and 1 / (E + 1)
// below. |x| is capped at 87 (E stays finite; the answer has rounded to 1, or to under 1e-37, long before). A few ulp
// of the exact value, branch-free (vectorizes); glibc's expf is a call per element. NaN passes through.
inline float sigmoid(float x) {
  const float ax = std::fabs(x);
  const float cx = pick(ax < 87.f, ax, 87.f);  // NaN maps to 87 (no undefined int conversion in the exp)
  const float e = expForTanh(cx);
  const float r = pick(x >= 0.f, e, 1.f) / (e + 1.f);
  return pick((bitsOf(x) & 0x7fffffff) > 0x7f800000, x, r);
}

}  // namespace fastmath
}  // namespace tn
