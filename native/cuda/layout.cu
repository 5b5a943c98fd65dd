// CUDA layout kernels that move 32-bit words without arithmetic: transpose, concat, slice, pad (any dtype).
#include <cstring>

#include "../core/params/layout.h"
#include "cuda_launch.cuh"
#include "layout.h"

namespace tn {
namespace cuda {

namespace {

using Word = uint32_t;  // both dtypes are 4 bytes

// out[i] = in[offset + strided offset of i]: transpose (permuted strides) and slice (x strides from `begin`).
__global__ void gatherWords(const Word* __restrict__ x, Word* __restrict__ y, int64_t n, int64_t base,
                            StridedIndexer<1> ix) {
  TN_GRID_LOOP(i, n) {
    int64_t off[1];
    stridedOffsets(ix, i, off);
    y[i] = x[base + off[0]];
  }
}

// For each y element: its x coordinate is y's minus `before`; inside x it copies, outside it fills.
struct PadGeometry {
  int rank = 0;
  int64_t yShape[kMaxDims] = {}, xShape[kMaxDims] = {}, xStride[kMaxDims] = {}, before[kMaxDims] = {};
};

__global__ void padWords(const Word* __restrict__ x, Word* __restrict__ y, int64_t n, PadGeometry g, Word fill) {
  TN_GRID_LOOP(i, n) {
    int64_t rem = i, off = 0;
    bool inside = true;
#pragma unroll
    for (int d = kMaxDims - 1; d >= 0; --d) {
      if (d >= g.rank) continue;
      int64_t c = rem % g.yShape[d] - g.before[d];
      rem /= g.yShape[d];
      inside = inside && c >= 0 && c < g.xShape[d];
      off += c * g.xStride[d];
    }
    y[i] = inside ? x[off] : fill;
  }
}

// Copies a [rows, chunk] block of words into columns [at, at + chunk) of a [rows, rowY] matrix. A kernel rather than
// cudaMemcpy2DAsync, whose pitch may not exceed the device's max pitch (~2^31 bytes): a large concat on axis 0 would.
__global__ void copyRows(const Word* __restrict__ x, Word* __restrict__ y, int64_t rows, int64_t chunk, int64_t rowY,
                         int64_t at) {
  TN_GRID_LOOP(i, rows * chunk) y[(i / chunk) * rowY + at + i % chunk] = x[i];
}

Status launchGather(const char* op, const void* x, void* y, const Shape& ys, int64_t base, const Shape& srcStrides,
                    cudaStream_t stream) {
  int64_t n = numel(ys);
  if (n == 0) return Status::ok();
  StridedIndexer<1> ix;
  TN_RETURN_IF_ERROR(makeIndexer<1>(op, ys, {srcStrides}, ix));
  gatherWords<<<gridFor(n), kBlock, 0, stream>>>(static_cast<const Word*>(x), static_cast<Word*>(y), n, base, ix);
  return launchStatus(op);
}

}  // namespace

Status launchSlice(const char* op, const void* x, const Shape& xs, void* y, const Shape& ys,
                   const std::vector<int64_t>& begin, cudaStream_t stream) {
  Shape xStrides = contiguousStrides(xs);
  int64_t base = 0;
  for (size_t d = 0; d < xs.size(); ++d) base += begin[d] * xStrides[d];
  return launchGather(op, x, y, ys, base, xStrides, stream);
}

Status launchPad(const char* op, const void* x, const Shape& xs, void* y, const Shape& ys,
                 const std::vector<int64_t>& before, uint32_t fill, cudaStream_t stream) {
  int64_t n = numel(ys);
  if (n == 0) return Status::ok();
  TN_CHECK(ys.size() <= static_cast<size_t>(kMaxDims), Shape, op, ": rank ", ys.size(), " exceeds the ", kMaxDims,
           " dims the CUDA pad kernel supports");
  PadGeometry g;
  g.rank = static_cast<int>(ys.size());
  Shape xStrides = contiguousStrides(xs);
  for (int d = 0; d < g.rank; ++d) {
    g.yShape[d] = ys[d];
    g.xShape[d] = xs[d];
    g.xStride[d] = xStrides[d];
    g.before[d] = before[d];
  }
  padWords<<<gridFor(n), kBlock, 0, stream>>>(static_cast<const Word*>(x), static_cast<Word*>(y), n, g, fill);
  return launchStatus(op);
}

namespace {

Status transposeKernel(KernelContext& ctx) {
  std::vector<int64_t> perm;
  TN_RETURN_IF_ERROR(readTransposeParams(ctx, perm));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  const int r = x.rank();
  Shape xStrides = contiguousStrides(x.shape), src(r);
  for (int i = 0; i < r; ++i) src[i] = xStrides[perm[i]];
  return launchGather("transpose", x.storage->data(), y.storage->data(), y.shape, 0, src, streamOf(ctx));
}

// Each input is a [outer, chunk] block of rows copied into its column range of the [outer, rowY] output.
Status concatKernel(KernelContext& ctx) {
  int axis = 0;
  TN_RETURN_IF_ERROR(readConcatParams(ctx, axis));
  const TensorArg& y = ctx.out(0);
  if (y.size() == 0) return Status::ok();
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= y.shape[d];
  for (int d = axis + 1; d < y.rank(); ++d) inner *= y.shape[d];
  const int64_t rowY = y.shape[axis] * inner;
  Word* py = y.data<Word>();
  int64_t at = 0;
  for (const TensorArg& x : ctx.inputs) {
    const int64_t chunk = x.shape[axis] * inner;
    if (chunk && outer == 1) {  // one contiguous block
      TN_CUDA_RETURN(cudaMemcpyAsync(py + at, x.storage->data(), static_cast<size_t>(chunk) * sizeof(Word),
                                     cudaMemcpyDeviceToDevice, streamOf(ctx)), "concat");
    } else if (chunk) {
      copyRows<<<gridFor(outer * chunk), kBlock, 0, streamOf(ctx)>>>(x.data<Word>(), py, outer, chunk, rowY, at);
      TN_RETURN_IF_ERROR(launchStatus("concat"));
    }
    at += chunk;
  }
  return Status::ok();
}

Status sliceKernel(KernelContext& ctx) {
  std::vector<int64_t> begin;
  TN_RETURN_IF_ERROR(readSliceParams(ctx, begin));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  return launchSlice("slice", x.storage->data(), x.shape, y.storage->data(), y.shape, begin, streamOf(ctx));
}

Status padKernel(KernelContext& ctx) {
  std::vector<int64_t> before;
  uint32_t fill;
  TN_RETURN_IF_ERROR(readPadParams(ctx, before, fill));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  return launchPad("pad", x.storage->data(), x.shape, y.storage->data(), y.shape, before, fill, streamOf(ctx));
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CUDA, "transpose", transposeKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "concat", concatKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "slice", sliceKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "pad", padKernel);

}  // namespace cuda
}  // namespace tn
