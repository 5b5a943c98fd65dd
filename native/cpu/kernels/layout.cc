// CPU layout kernels that move elements without arithmetic: transpose, concat, slice, pad (any 4-byte dtype).
#include <algorithm>
#include <cstring>
#include <vector>

#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

// Both dtypes are 4 bytes, so layout kernels move raw 32-bit words.
using Word = uint32_t;

// Rank-0 tensors are handled as [1] so every kernel below can assume a last dim.
Shape atLeast1D(const Shape& s) { return s.empty() ? Shape{1} : s; }

// Calls fn(row, index) for rows [s, e) of `shape` (all dims but the last); `index` holds the row's leading indices.
template <typename Fn>
void forRows(const Shape& shape, int64_t s, int64_t e, const Fn& fn) {
  const int lead = static_cast<int>(shape.size()) - 1;
  std::vector<int64_t> index(lead, 0);
  int64_t rem = s;
  for (int d = lead - 1; d >= 0; --d) {
    index[d] = rem % shape[d];
    rem /= shape[d];
  }
  for (int64_t row = s; row < e; ++row) {
    fn(row, index);
    for (int d = lead - 1; d >= 0; --d) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
}

int64_t rowGrain(int64_t rowLen) { return std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(rowLen, 1)); }

Status transposeKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_CHECK(x.dtype == y.dtype, DType, "transpose: out dtype ", dtypeName(y.dtype), " differs from x ", dtypeName(x.dtype));
  std::vector<int64_t> perm;
  TN_RETURN_IF_ERROR(ctx.attrs.getInts("perm", perm));
  const int r = x.rank();
  TN_CHECK(static_cast<int>(perm.size()) == r && y.rank() == r, Shape, "transpose: perm has ", perm.size(),
           " entries, x ", shapeStr(x.shape), " and out ", shapeStr(y.shape), " must have that rank");
  std::vector<bool> seen(r, false);
  for (int i = 0; i < r; ++i) {
    TN_CHECK(perm[i] >= 0 && perm[i] < r && !seen[perm[i]], Value, "transpose: perm must be a permutation of 0..", r - 1);
    seen[perm[i]] = true;
    TN_CHECK(y.shape[i] == x.shape[perm[i]], Shape, "transpose: out ", shapeStr(y.shape), " does not match x ",
             shapeStr(x.shape), " permuted");
  }
  if (y.size() == 0) return Status::ok();
  const Word* px = x.data<Word>();
  Word* py = y.data<Word>();
  if (r == 0) {
    py[0] = px[0];
    return Status::ok();
  }
  Shape xStrides = contiguousStrides(x.shape), src(r);  // src[i]: x stride of y's dim i
  for (int i = 0; i < r; ++i) src[i] = xStrides[perm[i]];
  const int64_t last = y.shape[r - 1], lastStride = src[r - 1], rows = y.size() / last;
  parallelFor(rows, rowGrain(last), [&](int64_t s, int64_t e) {
    forRows(y.shape, s, e, [&](int64_t row, const std::vector<int64_t>& idx) {
      int64_t off = 0;
      for (int d = 0; d < r - 1; ++d) off += idx[d] * src[d];
      Word* out = py + row * last;
      if (lastStride == 1) std::memcpy(out, px + off, last * sizeof(Word));
      else for (int64_t k = 0; k < last; ++k) out[k] = px[off + k * lastStride];
    });
  });
  return Status::ok();
}

Status concatKernel(KernelContext& ctx) {
  TN_CHECK(!ctx.inputs.empty() && ctx.outputs.size() == 1, Internal, "concat: expected >= 1 inputs and 1 output, got ",
           ctx.inputs.size(), " and ", ctx.outputs.size());
  const TensorArg& y = ctx.out(0);
  TN_CHECK(y.rank() >= 1, Shape, "concat: out must have rank >= 1");
  int64_t axisAttr = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getInt("axis", axisAttr));
  int axis = 0;
  TN_RETURN_IF_ERROR(normalizeAxis(ctx, axisAttr, y.rank(), axis));
  int64_t total = 0;
  for (size_t i = 0; i < ctx.inputs.size(); ++i) {
    const TensorArg& x = ctx.in(i);
    TN_CHECK(x.dtype == y.dtype, DType, "concat: input ", i, " is ", dtypeName(x.dtype), ", out is ", dtypeName(y.dtype));
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
  int64_t outer, mid, inner;
  splitAtAxis(y.shape, axis, outer, mid, inner);
  const int64_t rowY = mid * inner;
  Word* py = y.data<Word>();
  parallelFor(outer, rowGrain(rowY), [&](int64_t s, int64_t e) {
    for (int64_t o = s; o < e; ++o) {
      int64_t at = 0;
      for (const TensorArg& x : ctx.inputs) {
        const int64_t chunk = x.shape[axis] * inner;
        if (chunk) std::memcpy(py + o * rowY + at, x.data<Word>() + o * chunk, chunk * sizeof(Word));
        at += chunk;
      }
    }
  });
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
  if (y.size() == 0) return Status::ok();
  const Shape xs = atLeast1D(x.shape), ys = atLeast1D(y.shape);
  if (begin.empty()) begin.push_back(0);
  const int rr = static_cast<int>(ys.size());
  const Shape xStrides = contiguousStrides(xs);
  const int64_t last = ys[rr - 1], rows = y.size() / last;
  const Word* px = x.data<Word>();
  Word* py = y.data<Word>();
  parallelFor(rows, rowGrain(last), [&](int64_t s, int64_t e) {
    forRows(ys, s, e, [&](int64_t row, const std::vector<int64_t>& idx) {
      int64_t off = begin[rr - 1];
      for (int d = 0; d < rr - 1; ++d) off += (idx[d] + begin[d]) * xStrides[d];
      std::memcpy(py + row * last, px + off, last * sizeof(Word));
    });
  });
  return Status::ok();
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
  if (y.size() == 0) return Status::ok();
  Word fillWord;
  if (y.dtype == DType::Float32) {
    float f = static_cast<float>(value);
    std::memcpy(&fillWord, &f, sizeof f);
  } else {
    int32_t v = static_cast<int32_t>(value);
    std::memcpy(&fillWord, &v, sizeof v);
  }
  const Shape xs = atLeast1D(x.shape), ys = atLeast1D(y.shape);
  if (before.empty()) before.push_back(0);
  const int rr = static_cast<int>(ys.size());
  const Shape xStrides = contiguousStrides(xs);
  const int64_t last = ys[rr - 1], xLast = xs[rr - 1], b = before[rr - 1], rows = y.size() / last;
  const Word* px = x.data<Word>();
  Word* py = y.data<Word>();
  parallelFor(rows, rowGrain(last), [&](int64_t s, int64_t e) {
    forRows(ys, s, e, [&](int64_t row, const std::vector<int64_t>& idx) {
      Word* out = py + row * last;
      int64_t off = 0;
      bool inside = xLast > 0;
      for (int d = 0; d < rr - 1 && inside; ++d) {
        int64_t i = idx[d] - before[d];
        inside = i >= 0 && i < xs[d];
        off += i * xStrides[d];
      }
      if (!inside) {
        std::fill(out, out + last, fillWord);
        return;
      }
      std::fill(out, out + b, fillWord);
      std::memcpy(out + b, px + off, xLast * sizeof(Word));
      std::fill(out + b + xLast, out + last, fillWord);
    });
  });
  return Status::ok();
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "transpose", transposeKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "concat", concatKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "slice", sliceKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "pad", padKernel);

}  // namespace cpu
}  // namespace tn
