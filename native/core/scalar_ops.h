// Scalar math of the elementwise ops and their derivatives, shared by the CPU and CUDA kernels so both agree.
#pragma once
#include <cmath>
#include <cstdint>

#include "hd.h"

namespace tn {
namespace scalar {

TN_HD float sigmoid(float x) { return x >= 0 ? 1.f / (1.f + expf(-x)) : expf(x) / (1.f + expf(x)); }
// GELU, exact (erf) form as PyTorch's and Keras's default.
TN_HD float gelu(float x) { return 0.5f * x * (1.f + erff(x * 0.70710678118654752f)); }
// d/dx gelu = Phi(x) + x * phi(x)
TN_HD float geluGrad(float x) {
  float cdf = 0.5f * (1.f + erff(x * 0.70710678118654752f));
  float pdf = 0.39894228040143268f * expf(-0.5f * x * x);
  return cdf + x * pdf;
}
TN_HD float sign(float x) { return x > 0 ? 1.f : (x < 0 ? -1.f : 0.f); }
// log(1 + exp(x)) without overflow.
TN_HD float softplus(float x) { return x > 0 ? x + log1pf(expf(-x)) : log1pf(expf(x)); }

// int32 add/sub/mul wrap modulo 2^32 (two's complement, as Java, Go and TF's int32 kernels): done in uint32 so
// overflow is defined behaviour, never UB. The T overloads keep float math as it is.
TN_HD int32_t wrapAdd(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b)); }
TN_HD int32_t wrapSub(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b)); }
TN_HD int32_t wrapMul(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b)); }
TN_HD float wrapAdd(float a, float b) { return a + b; }
TN_HD float wrapSub(float a, float b) { return a - b; }
TN_HD float wrapMul(float a, float b) { return a * b; }
TN_HD float rsqrt(float x) { return 1.f / sqrtf(x); }
TN_HD float reciprocal(float x) { return 1.f / x; }
TN_HD float elu(float x) { return x > 0 ? x : expm1f(x); }
// SELU's constants (Klambauer et al.), as tfjs and Keras use them.
constexpr float kSeluScale = 1.0507009873554804934193349852946f;
constexpr float kSeluAlpha = 1.6732632423543772848170429916717f;
TN_HD float selu(float x) { return x > 0 ? kSeluScale * x : kSeluScale * kSeluAlpha * expm1f(x); }
TN_HD float relu6(float x) { return x < 0 ? 0.f : (x > 6 ? 6.f : x); }
// Floor division and Python-style remainder of int32 values, in 64 bits so INT32_MIN / -1 cannot overflow (b != 0).
TN_HD int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
TN_HD int64_t floorMod(int64_t a, int64_t b) {
  int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

}  // namespace scalar
}  // namespace tn
