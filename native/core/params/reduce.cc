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

namespace {
// a * b for dim products: 0 when either is 0 (an empty tensor), saturating at INT64_MAX instead of overflowing. A
// saturated product only arises in a tensor that is empty through another dim, whose kernels compute nothing.
int64_t mulDims(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  int64_t p;
  return __builtin_mul_overflow(a, b, &p) ? std::numeric_limits<int64_t>::max() : p;
}
}  // namespace

ReduceGroups mergeReduceGroups(const Shape& shape, const std::vector<bool>& reduced) {
  ReduceGroups r;
  // A group holding a zero dim has size 0 whatever its other dims: products saturate rather than overflow, and a zero
  // wins ([2^40, 2^40, 0] is 0, never UB).
  std::vector<std::pair<int64_t, bool>> groups;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (reduced[d]) r.redN = mulDims(r.redN, shape[d]);
    else r.outN = mulDims(r.outN, shape[d]);
    if (shape[d] == 1) continue;
    if (!groups.empty() && groups.back().second == reduced[d]) groups.back().first = mulDims(groups.back().first, shape[d]);
    else groups.push_back({shape[d], reduced[d]});
  }
  // An empty input: with no output the kernels return before walking the groups; with an empty reduced axis each
  // output is the reduction's identity and x is never read, so one kept group stands for all. Either way no stride
  // is formed from a product that could overflow.
  if (r.outN == 0) return r;
  if (r.redN == 0) r.groups = {{r.outN, false}};
  else r.groups = std::move(groups);
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
