// CUDA layout kernels that move 32-bit words without arithmetic: transpose, concat, slice, pad (any dtype).
#include <cstring>

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
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_CHECK(x.dtype == y.dtype, DType, "transpose: out dtype ", dtypeName(y.dtype), " differs from x ",
           dtypeName(x.dtype));
  std::vector<int64_t> perm;
  TN_RETURN_IF_ERROR(ctx.attrs.getInts("perm", perm));
  const int r = x.rank();
  TN_CHECK(static_cast<int>(perm.size()) == r && y.rank() == r, Shape, "transpose: perm has ", perm.size(),
           " entries, x ", shapeStr(x.shape), " and out ", shapeStr(y.shape), " must have that rank");
  std::vector<bool> seen(r, false);
  for (int i = 0; i < r; ++i) {
    TN_CHECK(perm[i] >= 0 && perm[i] < r && !seen[perm[i]], Value, "transpose: perm must be a permutation of 0..",
             r - 1);
    seen[perm[i]] = true;
    TN_CHECK(y.shape[i] == x.shape[perm[i]], Shape, "transpose: out ", shapeStr(y.shape), " does not match x ",
             shapeStr(x.shape), " permuted");
  }
  Shape xStrides = contiguousStrides(x.shape), src(r);
  for (int i = 0; i < r; ++i) src[i] = xStrides[perm[i]];
  return launchGather("transpose", x.storage->data(), y.storage->data(), y.shape, 0, src, streamOf(ctx));
}

// Each input is a [outer, chunk] block of rows copied into its column range of the [outer, rowY] output.
Status concatKernel(KernelContext& ctx) {
  TN_CHECK(!ctx.inputs.empty() && ctx.outputs.size() == 1, Internal, "concat: expected >= 1 inputs and 1 output, got ",
           ctx.inputs.size(), " and ", ctx.outputs.size());
  const TensorArg& y = ctx.out(0);
  TN_CHECK(y.rank() >= 1, Shape, "concat: out must have rank >= 1");
  int64_t axisAttr = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getInt("axis", axisAttr));
  TN_CHECK(axisAttr >= -y.rank() && axisAttr < y.rank(), Value, "concat: axis ", axisAttr,
           " is out of range for rank ", y.rank());
  const int axis = static_cast<int>(axisAttr < 0 ? axisAttr + y.rank() : axisAttr);
  int64_t total = 0;
  for (size_t i = 0; i < ctx.inputs.size(); ++i) {
    const TensorArg& x = ctx.in(i);
    TN_CHECK(x.dtype == y.dtype, DType, "concat: input ", i, " is ", dtypeName(x.dtype), ", out is ",
             dtypeName(y.dtype));
    TN_CHECK(x.rank() == y.rank(), Shape, "concat: input ", i, " ", shapeStr(x.shape), " has rank ", x.rank(),
             ", out ", shapeStr(y.shape), " has ", y.rank());
    for (int d = 0; d < y.rank(); ++d)
      TN_CHECK(d == axis || x.shape[d] == y.shape[d], Shape, "concat: input ", i, " ", shapeStr(x.shape),
               " differs from out ", shapeStr(y.shape), " in dim ", d);
    total += x.shape[axis];
  }
  TN_CHECK(total == y.shape[axis], Shape, "concat: inputs sum to ", total, " along axis ", axis, ", out has ",
           y.shape[axis]);
  if (y.size() == 0) return Status::ok();
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= y.shape[d];
  for (int d = axis + 1; d < y.rank(); ++d) inner *= y.shape[d];
  const size_t rowY = static_cast<size_t>(y.shape[axis] * inner) * sizeof(Word);
  uint8_t* py = static_cast<uint8_t*>(y.storage->data());
  size_t at = 0;
  for (const TensorArg& x : ctx.inputs) {
    const size_t chunk = static_cast<size_t>(x.shape[axis] * inner) * sizeof(Word);
    if (chunk)
      TN_CUDA_RETURN(cudaMemcpy2DAsync(py + at, rowY, x.storage->data(), chunk, chunk, static_cast<size_t>(outer),
                                       cudaMemcpyDeviceToDevice, streamOf(ctx)), "concat");
    at += chunk;
  }
  return Status::ok();
}

Status sliceKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_CHECK(x.dtype == y.dtype, DType, "slice: out dtype ", dtypeName(y.dtype), " differs from x ", dtypeName(x.dtype));
  std::vector<int64_t> begin;
  TN_RETURN_IF_ERROR(ctx.attrs.getInts("begin", begin));
  const int r = x.rank();
  TN_CHECK(static_cast<int>(begin.size()) == r && y.rank() == r, Shape, "slice: begin has ", begin.size(),
           " entries, x ", shapeStr(x.shape), " and out ", shapeStr(y.shape), " must have that rank");
  for (int d = 0; d < r; ++d)
    TN_CHECK(begin[d] >= 0 && begin[d] + y.shape[d] <= x.shape[d], Shape, "slice: begin ", begin[d], " + size ",
             y.shape[d], " exceeds x ", shapeStr(x.shape), " in dim ", d);
  return launchSlice("slice", x.storage->data(), x.shape, y.storage->data(), y.shape, begin, streamOf(ctx));
}

Status padKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_CHECK(x.dtype == y.dtype, DType, "pad: out dtype ", dtypeName(y.dtype), " differs from x ", dtypeName(x.dtype));
  std::vector<int64_t> before;
  TN_RETURN_IF_ERROR(ctx.attrs.getInts("before", before));
  double value = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("value", value));
  const int r = x.rank();
  TN_CHECK(static_cast<int>(before.size()) == r && y.rank() == r, Shape, "pad: before has ", before.size(),
           " entries, x ", shapeStr(x.shape), " and out ", shapeStr(y.shape), " must have that rank");
  for (int d = 0; d < r; ++d)
    TN_CHECK(before[d] >= 0 && before[d] + x.shape[d] <= y.shape[d], Shape, "pad: before ", before[d], " + x ",
             shapeStr(x.shape), " exceeds out ", shapeStr(y.shape), " in dim ", d);
  uint32_t fill;
  if (y.dtype == DType::Float32) {
    float f = static_cast<float>(value);
    std::memcpy(&fill, &f, sizeof f);
  } else {
    int32_t v = static_cast<int32_t>(value);
    std::memcpy(&fill, &v, sizeof v);
  }
  return launchPad("pad", x.storage->data(), x.shape, y.storage->data(), y.shape, before, fill, streamOf(ctx));
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CUDA, "transpose", transposeKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "concat", concatKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "slice", sliceKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "pad", padKernel);

}  // namespace cuda
}  // namespace tn
