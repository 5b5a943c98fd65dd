// CUDA indexing kernels: gather, scatter_add (atomic adds), cumsum (one thread per lane) and topk (one thread per row,
// k selection passes); same rules as native/cpu/kernels/gather.cc. Bad indices are reported (ValueError at next read).
#include "../core/params/gather.h"
#include "cuda_launch.cuh"

namespace tn {
namespace cuda {
namespace {

__global__ void gatherValues(const uint32_t* __restrict__ x, const int32_t* __restrict__ idx, uint32_t* __restrict__ y,
                             int64_t total, int64_t n, int64_t m, int64_t inner, DeviceReport* report) {
  TN_GRID_LOOP(t, total) {
    int64_t i = t % inner, j = (t / inner) % m, o = t / (inner * m);
    int32_t k = idx[j];
    if (k < 0 || k >= n) {
      reportError(report, kCheckGatherIndex, k, static_cast<int>(n), j);
      y[t] = 0;
    } else {
      y[t] = x[(o * n + k) * inner + i];
    }
  }
}

Status gatherKernel(KernelContext& ctx) {
  GatherParams p;
  TN_RETURN_IF_ERROR(readGatherParams(ctx, p));
  int64_t total = ctx.out(0).size();
  if (total == 0) return Status::ok();
  gatherValues<<<gridFor(total), kBlock, 0, streamOf(ctx)>>>(ctx.in(0).data<uint32_t>(), ctx.in(1).data<int32_t>(),
                                                            ctx.out(0).data<uint32_t>(), total, p.n, p.m, p.inner,
                                                            deviceReportOf(ctx));
  return launchStatus("gather");
}

template <typename T>
__global__ void scatterAddValues(const T* __restrict__ dy, const int32_t* __restrict__ idx, T* __restrict__ dx,
                                 int64_t total, int64_t n, int64_t m, int64_t inner, DeviceReport* report) {
  TN_GRID_LOOP(t, total) {
    int64_t i = t % inner, j = (t / inner) % m, o = t / (inner * m);
    int32_t k = idx[j];
    if (k < 0 || k >= n) reportError(report, kCheckGatherIndex, k, static_cast<int>(n), j);
    else atomicAdd(dx + (o * n + k) * inner + i, dy[t]);
  }
}

Status scatterAddKernel(KernelContext& ctx) {
  GatherParams p;
  TN_RETURN_IF_ERROR(readScatterAddParams(ctx, p));
  const TensorArg &dy = ctx.in(0), &dx = ctx.out(0);
  cudaStream_t s = streamOf(ctx);
  if (dx.size() == 0) return Status::ok();
  TN_CUDA_RETURN(cudaMemsetAsync(dx.storage->data(), 0, dx.size() * 4, s), "scatter_add");
  int64_t total = dy.size();
  if (total == 0) return Status::ok();
  if (dx.dtype == DType::Float32)
    scatterAddValues<float><<<gridFor(total), kBlock, 0, s>>>(dy.data<float>(), ctx.in(1).data<int32_t>(), dx.data<float>(),
                                                              total, p.n, p.m, p.inner, deviceReportOf(ctx));
  else
    scatterAddValues<int><<<gridFor(total), kBlock, 0, s>>>(dy.data<int>(), ctx.in(1).data<int32_t>(), dx.data<int>(),
                                                            total, p.n, p.m, p.inner, deviceReportOf(ctx));
  return launchStatus("scatter_add");
}

template <typename T, typename Acc>
__global__ void cumsumLanes(const T* __restrict__ x, T* __restrict__ y, int64_t lanes, int64_t mid, int64_t inner,
                            bool exclusive, bool reverse) {
  TN_GRID_LOOP(t, lanes) {
    const int64_t base = (t / inner) * mid * inner + t % inner;
    Acc acc = 0;
    for (int64_t k = 0; k < mid; ++k) {
      const int64_t at = base + (reverse ? mid - 1 - k : k) * inner;
      if (exclusive) { y[at] = static_cast<T>(acc); acc += x[at]; }
      else { acc += x[at]; y[at] = static_cast<T>(acc); }
    }
  }
}

Status cumsumKernel(KernelContext& ctx) {
  CumsumParams p;
  TN_RETURN_IF_ERROR(readCumsumParams(ctx, p));
  int64_t lanes = p.outer * p.inner;
  if (lanes == 0 || p.mid == 0) return Status::ok();
  cudaStream_t s = streamOf(ctx);
  if (ctx.in(0).dtype == DType::Float32)
    cumsumLanes<float, double><<<gridFor(lanes), kBlock, 0, s>>>(ctx.in(0).data<float>(), ctx.out(0).data<float>(), lanes,
                                                                 p.mid, p.inner, p.exclusive, p.reverse);
  else
    cumsumLanes<uint32_t, uint32_t><<<gridFor(lanes), kBlock, 0, s>>>(ctx.in(0).data<uint32_t>(), ctx.out(0).data<uint32_t>(),
                                                                       lanes, p.mid, p.inner, p.exclusive, p.reverse);
  return launchStatus("cumsum");
}

// (value, index) order of the CPU kernel: larger value first (NaN above all), then lower index.
template <typename T>
__device__ bool before(T va, int64_t ia, T vb, int64_t ib) {
  bool na = va != va, nb = vb != vb;
  if (na != nb) return na;
  if (!na && va != vb) return va > vb;
  return ia < ib;
}

// One thread per row: pass j picks the first element after pick j-1 in that order (O(n*k), no scratch memory).
template <typename T>
__global__ void topkRows(const T* __restrict__ x, T* __restrict__ values, int32_t* __restrict__ indices, int64_t rows,
                         int64_t n, int64_t k) {
  TN_GRID_LOOP(r, rows) {
    const T* row = x + r * n;
    int64_t prev = -1;
    for (int64_t j = 0; j < k; ++j) {
      int64_t best = -1;
      for (int64_t c = 0; c < n; ++c) {
        if (prev >= 0 && !before(row[prev], prev, row[c], c)) continue;  // already taken
        if (best < 0 || before(row[c], c, row[best], best)) best = c;
      }
      values[r * k + j] = row[best];
      indices[r * k + j] = static_cast<int32_t>(best);
      prev = best;
    }
  }
}

Status topkKernel(KernelContext& ctx) {
  TopkParams p;
  TN_RETURN_IF_ERROR(readTopkParams(ctx, p));
  if (p.rows == 0 || p.k == 0) return Status::ok();
  cudaStream_t s = streamOf(ctx);
  if (ctx.in(0).dtype == DType::Float32)
    topkRows<float><<<gridFor(p.rows), kBlock, 0, s>>>(ctx.in(0).data<float>(), ctx.out(0).data<float>(),
                                                       ctx.out(1).data<int32_t>(), p.rows, p.n, p.k);
  else
    topkRows<int32_t><<<gridFor(p.rows), kBlock, 0, s>>>(ctx.in(0).data<int32_t>(), ctx.out(0).data<int32_t>(),
                                                         ctx.out(1).data<int32_t>(), p.rows, p.n, p.k);
  return launchStatus("topk");
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CUDA, "gather", gatherKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "scatter_add", scatterAddKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "cumsum", cumsumKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "topk", topkKernel);

}  // namespace cuda
}  // namespace tn
