// CUDA reductions over any sorted set of axes (sum, mean, max, min), reduce_select_backward and argmax.
#include <algorithm>
#include <cfloat>

#include "../core/params/reduce.h"
#include "cuda_launch.cuh"
#include "reduce.h"

namespace tn {
namespace cuda {
namespace {

// x seen as kept dims and reduced dims (size-1 dims dropped, neighbours of the same kind merged), each <= kMaxDims.
struct ReduceGeom {
  int nk = 0, nr = 0;
  int64_t keptSize[kMaxDims] = {}, keptStride[kMaxDims] = {};
  int64_t redSize[kMaxDims] = {}, redStride[kMaxDims] = {};
  int64_t outN = 1, redN = 1;
  bool innermostReduced = false;  // the last (contiguous) merged dim is reduced: reads along r are coalesced
};

Status makeGeom(const KernelContext& ctx, const Shape& shape, const std::vector<bool>& reduced, ReduceGeom& g) {
  // Runs of same-kind dims, outermost first (core/params/reduce.h).
  ReduceGroups merged = mergeReduceGroups(shape, reduced);
  const auto& groups = merged.groups;
  g.outN = merged.outN;
  g.redN = merged.redN;
  int nk = 0, nr = 0;
  for (auto& gr : groups) (gr.second ? nr : nk)++;
  TN_CHECK(nk <= kMaxDims && nr <= kMaxDims, Shape, ctx.op, ": reducing ", shapeStr(shape),
           " alternates kept and reduced dims more often than the CUDA kernel supports");
  g.innermostReduced = !groups.empty() && groups.back().second;
  int64_t stride = 1;
  int k = nk, r = nr;
  for (int i = static_cast<int>(groups.size()) - 1; i >= 0; --i) {
    if (groups[i].second) {
      --r;
      g.redSize[r] = groups[i].first;
      g.redStride[r] = stride;
    } else {
      --k;
      g.keptSize[k] = groups[i].first;
      g.keptStride[k] = stride;
    }
    stride *= groups[i].first;
  }
  g.nk = nk;
  g.nr = nr;
  return Status::ok();
}

__device__ __forceinline__ int64_t keptOffset(const ReduceGeom& g, int64_t o) {
  int64_t off = 0;
#pragma unroll
  for (int d = kMaxDims - 1; d >= 0; --d) {
    if (d >= g.nk) continue;
    off += (o % g.keptSize[d]) * g.keptStride[d];
    o /= g.keptSize[d];
  }
  return off;
}

__device__ __forceinline__ int64_t reducedOffset(const ReduceGeom& g, int64_t r) {
  int64_t off = 0;
#pragma unroll
  for (int d = kMaxDims - 1; d >= 0; --d) {
    if (d >= g.nr) continue;
    off += (r % g.redSize[d]) * g.redStride[d];
    r /= g.redSize[d];
  }
  return off;
}

struct SumOp {
  static constexpr float kInit = 0.f;
  __device__ static float finish(float a, int64_t) { return a; }
  using Combine = SumCombine;
};
struct MeanOp {
  static constexpr float kInit = 0.f;
  __device__ static float finish(float a, int64_t n) { return a / static_cast<float>(n); }
  using Combine = SumCombine;
};
struct MaxOp {
  static constexpr float kInit = -INFINITY;
  __device__ static float finish(float a, int64_t) { return a; }
  using Combine = MaxCombine;
};
struct ProdOp {
  static constexpr float kInit = 1.f;
  __device__ static float finish(float a, int64_t) { return a; }
  using Combine = ProdCombine;
};
struct MinOp {
  static constexpr float kInit = INFINITY;
  __device__ static float finish(float a, int64_t) { return a; }
  using Combine = MinCombine;
};

// Loads element x[off] of output o's group: plain values, or the tie indicator x == y[o] for reduce_select_backward.
struct LoadValue {
  const float* x;
  __device__ float operator()(int64_t off, int64_t) const { return x[off]; }
};
struct LoadTie {
  const float* x;
  const float* y;
  __device__ float operator()(int64_t off, int64_t o) const { return x[off] == y[o] ? 1.f : 0.f; }
};

// One block per output (grid-stride over outputs): threads stride over the reduced index range [rBegin, rEnd) of
// split blockIdx.y, then a block reduce. `finish` applies Op::finish (the last pass); split partials stay raw.
template <typename Op, typename Load>
__global__ void reduceBlockPerOutput(Load load, float* __restrict__ y, ReduceGeom g, int64_t perSplit, bool finish) {
  __shared__ float shared[32];
  typename Op::Combine combine;
  const int64_t rBegin = blockIdx.y * perSplit, rEnd = rBegin + perSplit < g.redN ? rBegin + perSplit : g.redN;
  for (int64_t o = blockIdx.x; o < g.outN; o += gridDim.x) {
    const int64_t base = keptOffset(g, o);
    float acc = Op::kInit;
    for (int64_t r = rBegin + threadIdx.x; r < rEnd; r += blockDim.x) acc = combine(acc, load(base + reducedOffset(g, r), o));
    acc = blockReduce(acc, shared, combine);
    if (threadIdx.x == 0) y[blockIdx.y * g.outN + o] = finish ? Op::finish(acc, g.redN) : acc;
  }
}

// Kept dims innermost: threadIdx.x walks neighbouring outputs (coalesced), threadIdx.y splits the reduced range
// [rBegin, rEnd) of split blockIdx.y.
constexpr int kColsX = 32, kColsY = 8;
template <typename Op, typename Load>
__global__ void reduceThreadPerOutput(Load load, float* __restrict__ y, ReduceGeom g, int64_t perSplit, bool finish) {
  __shared__ float partial[kColsY][kColsX + 1];
  typename Op::Combine combine;
  const int64_t rBegin = blockIdx.y * perSplit, rEnd = rBegin + perSplit < g.redN ? rBegin + perSplit : g.redN;
  for (int64_t o0 = static_cast<int64_t>(blockIdx.x) * kColsX; o0 < g.outN; o0 += static_cast<int64_t>(gridDim.x) * kColsX) {
    const int64_t o = o0 + threadIdx.x;
    float acc = Op::kInit;
    if (o < g.outN) {
      const int64_t base = keptOffset(g, o);
      for (int64_t r = rBegin + threadIdx.y; r < rEnd; r += kColsY) acc = combine(acc, load(base + reducedOffset(g, r), o));
    }
    partial[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && o < g.outN) {
      for (int j = 1; j < kColsY; ++j) acc = combine(acc, partial[j][threadIdx.x]);
      y[blockIdx.y * g.outN + o] = finish ? Op::finish(acc, g.redN) : acc;
    }
    __syncthreads();
  }
}

// Second pass of a split reduction: y[o] = finish(combine over s of partial[s * outN + o]).
template <typename Op>
__global__ void combineSplits(const float* __restrict__ partial, float* __restrict__ y, int64_t outN, int splits,
                              int64_t redN) {
  typename Op::Combine combine;
  TN_GRID_LOOP(o, outN) {
    float acc = partial[o];
    for (int s = 1; s < splits; ++s) acc = combine(acc, partial[s * outN + o]);
    y[o] = Op::finish(acc, redN);
  }
}

// Enough blocks to keep every SM of a large GPU busy (132 SMs on an H100, several blocks each).
constexpr int64_t kTargetBlocks = 1024;
// Below this many reduced indices per split, splitting costs more than it saves (a block should get about 8K+
// elements: one output's share when a block reduces one output, kColsX outputs' when it reduces 32 side by side).
constexpr int64_t kMinPerSplitBlock = 8192, kMinPerSplitCols = 256;

// Few outputs over many elements (full sums, bias gradients) would run on one or a few blocks, far below the GPU's
// bandwidth: the reduced range is then split over up to kTargetBlocks blocks and the partials combined in a second pass.
template <typename Op, typename Load>
Status runReduce(const KernelContext& ctx, const ReduceGeom& g, Load load, float* y) {
  cudaStream_t s = streamOf(ctx);
  const int64_t outBlocks = g.innermostReduced ? std::min<int64_t>(g.outN, 65535 * 8)
                                               : (g.outN + kColsX - 1) / kColsX;
  int64_t splits = 1;
  if (outBlocks < kTargetBlocks) {
    const int64_t minPer = g.innermostReduced ? kMinPerSplitBlock : kMinPerSplitCols;
    splits = std::min<int64_t>(kTargetBlocks / std::max<int64_t>(outBlocks, 1), g.redN / minPer);
    splits = std::max<int64_t>(1, std::min<int64_t>(splits, 65535));
  }
  const int64_t perSplit = (g.redN + splits - 1) / splits;
  StoragePtr partial;
  float* out = y;
  if (splits > 1) {
    TN_RETURN_IF_ERROR(scratch(ctx, static_cast<size_t>(splits * g.outN) * sizeof(float), partial));
    out = static_cast<float*>(partial->data());
  }
  const bool finish = splits == 1;
  if (g.innermostReduced) {
    reduceBlockPerOutput<Op, Load><<<dim3(gridFor(g.outN, 1), static_cast<unsigned>(splits)), kBlock, 0, s>>>(
        load, out, g, perSplit, finish);
  } else {
    reduceThreadPerOutput<Op, Load><<<dim3(gridFor(g.outN, kColsX), static_cast<unsigned>(splits)), dim3(kColsX, kColsY),
                                      0, s>>>(load, out, g, perSplit, finish);
  }
  TN_RETURN_IF_ERROR(launchStatus(ctx.op.c_str()));
  if (splits == 1) return Status::ok();
  combineSplits<Op><<<gridFor(g.outN), kBlock, 0, s>>>(out, y, g.outN, static_cast<int>(splits), g.redN);
  return launchStatus(ctx.op.c_str());
}

template <typename Op, bool kNeedsElements>
Status reduceKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_RETURN_IF_ERROR(checkDType(ctx, x, DType::Float32, "x"));
  TN_RETURN_IF_ERROR(checkDType(ctx, y, DType::Float32, "out"));
  std::vector<bool> reduced;
  TN_RETURN_IF_ERROR(readReduceAxes(ctx, x.rank(), reduced));
  ReduceGeom g;
  TN_RETURN_IF_ERROR(makeGeom(ctx, x.shape, reduced, g));
  TN_CHECK(y.size() == g.outN, Shape, ctx.op, ": out ", shapeStr(y.shape), " has ", y.size(),
           " elements, the reduction of ", shapeStr(x.shape), " has ", g.outN);
  if (g.outN == 0) return Status::ok();
  TN_CHECK(!(kNeedsElements && g.redN == 0), Value, ctx.op, ": cannot reduce over an empty axis of ", shapeStr(x.shape));
  if (g.redN == 1) {  // nothing to combine: a copy (mean divides by 1)
    TN_CUDA_RETURN(cudaMemcpyAsync(y.storage->data(), x.storage->data(), g.outN * sizeof(float),
                                   cudaMemcpyDeviceToDevice, streamOf(ctx)), ctx.op.c_str());
    return Status::ok();
  }
  return runReduce<Op>(ctx, g, LoadValue{x.data<float>()}, y.data<float>());
}

// dx = x == y[group] ? dy[group] / count[group] : 0, where `group` comes from x's index through the kept dims.
__global__ void selectBackward(const float* __restrict__ x, const float* __restrict__ y, const float* __restrict__ dy,
                               const float* __restrict__ count, float* __restrict__ dx, int64_t n, StridedIndexer<1> ix) {
  TN_GRID_LOOP(i, n) {
    int64_t off[1];
    stridedOffsets(ix, i, off);
    const int64_t j = off[0];
    dx[i] = x[i] == y[j] && count[j] > 0 ? dy[j] / count[j] : 0.f;
  }
}

Status reduceSelectBackwardKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 3, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.in(1), &dy = ctx.in(2), &dx = ctx.out(0);
  for (const TensorArg* t : {&x, &y, &dy, &dx}) TN_RETURN_IF_ERROR(checkDType(ctx, *t, DType::Float32, "x/y/dy/dx"));
  std::vector<bool> reduced;
  TN_RETURN_IF_ERROR(readReduceAxes(ctx, x.rank(), reduced));
  ReduceGeom g;
  TN_RETURN_IF_ERROR(makeGeom(ctx, x.shape, reduced, g));
  TN_CHECK(y.size() == g.outN && dy.size() == g.outN, Shape, ctx.op, ": y ", shapeStr(y.shape), " and dy ",
           shapeStr(dy.shape), " must have the reduced size ", g.outN, " of x ", shapeStr(x.shape));
  TN_CHECK(dx.size() == x.size(), Shape, ctx.op, ": dx ", shapeStr(dx.shape), " must have x's size ", x.size());
  if (x.size() == 0) return Status::ok();
  StoragePtr count;
  TN_RETURN_IF_ERROR(scratch(ctx, g.outN * sizeof(float), count));
  float* pc = static_cast<float*>(count->data());
  TN_RETURN_IF_ERROR(runReduce<SumOp>(ctx, g, LoadTie{x.data<float>(), y.data<float>()}, pc));
  // x's shape with the reduced dims at size 1, broadcast back over x: the group of each x element.
  Shape keep = x.shape;
  for (int d = 0; d < x.rank(); ++d)
    if (reduced[d]) keep[d] = 1;
  StridedIndexer<1> ix;
  TN_RETURN_IF_ERROR(makeIndexer<1>(ctx.op.c_str(), x.shape, {broadcastStrides(keep, x.shape)}, ix));
  selectBackward<<<gridFor(x.size()), kBlock, 0, streamOf(ctx)>>>(x.data<float>(), y.data<float>(), dy.data<float>(),
                                                                  pc, dx.data<float>(), x.size(), ix);
  return launchStatus(ctx.op.c_str());
}

// First index of the maximum (minimum) along the axis; NaN counts as the extreme (torch.argmax), as on the CPU.
template <bool kMin>
__global__ void argExtremeAlong(const float* __restrict__ x, int32_t* __restrict__ y, int64_t outer, int64_t mid,
                            int64_t inner) {
  TN_GRID_LOOP(j, outer * inner) {
    const float* p = x + (j / inner) * mid * inner + j % inner;
    float best = p[0];
    int32_t bi = 0;
    for (int64_t k = 1; k < mid && best == best; ++k) {
      float v = p[k * inner];
      if ((kMin ? v < best : v > best) || v != v) {
        best = v;
        bi = static_cast<int32_t>(k);
      }
    }
    y[j] = bi;
  }
}

template <bool kMin>
Status argExtremeKernel(KernelContext& ctx) {
  ArgmaxParams prm;
  TN_RETURN_IF_ERROR(readArgmaxParams(ctx, prm));
  if (prm.empty) return Status::ok();
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  const int64_t outer = prm.outer, mid = prm.mid, inner = prm.inner;
  argExtremeAlong<kMin><<<gridFor(outer * inner), kBlock, 0, streamOf(ctx)>>>(x.data<float>(), y.data<int32_t>(), outer,
                                                                              mid, inner);
  return launchStatus(ctx.op.c_str());
}

}  // namespace

Status sumColumns(const KernelContext& ctx, const float* m, int64_t rows, int64_t cols, float* out) {
  if (cols == 0) return Status::ok();
  if (rows == 0) {
    TN_CUDA_RETURN(cudaMemsetAsync(out, 0, cols * sizeof(float), streamOf(ctx)), ctx.op.c_str());
    return Status::ok();
  }
  ReduceGeom g;
  TN_RETURN_IF_ERROR(makeGeom(ctx, Shape{rows, cols}, {true, false}, g));
  return runReduce<SumOp>(ctx, g, LoadValue{m}, out);
}

TN_REGISTER_KERNEL(DeviceType::CUDA, "reduce_sum", (reduceKernel<SumOp, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "reduce_mean", (reduceKernel<MeanOp, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "reduce_max", (reduceKernel<MaxOp, true>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "reduce_min", (reduceKernel<MinOp, true>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "reduce_select_backward", reduceSelectBackwardKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "reduce_prod", (reduceKernel<ProdOp, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "argmax", argExtremeKernel<false>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "argmin", argExtremeKernel<true>);

}  // namespace cuda
}  // namespace tn
