// CUDA pooling kernels of our own: forward max/avg for padding cuDNN cannot express, avg backward, and max backward
// (KERNELS.md gives each window's gradient to its first maximum, a tie rule cuDNN does not document).
#include "cuda_launch.cuh"
#include "pool.h"

namespace tn {
namespace cuda {

namespace {

// The in-bounds part [begin, end) of a window starting at `start` (negative start: padding).
__device__ __forceinline__ void clampWindow(int64_t start, int64_t k, int64_t size, int64_t& begin, int64_t& end) {
  begin = start > 0 ? start : 0;
  end = start + k < size ? start + k : size;
}

__device__ __forceinline__ int64_t floorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// One thread per output element (n, oh, ow, c); c is innermost so neighbouring threads read neighbouring channels.
template <bool kMax>
__global__ void poolForward(const float* __restrict__ x, float* __restrict__ y, WindowGeometry g, int64_t n) {
  TN_GRID_LOOP(i, n) {
    const int64_t c = i % g.C, ow = (i / g.C) % g.OW, oh = (i / (g.C * g.OW)) % g.OH, b = i / (g.C * g.OW * g.OH);
    int64_t h0, h1, w0, w1;
    clampWindow(oh * g.sh - g.padTop, g.kh, g.H, h0, h1);
    clampWindow(ow * g.sw - g.padLeft, g.kw, g.W, w0, w1);
    if (h1 <= h0 || w1 <= w0) {  // entirely in padding (only with pads >= kernel): nothing to pool
      y[i] = 0.f;
      continue;
    }
    float acc = kMax ? x[((b * g.H + h0) * g.W + w0) * g.C + c] : 0.f;
    for (int64_t ih = h0; ih < h1; ++ih)
      for (int64_t iw = w0; iw < w1; ++iw) {
        const float v = x[((b * g.H + ih) * g.W + iw) * g.C + c];
        if (kMax) acc = v > acc || v != v ? v : acc;  // NaN wins, as on the CPU
        else acc += v;
      }
    y[i] = kMax ? acc : acc / static_cast<float>((h1 - h0) * (w1 - w0));
  }
}

// Gathers into each dx element from the windows that hold it, so no atomics are needed.
__global__ void avgPoolBackward(const float* __restrict__ dy, float* __restrict__ dx, WindowGeometry g, int64_t n) {
  TN_GRID_LOOP(i, n) {
    const int64_t c = i % g.C, w = (i / g.C) % g.W, h = (i / (g.C * g.W)) % g.H, b = i / (g.C * g.W * g.H);
    int64_t ohLo = floorDiv(h + g.padTop - g.kh, g.sh) + 1, ohHi = floorDiv(h + g.padTop, g.sh);
    int64_t owLo = floorDiv(w + g.padLeft - g.kw, g.sw) + 1, owHi = floorDiv(w + g.padLeft, g.sw);
    ohLo = ohLo < 0 ? 0 : ohLo;
    owLo = owLo < 0 ? 0 : owLo;
    ohHi = ohHi > g.OH - 1 ? g.OH - 1 : ohHi;
    owHi = owHi > g.OW - 1 ? g.OW - 1 : owHi;
    float acc = 0.f;
    for (int64_t oh = ohLo; oh <= ohHi; ++oh) {
      int64_t h0, h1;
      clampWindow(oh * g.sh - g.padTop, g.kh, g.H, h0, h1);
      for (int64_t ow = owLo; ow <= owHi; ++ow) {
        int64_t w0, w1;
        clampWindow(ow * g.sw - g.padLeft, g.kw, g.W, w0, w1);
        acc += dy[((b * g.OH + oh) * g.OW + ow) * g.C + c] / static_cast<float>((h1 - h0) * (w1 - w0));
      }
    }
    dx[i] = acc;
  }
}

// One thread per output element: finds the window's first (row-major) element equal to y and adds dy there.
// Overlapping windows may pick the same element, hence atomicAdd into the zeroed dx.
__global__ void maxPoolBackward(const float* __restrict__ x, const float* __restrict__ y, const float* __restrict__ dy,
                                float* __restrict__ dx, WindowGeometry g, int64_t n) {
  TN_GRID_LOOP(i, n) {
    const int64_t c = i % g.C, ow = (i / g.C) % g.OW, oh = (i / (g.C * g.OW)) % g.OH, b = i / (g.C * g.OW * g.OH);
    int64_t h0, h1, w0, w1;
    clampWindow(oh * g.sh - g.padTop, g.kh, g.H, h0, h1);
    clampWindow(ow * g.sw - g.padLeft, g.kw, g.W, w0, w1);
    const float target = y[i];
    bool found = false;
    for (int64_t ih = h0; ih < h1 && !found; ++ih)
      for (int64_t iw = w0; iw < w1 && !found; ++iw) {
        const int64_t p = ((b * g.H + ih) * g.W + iw) * g.C + c;
        if (x[p] == target) {
          atomicAdd(dx + p, dy[i]);
          found = true;
        }
      }
  }
}

}  // namespace

Status launchPoolForward(const char* op, bool isMax, const WindowGeometry& g, const float* x, float* y,
                         cudaStream_t stream) {
  const int64_t n = g.N * g.OH * g.OW * g.C;
  if (n == 0) return Status::ok();
  if (isMax) poolForward<true><<<gridFor(n), kBlock, 0, stream>>>(x, y, g, n);
  else poolForward<false><<<gridFor(n), kBlock, 0, stream>>>(x, y, g, n);
  return launchStatus(op);
}

Status launchAvgPoolBackward(const char* op, const WindowGeometry& g, const float* dy, float* dx, cudaStream_t stream) {
  const int64_t n = g.N * g.H * g.W * g.C;
  if (n == 0) return Status::ok();
  avgPoolBackward<<<gridFor(n), kBlock, 0, stream>>>(dy, dx, g, n);
  return launchStatus(op);
}

namespace {

// max_pool2d_backward: inputs x, y, dy -> dx (x's shape).
Status maxPoolBackwardKernel(KernelContext& ctx) {
  WindowGeometry g;
  TN_RETURN_IF_ERROR(readMaxPoolBackwardArgs(ctx, g));
  const TensorArg &x = ctx.in(0), &y = ctx.in(1), &dy = ctx.in(2), &dx = ctx.out(0);
  TN_RETURN_IF_ERROR(checkDType(ctx, dx, DType::Float32, "dx"));
  TN_RETURN_IF_ERROR(checkShapeIs(ctx, dy, y.shape, "dy"));
  TN_RETURN_IF_ERROR(checkShapeIs(ctx, dx, x.shape, "dx"));
  if (dx.size() == 0) return Status::ok();
  cudaStream_t s = streamOf(ctx);
  TN_CUDA_RETURN(cudaMemsetAsync(dx.storage->data(), 0, dx.size() * sizeof(float), s), "max_pool2d_backward");
  const int64_t n = y.size();
  if (n == 0) return Status::ok();
  maxPoolBackward<<<gridFor(n), kBlock, 0, s>>>(x.data<float>(), y.data<float>(), dy.data<float>(), dx.data<float>(),
                                                g, n);
  return launchStatus("max_pool2d_backward");
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CUDA, "max_pool2d_backward", maxPoolBackwardKernel);

}  // namespace cuda
}  // namespace tn
