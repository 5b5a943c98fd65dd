// CPU kernels around the bool dtype (int32 0/1 storage): logical and/or/xor/not, the float predicates isnan/isfinite/
// isinf, and select (tfjs where: cond ? a : b, all three broadcast to the output).
#include <cmath>

#include "../../core/params/elementwise.h"
#include "elementwise_loops.h"

namespace tn {
namespace cpu {
namespace {

struct And { static int32_t f(int32_t a, int32_t b) { return a && b; } };
struct Or { static int32_t f(int32_t a, int32_t b) { return a || b; } };
struct Xor { static int32_t f(int32_t a, int32_t b) { return (a != 0) != (b != 0); } };

template <typename Op>
Status logicalBinaryKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkLogicalArgs(ctx));
  binaryLoop<Op, int32_t, int32_t>(ctx.in(0), ctx.in(1), ctx.out(0));
  return Status::ok();
}

struct Not { static int32_t f(int32_t x, int) { return !x; } };
struct IsNan { static int32_t f(float x, int) { return std::isnan(x); } };
struct IsFinite { static int32_t f(float x, int) { return std::isfinite(x); } };
struct IsInf { static int32_t f(float x, int) { return std::isinf(x); } };

template <typename Op, typename T>
Status predicateKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkPredicateArgs(ctx, std::is_same_v<T, float> ? DType::Float32 : DType::Bool));
  unaryLoop<Op>(ctx.in(0).data<T>(), ctx.out(0).data<int32_t>(), ctx.in(0).size(), 0);
  return Status::ok();
}

// y = cond ? a : b, moving 32-bit values unchanged (every dtype is 4 bytes).
Status selectKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkSelectArgs(ctx));
  const TensorArg &c = ctx.in(0), &a = ctx.in(1), &b = ctx.in(2), &y = ctx.out(0);
  const int32_t* pc = c.data<int32_t>();
  const uint32_t *pa = a.data<uint32_t>(), *pb = b.data<uint32_t>();
  uint32_t* py = y.data<uint32_t>();
  Shape shapes[3] = {c.shape, a.shape, b.shape};
  parallelFor(y.size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    BroadcastWalker<3> w(y.shape, shapes, s);
    for (int64_t i = s; i < e; ++i, w.next()) py[i] = pc[w.offset[0]] ? pa[w.offset[1]] : pb[w.offset[2]];
  });
  return Status::ok();
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "logical_and", logicalBinaryKernel<And>);
TN_REGISTER_KERNEL(DeviceType::CPU, "logical_or", logicalBinaryKernel<Or>);
TN_REGISTER_KERNEL(DeviceType::CPU, "logical_xor", logicalBinaryKernel<Xor>);
TN_REGISTER_KERNEL(DeviceType::CPU, "logical_not", (predicateKernel<Not, int32_t>));
TN_REGISTER_KERNEL(DeviceType::CPU, "is_nan", (predicateKernel<IsNan, float>));
TN_REGISTER_KERNEL(DeviceType::CPU, "is_finite", (predicateKernel<IsFinite, float>));
TN_REGISTER_KERNEL(DeviceType::CPU, "is_inf", (predicateKernel<IsInf, float>));
TN_REGISTER_KERNEL(DeviceType::CPU, "select", selectKernel);

}  // namespace cpu
}  // namespace tn
