// Argument checks of the softmax kernels, shared by the CPU and CUDA backends.
#include "softmax.h"

#include "axis.h"

namespace tn {
namespace {

// Reads the axis attr and splits `shape` into [outer, mid, inner] around it.
Status axisSplit(const KernelContext& ctx, const Shape& shape, SoftmaxRows& r) {
  int64_t axisAttr = -1;
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("axis", axisAttr));
  TN_CHECK(!shape.empty(), Shape, ctx.op, ": x must have rank >= 1");
  int axis = 0;
  TN_RETURN_IF_ERROR(normalizeAxis(ctx, axisAttr, static_cast<int>(shape.size()), axis));
  splitAtAxis(shape, axis, r.outer, r.mid, r.inner);
  return Status::ok();
}

}  // namespace

Status readSoftmaxArgs(const KernelContext& ctx, SoftmaxRows& r) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_RETURN_IF_ERROR(checkDType(ctx, x, DType::Float32, "x"));
  TN_RETURN_IF_ERROR(checkDType(ctx, y, DType::Float32, "out"));
  TN_CHECK(x.size() == y.size(), Shape, ctx.op, ": out ", shapeStr(y.shape), " differs in size from x ",
           shapeStr(x.shape));
  return axisSplit(ctx, x.shape, r);
}

Status readSoftmaxBackwardArgs(const KernelContext& ctx, SoftmaxRows& r) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  const TensorArg &y = ctx.in(0), &dy = ctx.in(1), &dx = ctx.out(0);
  for (const TensorArg* t : {&y, &dy, &dx}) TN_RETURN_IF_ERROR(checkDType(ctx, *t, DType::Float32, "y/dy/dx"));
  TN_CHECK(y.size() == dy.size() && y.size() == dx.size(), Shape, ctx.op, ": y ", shapeStr(y.shape), ", dy ",
           shapeStr(dy.shape), " and dx ", shapeStr(dx.shape), " must have the same size");
  return axisSplit(ctx, y.shape, r);
}

}  // namespace tn
