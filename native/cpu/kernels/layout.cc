// CPU layout kernels that move elements without arithmetic: transpose, concat, slice, pad (any 4-byte dtype).
#include <algorithm>
#include <cstring>
#include <vector>

#include "../../core/params/layout.h"
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
  std::vector<int64_t> perm;
  TN_RETURN_IF_ERROR(readTransposeParams(ctx, perm));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  const int r = x.rank();
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
  int axis = 0;
  TN_RETURN_IF_ERROR(readConcatParams(ctx, axis));
  const TensorArg& y = ctx.out(0);
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
  std::vector<int64_t> begin;
  TN_RETURN_IF_ERROR(readSliceParams(ctx, begin));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
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
  std::vector<int64_t> before;
  Word fillWord;
  TN_RETURN_IF_ERROR(readPadParams(ctx, before, fillWord));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  if (y.size() == 0) return Status::ok();
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
