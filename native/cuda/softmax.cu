// CUDA softmax / log-softmax along any axis and their backwards, plus softmax cross-entropy (forward and backward).
#include "../core/params/losses.h"
#include "../core/params/softmax.h"
#include "cuda_launch.cuh"

namespace tn {
namespace cuda {
namespace {

// Rows along the axis: row j starts at (j / inner) * mid * inner + j % inner and steps by `inner`.
// inner == 1 (the last axis, the common case): one block per row, coalesced. Otherwise one thread per row, where
// neighbouring threads read neighbouring addresses at every step.
__device__ __forceinline__ int64_t rowBase(int64_t j, int64_t mid, int64_t inner) {
  return (j / inner) * mid * inner + j % inner;
}

template <bool kLog>
__global__ void softmaxRowsBlock(const float* __restrict__ x, float* __restrict__ y, int64_t rows, int64_t mid) {
  __shared__ float shared[32];
  for (int64_t j = blockIdx.x; j < rows; j += gridDim.x) {
    const float* px = x + j * mid;
    float* py = y + j * mid;
    float mx = -INFINITY;
    for (int64_t k = threadIdx.x; k < mid; k += blockDim.x) mx = fmaxf(mx, px[k]);
    mx = blockReduce(mx, shared, MaxCombine());
    if (!isfinite(mx)) mx = 0.f;  // all -inf (or inf/NaN present): let the values produce NaN/0 naturally, as on CPU
    float sum = 0.f;
    for (int64_t k = threadIdx.x; k < mid; k += blockDim.x) {
      float e = expf(px[k] - mx);
      if (!kLog) py[k] = e;
      sum += e;
    }
    sum = blockReduce(sum, shared, SumCombine());
    if (kLog) {
      const float lse = logf(sum);
      for (int64_t k = threadIdx.x; k < mid; k += blockDim.x) py[k] = px[k] - mx - lse;
    } else {
      const float inv = 1.f / sum;
      for (int64_t k = threadIdx.x; k < mid; k += blockDim.x) py[k] *= inv;
    }
  }
}

template <bool kLog>
__global__ void softmaxRowsStrided(const float* __restrict__ x, float* __restrict__ y, int64_t rows, int64_t mid,
                                   int64_t inner) {
  TN_GRID_LOOP(j, rows) {
    const int64_t b = rowBase(j, mid, inner);
    float mx = -INFINITY;
    for (int64_t k = 0; k < mid; ++k) mx = fmaxf(mx, x[b + k * inner]);
    if (!isfinite(mx)) mx = 0.f;
    float sum = 0.f;
    for (int64_t k = 0; k < mid; ++k) sum += expf(x[b + k * inner] - mx);
    if (kLog) {
      const float lse = logf(sum);
      for (int64_t k = 0; k < mid; ++k) y[b + k * inner] = x[b + k * inner] - mx - lse;
    } else {
      const float inv = 1.f / sum;
      for (int64_t k = 0; k < mid; ++k) y[b + k * inner] = expf(x[b + k * inner] - mx) * inv;
    }
  }
}

// softmax: dx = y*(dy - sum(dy*y)); log_softmax: dx = dy - exp(y)*sum(dy).
template <bool kLog>
__global__ void softmaxBackwardRowsBlock(const float* __restrict__ y, const float* __restrict__ dy,
                                         float* __restrict__ dx, int64_t rows, int64_t mid) {
  __shared__ float shared[32];
  for (int64_t j = blockIdx.x; j < rows; j += gridDim.x) {
    const float *py = y + j * mid, *pg = dy + j * mid;
    float* pd = dx + j * mid;
    float dot = 0.f;
    for (int64_t k = threadIdx.x; k < mid; k += blockDim.x) dot += kLog ? pg[k] : pg[k] * py[k];
    dot = blockReduce(dot, shared, SumCombine());
    for (int64_t k = threadIdx.x; k < mid; k += blockDim.x)
      pd[k] = kLog ? pg[k] - expf(py[k]) * dot : py[k] * (pg[k] - dot);
  }
}

template <bool kLog>
__global__ void softmaxBackwardRowsStrided(const float* __restrict__ y, const float* __restrict__ dy,
                                           float* __restrict__ dx, int64_t rows, int64_t mid, int64_t inner) {
  TN_GRID_LOOP(j, rows) {
    const int64_t b = rowBase(j, mid, inner);
    float dot = 0.f;
    for (int64_t k = 0; k < mid; ++k) {
      const int64_t i = b + k * inner;
      dot += kLog ? dy[i] : dy[i] * y[i];
    }
    for (int64_t k = 0; k < mid; ++k) {
      const int64_t i = b + k * inner;
      dx[i] = kLog ? dy[i] - expf(y[i]) * dot : y[i] * (dy[i] - dot);
    }
  }
}

template <bool kLog>
Status softmaxKernel(KernelContext& ctx) {
  SoftmaxRows r;
  TN_RETURN_IF_ERROR(readSoftmaxArgs(ctx, r));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  const int64_t outer = r.outer, mid = r.mid, inner = r.inner;
  if (x.size() == 0) return Status::ok();
  const int64_t rows = outer * inner;
  cudaStream_t s = streamOf(ctx);
  if (inner == 1) softmaxRowsBlock<kLog><<<gridFor(rows, 1), kBlock, 0, s>>>(x.data<float>(), y.data<float>(), rows, mid);
  else softmaxRowsStrided<kLog><<<gridFor(rows), kBlock, 0, s>>>(x.data<float>(), y.data<float>(), rows, mid, inner);
  return launchStatus(ctx.op.c_str());
}

template <bool kLog>
Status softmaxBackwardKernel(KernelContext& ctx) {
  SoftmaxRows r;
  TN_RETURN_IF_ERROR(readSoftmaxBackwardArgs(ctx, r));
  const TensorArg &y = ctx.in(0), &dy = ctx.in(1), &dx = ctx.out(0);
  const int64_t outer = r.outer, mid = r.mid, inner = r.inner;
  if (y.size() == 0) return Status::ok();
  const int64_t rows = outer * inner;
  cudaStream_t s = streamOf(ctx);
  if (inner == 1)
    softmaxBackwardRowsBlock<kLog><<<gridFor(rows, 1), kBlock, 0, s>>>(y.data<float>(), dy.data<float>(),
                                                                       dx.data<float>(), rows, mid);
  else
    softmaxBackwardRowsStrided<kLog><<<gridFor(rows), kBlock, 0, s>>>(y.data<float>(), dy.data<float>(),
                                                                      dx.data<float>(), rows, mid, inner);
  return launchStatus(ctx.op.c_str());
}

// ---- softmax cross-entropy over logits [N, C]; labels i32 [N] (class indices) or f32 [N, C] (soft/one-hot) ----

// loss[n] = logsumexp(z) * sum(t) - sum(t*z) (= logsumexp - z[label] for indices); probs = softmax(z).
// A label outside [0, C) is reported (ValueError at the next read) and its row's loss is NaN.
__global__ void crossEntropyRows(const float* __restrict__ z, const int32_t* __restrict__ labels,
                                 const float* __restrict__ soft, float* __restrict__ loss, float* __restrict__ probs,
                                 int64_t N, int64_t C, DeviceReport* report) {
  __shared__ float shared[32];
  for (int64_t n = blockIdx.x; n < N; n += gridDim.x) {
    const float* row = z + n * C;
    float* prow = probs + n * C;
    float mx = -INFINITY;
    for (int64_t c = threadIdx.x; c < C; c += blockDim.x) mx = fmaxf(mx, row[c]);
    mx = blockReduce(mx, shared, MaxCombine());
    if (!isfinite(mx)) mx = 0.f;
    float sum = 0.f;
    for (int64_t c = threadIdx.x; c < C; c += blockDim.x) {
      float e = expf(row[c] - mx);
      prow[c] = e;
      sum += e;
    }
    sum = blockReduce(sum, shared, SumCombine());
    const float inv = 1.f / sum, lse = logf(sum) + mx;
    for (int64_t c = threadIdx.x; c < C; c += blockDim.x) prow[c] *= inv;
    if (labels) {
      if (threadIdx.x == 0) {
        const int32_t l = labels[n];
        if (l < 0 || l >= C) {
          reportError(report, kCheckLabelIndex, l, static_cast<int>(C), n);
          loss[n] = NAN;
        } else {
          loss[n] = lse - row[l];
        }
      }
    } else {
      const float* trow = soft + n * C;
      float tsum = 0.f, dot = 0.f;
      for (int64_t c = threadIdx.x; c < C; c += blockDim.x) {
        tsum += trow[c];
        dot += trow[c] * row[c];
      }
      tsum = blockReduce(tsum, shared, SumCombine());
      dot = blockReduce(dot, shared, SumCombine());
      if (threadIdx.x == 0) loss[n] = lse * tsum - dot;
    }
  }
}

// dlogits = (probs - onehot) * dloss per row; soft labels: (probs*sum(t) - t) * dloss.
__global__ void crossEntropyBackwardRows(const float* __restrict__ probs, const int32_t* __restrict__ labels,
                                         const float* __restrict__ soft, const float* __restrict__ dloss,
                                         float* __restrict__ dz, int64_t N, int64_t C) {
  __shared__ float shared[32];
  for (int64_t n = blockIdx.x; n < N; n += gridDim.x) {
    const float g = dloss[n];
    const float* prow = probs + n * C;
    float* drow = dz + n * C;
    if (labels) {
      const int32_t l = labels[n];
      for (int64_t c = threadIdx.x; c < C; c += blockDim.x) drow[c] = (prow[c] - (c == l ? 1.f : 0.f)) * g;
    } else {
      const float* trow = soft + n * C;
      float tsum = 0.f;
      for (int64_t c = threadIdx.x; c < C; c += blockDim.x) tsum += trow[c];
      tsum = blockReduce(tsum, shared, SumCombine());
      for (int64_t c = threadIdx.x; c < C; c += blockDim.x) drow[c] = (prow[c] * tsum - trow[c]) * g;
    }
  }
}

// Index ranges are checked on the device (see above), so no host-side label check.
Status softmaxCrossEntropyKernel(KernelContext& ctx) {
  CrossEntropyShape shp;
  TN_RETURN_IF_ERROR(readCrossEntropyArgs(ctx, nullptr, shp));
  const TensorArg &z = ctx.in(0), &t = ctx.in(1), &loss = ctx.out(0), &probs = ctx.out(1);
  const int64_t N = shp.N, C = shp.C;
  const bool sparse = shp.sparse;
  if (N == 0) return Status::ok();
  crossEntropyRows<<<gridFor(N, 1), kBlock, 0, streamOf(ctx)>>>(
      z.data<float>(), sparse ? t.data<int32_t>() : nullptr, sparse ? nullptr : t.data<float>(), loss.data<float>(),
      probs.data<float>(), N, C, deviceReportOf(ctx));
  return launchStatus(ctx.op.c_str());
}

Status softmaxCrossEntropyBackwardKernel(KernelContext& ctx) {
  CrossEntropyShape shp;
  TN_RETURN_IF_ERROR(readCrossEntropyBackwardArgs(ctx, nullptr, shp));
  const TensorArg &probs = ctx.in(0), &t = ctx.in(1), &dl = ctx.in(2), &dz = ctx.out(0);
  const int64_t N = shp.N, C = shp.C;
  const bool sparse = shp.sparse;
  if (N == 0 || C == 0) return Status::ok();
  crossEntropyBackwardRows<<<gridFor(N, 1), kBlock, 0, streamOf(ctx)>>>(
      probs.data<float>(), sparse ? t.data<int32_t>() : nullptr, sparse ? nullptr : t.data<float>(),
      dl.data<float>(), dz.data<float>(), N, C);
  return launchStatus(ctx.op.c_str());
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CUDA, "softmax", softmaxKernel<false>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "log_softmax", softmaxKernel<true>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "softmax_backward", softmaxBackwardKernel<false>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "log_softmax_backward", softmaxBackwardKernel<true>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "softmax_cross_entropy", softmaxCrossEntropyKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "softmax_cross_entropy_backward", softmaxCrossEntropyBackwardKernel);

}  // namespace cuda
}  // namespace tn
