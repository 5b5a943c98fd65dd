// CPU elementwise loops shared by the elementwise and logical kernel files: a broadcasting binary loop with
// multiversioned fast paths (same shape, scalar operand, repeated row) and a unary loop, split across the thread pool.
#pragma once
#include <algorithm>

#include "../simd.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {

// True when `in` (leading 1s aside) equals the trailing dims of `out`, so it repeats as one contiguous block.
inline bool isTrailingBlock(const Shape& in, const Shape& out) {
  size_t lead = 0;
  while (lead < in.size() && in[lead] == 1) ++lead;
  size_t rest = in.size() - lead;
  if (rest == 0 || rest > out.size()) return false;
  return std::equal(in.begin() + lead, in.end(), out.end() - rest);
}

// The vectorizable inner loops, cloned per instruction set (simd.h). Strides are 0 or 1 so that one loop serves
// same-shape, scalar-operand and repeated-row operands.
template <typename Op, typename T, typename R>
TN_MULTIVERSION void binarySpan(const T* a, int64_t sa, const T* b, int64_t sb, R* y, int64_t n) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) y[i] = Op::f(a[i], b[i]);
  } else if (sa == 1) {
    const T vb = b[0];
    for (int64_t i = 0; i < n; ++i) y[i] = Op::f(a[i], vb);
  } else {
    const T va = a[0];
    for (int64_t i = 0; i < n; ++i) y[i] = Op::f(va, b[i]);
  }
}

// Rows of `full` (length m each) combined with the one repeated row `block`; `blockFirst` puts it on the left.
template <typename Op, typename T, typename R>
TN_MULTIVERSION void binaryRows(const T* full, const T* block, bool blockFirst, R* y, int64_t rows, int64_t m) {
  for (int64_t r = 0; r < rows; ++r) {
    const T* f = full + r * m;
    R* out = y + r * m;
    if (blockFirst) {
      for (int64_t j = 0; j < m; ++j) out[j] = Op::f(block[j], f[j]);
    } else {
      for (int64_t j = 0; j < m; ++j) out[j] = Op::f(f[j], block[j]);
    }
  }
}

template <typename Op, typename T, typename R>
void binaryLoop(const TensorArg& a, const TensorArg& b, const TensorArg& y) {
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  R* py = y.data<R>();
  int64_t n = y.size();
  if (n == 0) return;
  const bool aFull = a.shape == y.shape, bFull = b.shape == y.shape;
  if ((aFull && (bFull || b.size() == 1)) || (bFull && a.size() == 1)) {
    const int64_t sa = aFull ? 1 : 0, sb = bFull ? 1 : 0;
    parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) {
      binarySpan<Op, T, R>(pa + sa * s, sa, pb + sb * s, sb, py + s, e - s);
    });
  } else if ((aFull && isTrailingBlock(b.shape, y.shape)) || (bFull && isTrailingBlock(a.shape, y.shape))) {
    // One operand repeats along the leading dims (a bias add over channels, say): whole rows, vectorized per row.
    const T* full = aFull ? pa : pb;
    const T* block = aFull ? pb : pa;
    const int64_t m = aFull ? b.size() : a.size();
    parallelFor(n / m, std::max<int64_t>(1, kElementwiseGrain / m), [&](int64_t r0, int64_t r1) {
      binaryRows<Op, T, R>(full + r0 * m, block, !aFull, py + r0 * m, r1 - r0, m);
    });
  } else {
    Shape shapes[2] = {a.shape, b.shape};
    parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) {
      BroadcastWalker<2> w(y.shape, shapes, s);
      for (int64_t i = s; i < e; ++i, w.next()) py[i] = Op::f(pa[w.offset[0]], pb[w.offset[1]]);
    });
  }
}

// y[i] = Op::f(x[i], p) over n elements, vectorized per chunk.
template <typename Op, typename T, typename R, typename P>
TN_MULTIVERSION void unarySpan(const T* x, R* y, int64_t n, const P& p) {
  for (int64_t i = 0; i < n; ++i) y[i] = Op::f(x[i], p);
}

template <typename Op, typename T, typename R, typename P>
void unaryLoop(const T* x, R* y, int64_t n, const P& p) {
  parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) { unarySpan<Op>(x + s, y + s, e - s, p); });
}

}  // namespace cpu
}  // namespace tn
