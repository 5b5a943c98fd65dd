// CUDA elementwise launchers shared by elementwise.cu and logical.cu: a broadcasting binary (same-shape fast path) and
// a plain unary, both grid-stride loops.
#pragma once
#include "cuda_launch.cuh"

namespace tn {
namespace cuda {

template <typename Op, typename T, typename R>
__global__ void binarySameShape(const T* __restrict__ a, const T* __restrict__ b, R* __restrict__ y, int64_t n) {
  TN_GRID_LOOP(i, n) y[i] = Op::f(a[i], b[i]);
}

template <typename Op, typename T, typename R>
__global__ void binaryBroadcast(const T* __restrict__ a, const T* __restrict__ b, R* __restrict__ y, int64_t n,
                                StridedIndexer<2> ix) {
  TN_GRID_LOOP(i, n) {
    int64_t off[2];
    stridedOffsets(ix, i, off);
    y[i] = Op::f(a[off[0]], b[off[1]]);
  }
}

template <typename Op, typename T, typename R>
Status launchBinary(const KernelContext& ctx, const TensorArg& a, const TensorArg& b, const TensorArg& y) {
  int64_t n = y.size();
  if (n == 0) return Status::ok();
  cudaStream_t s = streamOf(ctx);
  if (a.shape == y.shape && b.shape == y.shape) {
    binarySameShape<Op, T, R><<<gridFor(n), kBlock, 0, s>>>(a.data<T>(), b.data<T>(), y.data<R>(), n);
  } else {
    StridedIndexer<2> ix;
    TN_RETURN_IF_ERROR(makeIndexer<2>(ctx.op.c_str(), y.shape,
                                      {broadcastStrides(a.shape, y.shape), broadcastStrides(b.shape, y.shape)}, ix));
    binaryBroadcast<Op, T, R><<<gridFor(n), kBlock, 0, s>>>(a.data<T>(), b.data<T>(), y.data<R>(), n, ix);
  }
  return launchStatus(ctx.op.c_str());
}

// y[i] = Op::f(x[i], p) over n elements.
template <typename Op, typename T, typename R, typename P>
__global__ void unaryMap(const T* __restrict__ x, R* __restrict__ y, int64_t n, P p) {
  TN_GRID_LOOP(i, n) y[i] = Op::f(x[i], p);
}

}  // namespace cuda
}  // namespace tn
