// Per-element math of the fused recurrent cells (LSTM, GRU, simple RNN), forward and backward, shared by the CPU
// loops and the CUDA kernels. Activation derivatives are written in terms of the activation's output y.
#pragma once
#include <cmath>
#include <cstdint>

#include "../fast_math.h"
#include "../hd.h"

namespace tn {
namespace rnn {

// Activation codes (attrs `activation` / `recurrentActivation`), as lib/nn/layers/recurrent names them.
enum Act : int { kLinear = 0, kTanh = 1, kSigmoid = 2, kHardSigmoid = 3, kRelu = 4 };
constexpr int kNumActs = 5;

TN_HD float act(int code, float x) {
  switch (code) {
    case kTanh:
#if defined(__CUDA_ARCH__)
      return tanhf(x);
#else
      return fastmath::tanh(x);  // glibc's tanhf (through expm1f) was a quarter of an LSTM step; this is <= 1 ulp
#endif
    case kSigmoid:
#if defined(__CUDA_ARCH__)
      return 1.f / (1.f + expf(-x));
#else
      return fastmath::sigmoid(x);
#endif
    case kHardSigmoid: {  // tfjs: clip(0.2 x + 0.5, 0, 1)
      float y = 0.2f * x + 0.5f;
      return y < 0.f ? 0.f : (y > 1.f ? 1.f : y);
    }
    case kRelu: return x > 0.f ? x : 0.f;
    default: return x;
  }
}

// d act / dx at the point whose output is y.
TN_HD float actGrad(int code, float y) {
  switch (code) {
    case kTanh: return 1.f - y * y;
    case kSigmoid: return y * (1.f - y);
    case kHardSigmoid: return (y > 0.f && y < 1.f) ? 0.2f : 0.f;
    case kRelu: return y > 0.f ? 1.f : 0.f;
    default: return 1.f;
  }
}

// act / actGrad with the code fixed at compile time when kCode >= 0 (the run-time `code` when it is -1): CPU loops
// instantiate the common codes so the switch folds away and they vectorize.
template <int kCode>
TN_HD float actFixed(int code, float x) {
  return act(kCode >= 0 ? kCode : code, x);
}
template <int kCode>
TN_HD float actGradFixed(int code, float y) {
  return actGrad(kCode >= 0 ? kCode : code, y);
}

// LSTM (gate order i, f, c, o as Keras/tfjs). g: the 4U pre-activations of one row, replaced by the activations.
// c = f*cp + i*act(gc); h = o*act(c).
TN_HD void lstmForward(float* g, int64_t u, int64_t U, float cp, int a, int ra, float& c, float& h) {
  const float i = act(ra, g[u]), f = act(ra, g[U + u]), gc = act(a, g[2 * U + u]), o = act(ra, g[3 * U + u]);
  g[u] = i;
  g[U + u] = f;
  g[2 * U + u] = gc;
  g[3 * U + u] = o;
  c = f * cp + i * gc;
  h = o * act(a, c);
}

// dh, dc: gradients reaching h_t and c_t (from outputs and the next step). Writes the 4U pre-activation gradients
// of the row to dz; returns the gradient reaching c_{t-1} directly (dc*f).
TN_HD float lstmBackward(const float* g, float* dz, int64_t u, int64_t U, float c, float cp, float dh, float dc, int a,
                         int ra) {
  const float i = g[u], f = g[U + u], gc = g[2 * U + u], o = g[3 * U + u];
  const float ac = act(a, c);
  const float dct = dc + dh * o * actGrad(a, ac);
  dz[u] = dct * gc * actGrad(ra, i);
  dz[U + u] = dct * cp * actGrad(ra, f);
  dz[2 * U + u] = dct * i * actGrad(a, gc);
  dz[3 * U + u] = dh * ac * actGrad(ra, o);
  return dct * f;
}

}  // namespace rnn
}  // namespace tn
