// CUDA kernels around the bool dtype (int32 0/1 storage): logical and/or/xor/not, isnan/isfinite/isinf, and select
// (tfjs where); the same rules as native/cpu/kernels/logical.cc.
#include "../core/params/elementwise.h"
#include "elementwise_launch.cuh"

namespace tn {
namespace cuda {
namespace {

struct And { __device__ static int32_t f(int32_t a, int32_t b) { return a && b; } };
struct Or { __device__ static int32_t f(int32_t a, int32_t b) { return a || b; } };
struct Xor { __device__ static int32_t f(int32_t a, int32_t b) { return (a != 0) != (b != 0); } };

template <typename Op>
Status logicalBinaryKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkLogicalArgs(ctx));
  return launchBinary<Op, int32_t, int32_t>(ctx, ctx.in(0), ctx.in(1), ctx.out(0));
}

struct Not { __device__ static int32_t f(int32_t x, int) { return !x; } };
struct IsNan { __device__ static int32_t f(float x, int) { return isnan(x); } };
struct IsFinite { __device__ static int32_t f(float x, int) { return isfinite(x); } };
struct IsInf { __device__ static int32_t f(float x, int) { return isinf(x); } };

template <typename Op, typename T>
Status predicateKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkPredicateArgs(ctx, std::is_same<T, float>::value ? DType::Float32 : DType::Bool));
  int64_t n = ctx.in(0).size();
  if (n == 0) return Status::ok();
  unaryMap<Op, T, int32_t, int><<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.in(0).data<T>(), ctx.out(0).data<int32_t>(), n, 0);
  return launchStatus(ctx.op.c_str());
}

// y = cond ? a : b over 32-bit values (every dtype is 4 bytes).
__global__ void selectValues(const int32_t* __restrict__ c, const uint32_t* __restrict__ a, const uint32_t* __restrict__ b,
                             uint32_t* __restrict__ y, int64_t n, StridedIndexer<3> ix) {
  TN_GRID_LOOP(i, n) {
    int64_t off[3];
    stridedOffsets(ix, i, off);
    y[i] = c[off[0]] ? a[off[1]] : b[off[2]];
  }
}

Status selectKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkSelectArgs(ctx));
  const TensorArg &c = ctx.in(0), &a = ctx.in(1), &b = ctx.in(2), &y = ctx.out(0);
  int64_t n = y.size();
  if (n == 0) return Status::ok();
  StridedIndexer<3> ix;
  TN_RETURN_IF_ERROR(makeIndexer<3>(ctx.op.c_str(), y.shape,
                                    {broadcastStrides(c.shape, y.shape), broadcastStrides(a.shape, y.shape),
                                     broadcastStrides(b.shape, y.shape)}, ix));
  selectValues<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(c.data<int32_t>(), a.data<uint32_t>(), b.data<uint32_t>(),
                                                        y.data<uint32_t>(), n, ix);
  return launchStatus(ctx.op.c_str());
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CUDA, "logical_and", logicalBinaryKernel<And>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "logical_or", logicalBinaryKernel<Or>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "logical_xor", logicalBinaryKernel<Xor>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "logical_not", (predicateKernel<Not, int32_t>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "is_nan", (predicateKernel<IsNan, float>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "is_finite", (predicateKernel<IsFinite, float>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "is_inf", (predicateKernel<IsInf, float>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "select", selectKernel);

}  // namespace cuda
}  // namespace tn
