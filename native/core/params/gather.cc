// Attr reading and argument checks of gather, scatter_add, cumsum and topk (CPU and CUDA read them the same way).
#include "gather.h"

#include <limits>

#include "axis.h"

namespace tn {

// The [outer, n, inner] split of `full` at `axis`, and m = the index count; `part` must be [outer, m, inner].
static Status splitGather(const KernelContext& ctx, const TensorArg& full, const TensorArg& indices, const TensorArg& part,
                          GatherParams& p) {
  TN_RETURN_IF_ERROR(checkDType(ctx, indices, DType::Int32, "indices"));
  int64_t axisAttr = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getInt("axis", axisAttr));
  TN_CHECK(full.rank() > 0, Shape, ctx.op, ": the indexed tensor must have rank >= 1");
  int axis = 0;
  TN_RETURN_IF_ERROR(normalizeAxis(ctx, axisAttr, full.rank(), axis));
  splitAtAxis(full.shape, axis, p.outer, p.n, p.inner);
  p.m = indices.size();
  TN_CHECK(part.size() == p.outer * p.m * p.inner, Shape, ctx.op, ": ", shapeStr(part.shape), " must have ",
           p.outer * p.m * p.inner, " elements (", p.m, " indices into axis ", axis, " of ", shapeStr(full.shape), ")");
  TN_CHECK(full.dtype == part.dtype, DType, ctx.op, ": dtypes differ (", dtypeName(full.dtype), " vs ",
           dtypeName(part.dtype), ")");
  return Status::ok();
}

Status readGatherParams(const KernelContext& ctx, GatherParams& p) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  return splitGather(ctx, ctx.in(0), ctx.in(1), ctx.out(0), p);
}

Status readScatterAddParams(const KernelContext& ctx, GatherParams& p) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  TN_CHECK(ctx.out(0).dtype != DType::Bool, DType, ctx.op, ": out must be float32 or int32, got bool");
  return splitGather(ctx, ctx.out(0), ctx.in(1), ctx.in(0), p);
}

Status readCumsumParams(const KernelContext& ctx, CumsumParams& p) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_CHECK(x.dtype != DType::Bool && x.dtype == y.dtype, DType, ctx.op, ": x and out must both be float32 or int32 (",
           dtypeName(x.dtype), ", ", dtypeName(y.dtype), ")");
  TN_CHECK(x.shape == y.shape, Shape, ctx.op, ": out ", shapeStr(y.shape), " differs from x ", shapeStr(x.shape));
  int64_t axisAttr = 0, exclusive = 0, reverse = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getInt("axis", axisAttr));
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("exclusive", exclusive));
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("reverse", reverse));
  TN_CHECK(x.rank() > 0, Shape, ctx.op, ": x must have rank >= 1");
  int axis = 0;
  TN_RETURN_IF_ERROR(normalizeAxis(ctx, axisAttr, x.rank(), axis));
  splitAtAxis(x.shape, axis, p.outer, p.mid, p.inner);
  p.exclusive = exclusive != 0;
  p.reverse = reverse != 0;
  return Status::ok();
}

Status readTopkParams(const KernelContext& ctx, TopkParams& p) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 2));
  const TensorArg &x = ctx.in(0), &v = ctx.out(0), &idx = ctx.out(1);
  TN_CHECK(x.dtype != DType::Bool && v.dtype == x.dtype, DType, ctx.op, ": x and values must both be float32 or int32");
  TN_RETURN_IF_ERROR(checkDType(ctx, idx, DType::Int32, "indices"));
  TN_CHECK(x.rank() == 2 && v.rank() == 2 && idx.shape == v.shape && v.dim(0) == x.dim(0) && v.dim(1) <= x.dim(1), Shape,
           ctx.op, ": expected x [rows, n], values and indices [rows, k <= n], got ", shapeStr(x.shape), ", ",
           shapeStr(v.shape), ", ", shapeStr(idx.shape));
  TN_CHECK(x.dim(1) <= std::numeric_limits<int32_t>::max(), Shape, ctx.op, ": rows too long for int32 indices");
  p.rows = x.dim(0);
  p.n = x.dim(1);
  p.k = v.dim(1);
  return Status::ok();
}

}  // namespace tn
