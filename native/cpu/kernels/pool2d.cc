// CPU 2-D max and average pooling over NHWC images, forward and backward (padding never counts as an element):
// through oneDNN when that engine is active (onednn/pool.cc), else these loops.
#include <algorithm>
#include <cstring>
#include <vector>

#include "../../core/params/conv.h"
#include "../onednn/engine.h"
#include "cpu_kernel_util.h"
#include "pool_disjoint.h"

namespace tn {
namespace cpu {
namespace {

// The in-bounds part [begin, end) of the window starting at `start` (start may be negative: padding).
inline void clampWindow(int64_t start, int64_t k, int64_t size, int64_t& begin, int64_t& end) {
  begin = std::max<int64_t>(start, 0);
  end = std::min<int64_t>(start + k, size);
}

inline int64_t floorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// Parallel over output rows (n, oh); each output pixel reduces its in-bounds window channel-wise (contiguous in NHWC).
template <bool kMax>
Status poolForwardKernel(KernelContext& ctx) {
  WindowGeometry g;
  TN_RETURN_IF_ERROR(readPoolForwardArgs(ctx, g));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  const float* px = x.data<float>();
  float* py = y.data<float>();
  if (onednn::active()) {
    bool handled = false;
    TN_RETURN_IF_ERROR(onednn::poolForward(kMax, g, px, py, handled));
    if (handled) return Status::ok();
  }
  if (kMax && disjoint::applies(g)) {  // Keras' default 2x2/2 windows: one pass (oneDNN's JIT is faster still)
    disjoint::maxForward(g, px, py);
    return Status::ok();
  }
  const int64_t C = g.C;
  parallelFor(g.N * g.OH, 1, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t n = r / g.OH, oh = r % g.OH, h0, h1;
      clampWindow(oh * g.sh - g.padTop, g.kh, g.H, h0, h1);
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        int64_t w0, w1;
        clampWindow(ow * g.sw - g.padLeft, g.kw, g.W, w0, w1);
        float* out = py + (r * g.OW + ow) * C;
        int64_t count = std::max<int64_t>(0, h1 - h0) * std::max<int64_t>(0, w1 - w0);
        if (count == 0) {  // a window entirely in padding (only with pads >= kernel): nothing to pool
          std::fill(out, out + C, 0.f);
          continue;
        }
        std::memcpy(out, px + ((n * g.H + h0) * g.W + w0) * C, C * sizeof(float));
        for (int64_t ih = h0; ih < h1; ++ih)
          for (int64_t iw = ih == h0 ? w0 + 1 : w0; iw < w1; ++iw) {
            const float* in = px + ((n * g.H + ih) * g.W + iw) * C;
            if (kMax) {
              for (int64_t c = 0; c < C; ++c) out[c] = in[c] > out[c] || in[c] != in[c] ? in[c] : out[c];  // NaN wins
            } else {
              for (int64_t c = 0; c < C; ++c) out[c] += in[c];
            }
          }
        if (!kMax) {
          float inv = 1.f / static_cast<float>(count);
          for (int64_t c = 0; c < C; ++c) out[c] *= inv;
        }
      }
    }
  });
  return Status::ok();
}

// max backward: inputs x, y, dy; dx gets each window's dy at the first (row-major) element equal to the window max.
// Windows overlap, so work is split by image and channel block: no two threads touch the same dx element.
Status maxPoolBackwardKernel(KernelContext& ctx) {
  WindowGeometry g;
  TN_RETURN_IF_ERROR(readMaxPoolBackwardArgs(ctx, g));
  const TensorArg &x = ctx.in(0), &y = ctx.in(1), &dy = ctx.in(2), &dx = ctx.out(0);
  TN_RETURN_IF_ERROR(checkShapeIs(ctx, dy, y.shape, "dy"));
  TN_RETURN_IF_ERROR(checkShapeIs(ctx, dx, x.shape, "dx"));
  const float *px = x.data<float>(), *py = y.data<float>(), *pdy = dy.data<float>();
  float* pdx = dx.data<float>();
  if (onednn::active()) {
    bool handled = false;
    TN_RETURN_IF_ERROR(onednn::poolBackward(true, g, px, pdy, pdx, handled));
    if (handled) return Status::ok();
  }
  if (disjoint::applies(g)) {  // disjoint windows: each dx written once, no zeroing pass or scatter (2x the loop below)
    disjoint::maxBackward(g, px, py, pdy, pdx);
    return Status::ok();
  }
  const int64_t C = g.C;
  std::memset(pdx, 0, dx.size() * sizeof(float));
  if (dx.size() == 0) return Status::ok();
  // Enough (image, channel block) items to keep the pool busy even for a batch of one, blocks of >= 16 channels.
  int64_t wantItems = 4 * static_cast<int64_t>(cpuThreadCount());
  int64_t blocks = g.N >= wantItems ? 1 : std::max<int64_t>(1, std::min((C + 15) / 16, (wantItems + g.N - 1) / g.N));
  parallelFor(g.N * blocks, 1, [&](int64_t b, int64_t e) {
    // Per channel: the window position (row-major index) of the first element equal to y; -1 if none is (NaN).
    std::vector<int32_t> winner;
    std::vector<int64_t> offsets(g.kh * g.kw);  // element offset of each in-bounds window position
    for (int64_t item = b; item < e; ++item) {
      int64_t n = item / blocks, blk = item % blocks;
      int64_t c0 = C * blk / blocks, c1 = C * (blk + 1) / blocks, cn = c1 - c0;
      winner.resize(cn);
      for (int64_t oh = 0; oh < g.OH; ++oh) {
        int64_t h0, h1;
        clampWindow(oh * g.sh - g.padTop, g.kh, g.H, h0, h1);
        for (int64_t ow = 0; ow < g.OW; ++ow) {
          int64_t w0, w1;
          clampWindow(ow * g.sw - g.padLeft, g.kw, g.W, w0, w1);
          int32_t count = 0;
          for (int64_t ih = h0; ih < h1; ++ih)
            for (int64_t iw = w0; iw < w1; ++iw) offsets[count++] = ((n * g.H + ih) * g.W + iw) * C + c0;
          const int64_t o = ((n * g.OH + oh) * g.OW + ow) * C + c0;
          const float* yo = py + o;
          int32_t* win = winner.data();
          std::fill(win, win + cn, -1);
          // Walk the positions backwards so the last match kept is the first in row-major order. A select, not a
          // branch: the comparison is data-dependent and a branch here mispredicts constantly.
          for (int32_t k = count - 1; k >= 0; --k) {
            const float* xp = px + offsets[k];
            for (int64_t c = 0; c < cn; ++c) win[c] = xp[c] == yo[c] ? k : win[c];
          }
          const float* go = pdy + o;
          for (int64_t c = 0; c < cn; ++c)
            if (win[c] >= 0) pdx[offsets[win[c]] + c] += go[c];
        }
      }
    }
  });
  return Status::ok();
}

