// Attr reading and argument checks of the elementwise kernels, shared by the CPU and CUDA backends.
#include "elementwise.h"

namespace tn {

Status readUnaryParams(const KernelContext& ctx, UnaryParams& p) {
  double alpha = 0, beta = 0, lo = 0, hi = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("alpha", alpha));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("beta", beta));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("min", lo));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("max", hi));
  p = UnaryParams{static_cast<float>(alpha), static_cast<float>(beta), static_cast<float>(lo), static_cast<float>(hi)};
  return Status::ok();
}

Status checkBinaryArgs(const KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  const TensorArg &a = ctx.in(0), &b = ctx.in(1), &y = ctx.out(0);
  TN_CHECK(a.dtype == b.dtype, DType, ctx.op, ": inputs have different dtypes (", dtypeName(a.dtype), " vs ",
           dtypeName(b.dtype), ")");
  TN_CHECK(broadcastsTo(a.shape, y.shape) && broadcastsTo(b.shape, y.shape), Shape, ctx.op, ": shapes ",
           shapeStr(a.shape), " and ", shapeStr(b.shape), " do not broadcast to ", shapeStr(y.shape));
  return Status::ok();
}

Status checkLogicalArgs(const KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkBinaryArgs(ctx));
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.in(0), DType::Bool, "a"));
  return checkDType(ctx, ctx.out(0), DType::Bool, "out");
}

Status checkPredicateArgs(const KernelContext& ctx, DType in) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.in(0), in, "x"));
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.out(0), DType::Bool, "out"));
  TN_CHECK(ctx.in(0).size() == ctx.out(0).size(), Shape, ctx.op, ": output size differs from input");
  return Status::ok();
}

Status checkSelectArgs(const KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 3, 1));
  const TensorArg &c = ctx.in(0), &a = ctx.in(1), &b = ctx.in(2), &y = ctx.out(0);
  TN_RETURN_IF_ERROR(checkDType(ctx, c, DType::Bool, "condition"));
  TN_CHECK(a.dtype == b.dtype && a.dtype == y.dtype, DType, ctx.op, ": a, b and out must share one dtype (",
           dtypeName(a.dtype), ", ", dtypeName(b.dtype), ", ", dtypeName(y.dtype), ")");
  TN_CHECK(broadcastsTo(c.shape, y.shape) && broadcastsTo(a.shape, y.shape) && broadcastsTo(b.shape, y.shape), Shape,
           ctx.op, ": shapes ", shapeStr(c.shape), ", ", shapeStr(a.shape), " and ", shapeStr(b.shape),
           " do not broadcast to ", shapeStr(y.shape));
  return Status::ok();
}

}  // namespace tn
