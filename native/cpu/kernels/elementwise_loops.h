// CPU elementwise loops shared by the elementwise, math and logical kernel files: a broadcasting binary loop with fast
// paths, a ternary broadcast loop and a plain unary loop, all over contiguous data split across the thread pool.
#pragma once
#include <algorithm>

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

template <typename Op, typename T, typename R>
void binaryLoop(const TensorArg& a, const TensorArg& b, const TensorArg& y) {
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  R* py = y.data<R>();
  int64_t n = y.size();
  if (a.shape == y.shape && b.shape == y.shape) {
    parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) { for (int64_t i = s; i < e; ++i) py[i] = Op::f(pa[i], pb[i]); });
  } else if (a.shape == y.shape && b.size() == 1) {
    T vb = pb[0];
    parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) { for (int64_t i = s; i < e; ++i) py[i] = Op::f(pa[i], vb); });
  } else if (a.shape == y.shape && isTrailingBlock(b.shape, y.shape)) {
    // b repeats along the leading dims (a bias add over channels, say): index it modulo its size.
    const int64_t m = b.size();
    parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) {
      for (int64_t i = s, j = s % m; i < e; ++i, j = j + 1 == m ? 0 : j + 1) py[i] = Op::f(pa[i], pb[j]);
    });
  } else if (b.shape == y.shape && isTrailingBlock(a.shape, y.shape)) {
    const int64_t m = a.size();
    parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) {
      for (int64_t i = s, j = s % m; i < e; ++i, j = j + 1 == m ? 0 : j + 1) py[i] = Op::f(pa[j], pb[i]);
    });
  } else {
    Shape shapes[2] = {a.shape, b.shape};
    parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) {
      BroadcastWalker<2> w(y.shape, shapes, s);
      for (int64_t i = s; i < e; ++i, w.next()) py[i] = Op::f(pa[w.offset[0]], pb[w.offset[1]]);
    });
  }
}

// y[i] = Op::f(x[i]) over n elements.
template <typename Op, typename T, typename R, typename P>
void unaryLoop(const T* x, R* y, int64_t n, const P& p) {
  parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) { for (int64_t i = s; i < e; ++i) y[i] = Op::f(x[i], p); });
}

}  // namespace cpu
}  // namespace tn