// avg backward: input dy; dx[h, w] = sum over the windows holding (h, w) of dy / (that window's in-bounds count).
// Gathered per input row (n, h), so rows are independent.
Status avgPoolBackwardKernel(KernelContext& ctx) {
  WindowGeometry g;
  TN_RETURN_IF_ERROR(readAvgPoolBackwardArgs(ctx, g));
  const TensorArg &dy = ctx.in(0), &dx = ctx.out(0);
  const float* pdy = dy.data<float>();
  float* pdx = dx.data<float>();
  if (onednn::active()) {
    bool handled = false;
    TN_RETURN_IF_ERROR(onednn::poolBackward(false, g, nullptr, pdy, pdx, handled));
    if (handled) return Status::ok();
  }
  const int64_t C = g.C;
  // In-bounds extent of every window row/column: the divisor of window (oh, ow) is rowsIn[oh] * colsIn[ow].
  std::vector<int64_t> rowsIn(g.OH), colsIn(g.OW);
  for (int64_t oh = 0; oh < g.OH; ++oh) {
    int64_t a, z;
    clampWindow(oh * g.sh - g.padTop, g.kh, g.H, a, z);
    rowsIn[oh] = std::max<int64_t>(0, z - a);
  }
  for (int64_t ow = 0; ow < g.OW; ++ow) {
    int64_t a, z;
    clampWindow(ow * g.sw - g.padLeft, g.kw, g.W, a, z);
    colsIn[ow] = std::max<int64_t>(0, z - a);
  }
  parallelFor(g.N * g.H, 1, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t n = r / g.H, h = r % g.H;
      float* dxrow = pdx + r * g.W * C;
      std::memset(dxrow, 0, g.W * C * sizeof(float));
      // Windows oh with oh*sh - top <= h <= oh*sh - top + kh - 1.
      int64_t ohLo = std::max<int64_t>(0, floorDiv(h + g.padTop - g.kh, g.sh) + 1);
      int64_t ohHi = std::min<int64_t>(g.OH - 1, floorDiv(h + g.padTop, g.sh));
      for (int64_t w = 0; w < g.W; ++w) {
        int64_t owLo = std::max<int64_t>(0, floorDiv(w + g.padLeft - g.kw, g.sw) + 1);
        int64_t owHi = std::min<int64_t>(g.OW - 1, floorDiv(w + g.padLeft, g.sw));
        float* dp = dxrow + w * C;
        for (int64_t oh = ohLo; oh <= ohHi; ++oh)
          for (int64_t ow = owLo; ow <= owHi; ++ow) {
            float inv = 1.f / static_cast<float>(rowsIn[oh] * colsIn[ow]);
            const float* sp = pdy + ((n * g.OH + oh) * g.OW + ow) * C;
            for (int64_t c = 0; c < C; ++c) dp[c] += sp[c] * inv;
          }
      }
    }
  });
  return Status::ok();
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "max_pool2d", poolForwardKernel<true>);
TN_REGISTER_KERNEL(DeviceType::CPU, "avg_pool2d", poolForwardKernel<false>);
TN_REGISTER_KERNEL(DeviceType::CPU, "max_pool2d_backward", maxPoolBackwardKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "avg_pool2d_backward", avgPoolBackwardKernel);

}  // namespace cpu
}  // namespace tn
