// Scalar math of the elementwise ops and their derivatives, shared by the CPU and CUDA kernels so both agree.
#pragma once
#include <cmath>

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

}  // namespace scalar
}  // namespace tn
