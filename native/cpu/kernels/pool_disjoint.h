// The fallback engine's max pooling over disjoint windows (stride >= window, Keras' default 2x2/2): one pass each way.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../../core/params/conv.h"
#include "../simd.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace disjoint {

// True when no input element lies in two windows: each backward output is then written once, with no zeroing pass
// and no scatter-add, and the forward visits every input element at most once.
// Pads smaller than the window (as the ops require) keep every window non-empty.
inline bool applies(const WindowGeometry& g) {
  return g.sh >= g.kh && g.sw >= g.kw && g.C > 0 && g.padTop < g.kh && g.padBottom < g.kh && g.padLeft < g.kw &&
         g.padRight < g.kw;
}

// The in-bounds rows [h0, h1) of window row oh (padding only ever clips a window: pads are smaller than it).
inline void windowRows(const WindowGeometry& g, int64_t oh, int64_t& h0, int64_t& h1) {
  h0 = std::max<int64_t>(oh * g.sh - g.padTop, 0);
  h1 = std::min<int64_t>(oh * g.sh - g.padTop + g.kh, g.H);
}
inline void windowCols(const WindowGeometry& g, int64_t ow, int64_t& w0, int64_t& w1) {
  w0 = std::max<int64_t>(ow * g.sw - g.padLeft, 0);
  w1 = std::min<int64_t>(ow * g.sw - g.padLeft + g.kw, g.W);
}

// One output row (n, oh) of the forward: each window's max per channel, a NaN winning (the fallback's rule: NaN
// propagates). Whole rows per call, so the channel loops inline into each clone.
TN_MULTIVERSION inline void maxForwardRow(const WindowGeometry& g, const float* __restrict x, float* __restrict y,
                                          int64_t r) {
  const int64_t C = g.C, n = r / g.OH, oh = r % g.OH;
  int64_t h0, h1;
  windowRows(g, oh, h0, h1);
  for (int64_t ow = 0; ow < g.OW; ++ow) {
    int64_t w0, w1;
    windowCols(g, ow, w0, w1);
    float* __restrict out = y + (r * g.OW + ow) * C;
    std::memcpy(out, x + ((n * g.H + h0) * g.W + w0) * C, C * sizeof(float));
    for (int64_t ih = h0; ih < h1; ++ih)
      for (int64_t iw = ih == h0 ? w0 + 1 : w0; iw < w1; ++iw) {
        const float* __restrict in = x + ((n * g.H + ih) * g.W + iw) * C;
        for (int64_t c = 0; c < C; ++c) out[c] = in[c] > out[c] || in[c] != in[c] ? in[c] : out[c];
      }
  }
}

// One window row (n, oh) of the backward: dx = dy at the first element (row-major) of each window equal to y, 0
// elsewhere (all 0 when y is NaN); `taken` (C ints) marks the channels already routed. Also zeroes the columns no
// window covers in these input rows, and the input rows between this window row and the next (or the image end).
TN_MULTIVERSION inline void maxBackwardRow(const WindowGeometry& g, const float* __restrict x, const float* __restrict y,
                                           const float* __restrict dy, float* __restrict dx, int32_t* __restrict taken,
                                           int64_t r) {
  const int64_t C = g.C, rowFloats = g.W * C, n = r / g.OH, oh = r % g.OH;
  int64_t h0, h1, nextH0 = g.H, unused;
  windowRows(g, oh, h0, h1);
  if (oh + 1 < g.OH) windowRows(g, oh + 1, nextH0, unused);
  float* image = dx + n * g.H * rowFloats;
  if (oh == 0 && h0 > 0) std::memset(image, 0, h0 * rowFloats * sizeof(float));
  if (nextH0 > h1) std::memset(image + h1 * rowFloats, 0, (nextH0 - h1) * rowFloats * sizeof(float));
  for (int64_t ih = h0; ih < h1; ++ih) {
    int64_t covered = 0;
    for (int64_t ow = 0; ow < g.OW; ++ow) {
      int64_t w0, w1;
      windowCols(g, ow, w0, w1);
      if (w0 > covered) std::memset(image + ih * rowFloats + covered * C, 0, (w0 - covered) * C * sizeof(float));
      covered = w1;
    }
    if (g.W > covered) std::memset(image + ih * rowFloats + covered * C, 0, (g.W - covered) * C * sizeof(float));
  }
  for (int64_t ow = 0; ow < g.OW; ++ow) {
    int64_t w0, w1;
    windowCols(g, ow, w0, w1);
    const int64_t o = (r * g.OW + ow) * C;
    const float* __restrict yo = y + o;
    const float* __restrict go = dy + o;
    for (int64_t c = 0; c < C; ++c) taken[c] = 0;
    for (int64_t ih = h0; ih < h1; ++ih)
      for (int64_t iw = w0; iw < w1; ++iw) {
        const int64_t i = ((n * g.H + ih) * g.W + iw) * C;
        const float* __restrict xi = x + i;
        float* __restrict di = dx + i;
        for (int64_t c = 0; c < C; ++c) {
          const int32_t hit = (xi[c] == yo[c]) & (taken[c] == 0);
          di[c] = hit ? go[c] : 0.f;
          taken[c] |= hit;
        }
      }
  }
}

// y = max over each window (never wholly padding: see applies).
inline void maxForward(const WindowGeometry& g, const float* x, float* y) {
  parallelFor(g.N * g.OH, 1, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) maxForwardRow(g, x, y, r);
  });
}

// dx from x, y and dy, split by window row; every dx element is written exactly once.
inline void maxBackward(const WindowGeometry& g, const float* x, const float* y, const float* dy, float* dx) {
  parallelFor(g.N * g.OH, 1, [&](int64_t b, int64_t e) {
    std::vector<int32_t> taken(g.C);
    for (int64_t r = b; r < e; ++r) maxBackwardRow(g, x, y, dy, dx, taken.data(), r);
  });
}

}  // namespace disjoint
}  // namespace cpu
}  // namespace tn
