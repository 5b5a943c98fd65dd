// CPU row loops for the LSTM step passes and BuildPrev (core/rnn/steps.h's functors, same math): one
// contiguous loop per batch row instead of a functor per element, activations fixed at compile time for the common
// pairs, so the loops vectorize (the per-element form divided by U twice per element and switched on the activation).
#pragma once
#include <algorithm>
#include <cstdint>

#include "../../core/rnn/steps.h"
#include "../simd.h"
#include "../thread_pool.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace rnnrows {

// One row of LstmForwardStep: g (4U) += x, activations into g, c and h written. The rows never overlap (restrict:
// without it the vectorizer gives up on the five pointers' alias checks).
template <int kA, int kRA>
TN_MULTIVERSION void lstmForwardRow(float* __restrict g, const float* __restrict x, const float* __restrict cp,
                                    float* __restrict c, float* __restrict h, int64_t U, int a, int ra) {
  for (int64_t u = 0; u < U; ++u) {
    const float i = rnn::actFixed<kRA>(ra, g[u] + x[u]);
    const float f = rnn::actFixed<kRA>(ra, g[U + u] + x[U + u]);
    const float gc = rnn::actFixed<kA>(a, g[2 * U + u] + x[2 * U + u]);
    const float o = rnn::actFixed<kRA>(ra, g[3 * U + u] + x[3 * U + u]);
    g[u] = i;
    g[U + u] = f;
    g[2 * U + u] = gc;
    g[3 * U + u] = o;
    const float cn = f * cp[u] + i * gc;
    c[u] = cn;
    h[u] = o * rnn::actFixed<kA>(a, cn);
  }
}

// One row of LstmBackwardStep: dz (4U) written, dcn updated to the gradient reaching c_{t-1} directly.
template <int kA, int kRA>
TN_MULTIVERSION void lstmBackwardRow(const float* __restrict g, float* __restrict dz, const float* __restrict c,
                                     const float* __restrict cp, const float* __restrict dh,
                                     const float* __restrict dc, const float* __restrict dhn, float* __restrict dcn,
                                     int64_t U, int a, int ra) {
  for (int64_t u = 0; u < U; ++u) {
    const float i = g[u], f = g[U + u], gc = g[2 * U + u], o = g[3 * U + u];
    const float gh = dh[u] + dhn[u];
    const float ac = rnn::actFixed<kA>(a, c[u]);
    const float dct = dc[u] + dcn[u] + gh * o * rnn::actGradFixed<kA>(a, ac);
    dz[u] = dct * gc * rnn::actGradFixed<kRA>(ra, i);
    dz[U + u] = dct * cp[u] * rnn::actGradFixed<kRA>(ra, f);
    dz[2 * U + u] = dct * i * rnn::actGradFixed<kA>(a, gc);
    dz[3 * U + u] = gh * ac * rnn::actGradFixed<kRA>(ra, o);
    dcn[u] = dct * f;
  }
}

// Calls fn<kA, kRA> for Keras's and tfjs's default pairs (tanh with sigmoid or hard sigmoid), else fn<-1, -1>.
template <template <int, int> class Fn, typename... Args>
void withActivations(int a, int ra, Args&&... args) {
  if (a == rnn::kTanh && ra == rnn::kSigmoid) return Fn<rnn::kTanh, rnn::kSigmoid>::run(args...);
  if (a == rnn::kTanh && ra == rnn::kHardSigmoid) return Fn<rnn::kTanh, rnn::kHardSigmoid>::run(args...);
  return Fn<-1, -1>::run(args...);
}

template <int kA, int kRA>
struct ForwardRow {
  static void run(const rnn::LstmForwardStep& f, int64_t b) {
    const int64_t U = f.U, row = b * f.T + f.s;
    const float* cp = f.s == 0 ? f.c0 + b * U : f.c + (row - 1) * U;
    lstmForwardRow<kA, kRA>(f.gates + row * 4 * U, f.xw + (b * f.T + f.tIn) * 4 * U, cp, f.c + row * U,
                            f.h + row * U, U, f.a, f.ra);
  }
};

template <int kA, int kRA>
struct BackwardRow {
  static void run(const rnn::LstmBackwardStep& f, int64_t b) {
    const int64_t U = f.U, row = b * f.T + f.s;
    const float* cp = f.s == 0 ? f.c0 + b * U : f.c + (row - 1) * U;
    lstmBackwardRow<kA, kRA>(f.gates + row * 4 * U, f.dxw + (b * f.T + f.tIn) * 4 * U, f.c + row * U, cp,
                             f.dh + row * U, f.dc + row * U, f.dhn + b * U, f.dcn + b * U, U, f.a, f.ra);
  }
};

// BuildPrev by rows: row (b, s) of the previous states is a copy of h0[b] or h[b, s-1], times the mask when there is
// one; rows are contiguous U floats, so each is a memcpy-like loop instead of two divisions per element.
inline void buildPrevRows(const rnn::BuildPrev& f, int64_t B) {
  const int64_t T = f.T, U = f.U;
  parallelFor(B * T, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(U, 1)), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t b = r / T, s = r % T, t = f.reverse ? T - 1 - s : s;
      const float* src = s == 0 ? f.h0 + b * U : f.h + (b * T + s - 1) * U;
      float* dst = f.hp + (b * T + t) * U;
      if (f.m) {
        const float* m = f.m + b * U;
        for (int64_t u = 0; u < U; ++u) dst[u] = src[u] * m[u];
      } else {
        std::copy(src, src + U, dst);
      }
    }
  });
}

// The B rows of a step, split over the pool when the step is large enough.
template <class Step, template <int, int> class Row>
void forRows(int64_t B, int64_t U, const Step& step) {
  parallelFor(B, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(U, 1)), [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) withActivations<Row>(step.a, step.ra, step, b);
  });
}

}  // namespace rnnrows
}  // namespace cpu
}  // namespace tn
