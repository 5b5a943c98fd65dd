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

}  // namespace scalar
}  // namespace tn
