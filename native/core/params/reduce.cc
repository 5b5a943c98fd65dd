// Attr reading and shape analysis of the reduction kernels, shared by the CPU and CUDA backends.
#include "reduce.h"

#include <limits>

#include "axis.h"

namespace tn {

Status readReduceAxes(const KernelContext& ctx, int rank, std::vector<bool>& reduced) {
  std::vector<int64_t> axes;
  TN_RETURN_IF_ERROR(ctx.attrs.getInts("axes", axes));
  reduced.assign(rank, false);
  for (size_t i = 0; i < axes.size(); ++i) {
    TN_CHECK(axes[i] >= 0 && axes[i] < rank, Value, ctx.op, ": axis ", axes[i], " is out of range for rank ", rank);
    TN_CHECK(i == 0 || axes[i] > axes[i - 1], Value, ctx.op, ": axes must be sorted and unique");
    reduced[axes[i]] = true;
  }
  return Status::ok();
}

ReduceGroups mergeReduceGroups(const Shape& shape, const std::vector<bool>& reduced) {
  ReduceGroups r;
  for (size_t d = 0; d < shape.size(); ++d) {
    (reduced[d] ? r.redN : r.outN) *= shape[d];
    if (shape[d] == 1) continue;
    if (!r.groups.empty() && r.groups.back().second == reduced[d]) r.groups.back().first *= shape[d];
    else r.groups.push_back({shape[d], reduced[d]});
  }
  return r;
}

Status readArgmaxParams(const KernelContext& ctx, ArgmaxParams& p) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_RETURN_IF_ERROR(checkDType(ctx, x, DType::Float32, "x"));
  TN_RETURN_IF_ERROR(checkDType(ctx, y, DType::Int32, "out"));
  int64_t axisAttr = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getInt("axis", axisAttr));
  TN_CHECK(x.rank() > 0, Shape, ctx.op, ": x must have rank >= 1");
  TN_RETURN_IF_ERROR(normalizeAxis(ctx, axisAttr, x.rank(), p.axis));
  splitAtAxis(x.shape, p.axis, p.outer, p.mid, p.inner);
  TN_CHECK(y.size() == p.outer * p.inner, Shape, ctx.op, ": out ", shapeStr(y.shape), " must have ", p.outer * p.inner,
           " elements");
  p.empty = y.size() == 0;
  if (p.empty) return Status::ok();
  TN_CHECK(p.mid > 0, Value, ctx.op, ": axis ", p.axis, " of ", shapeStr(x.shape), " is empty");
  TN_CHECK(p.mid <= std::numeric_limits<int32_t>::max(), Shape, ctx.op, ": axis too long for int32 indices");
  return Status::ok();
}

}  // namespace tn
