// Attr reading and shape checks of the layout kernels, shared by the CPU and CUDA backends.
#include "layout.h"

#include "int32_range.h"

#include <cstring>

#include "axis.h"

namespace tn {

Status readTransposeParams(const KernelContext& ctx, std::vector<int64_t>& perm) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_CHECK(x.dtype == y.dtype, DType, "transpose: out dtype ", dtypeName(y.dtype), " differs from x ", dtypeName(x.dtype));
  TN_RETURN_IF_ERROR(ctx.attrs.getInts("perm", perm));
  const int r = x.rank();
  TN_CHECK(static_cast<int>(perm.size()) == r && y.rank() == r, Shape, "transpose: perm has ", perm.size(),
           " entries, x ", shapeStr(x.shape), " and out ", shapeStr(y.shape), " must have that rank");
  std::vector<bool> seen(r, false);
  for (int i = 0; i < r; ++i) {
    TN_CHECK(perm[i] >= 0 && perm[i] < r && !seen[perm[i]], Value, "transpose: perm must be a permutation of 0..", r - 1);
    seen[perm[i]] = true;
    TN_CHECK(y.shape[i] == x.shape[perm[i]], Shape, "transpose: out ", shapeStr(y.shape), " does not match x ",
             shapeStr(x.shape), " permuted");
  }
  return Status::ok();
}

Status readConcatParams(const KernelContext& ctx, int& axis) {
  TN_CHECK(!ctx.inputs.empty() && ctx.outputs.size() == 1, Internal, "concat: expected >= 1 inputs and 1 output, got ",
           ctx.inputs.size(), " and ", ctx.outputs.size());
  const TensorArg& y = ctx.out(0);
  TN_CHECK(y.rank() >= 1, Shape, "concat: out must have rank >= 1");
  int64_t axisAttr = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getInt("axis", axisAttr));
  TN_RETURN_IF_ERROR(normalizeAxis(ctx, axisAttr, y.rank(), axis));
  int64_t total = 0;
  for (size_t i = 0; i < ctx.inputs.size(); ++i) {
    const TensorArg& x = ctx.in(i);
    TN_CHECK(x.dtype == y.dtype, DType, "concat: input ", i, " is ", dtypeName(x.dtype), ", out is ", dtypeName(y.dtype));
    TN_CHECK(x.rank() == y.rank(), Shape, "concat: input ", i, " ", shapeStr(x.shape), " has rank ", x.rank(),
             ", out ", shapeStr(y.shape), " has ", y.rank());
    for (int d = 0; d < y.rank(); ++d)
      TN_CHECK(d == axis || x.shape[d] == y.shape[d], Shape, "concat: input ", i, " ", shapeStr(x.shape),
               " differs from out ", shapeStr(y.shape), " in dim ", d);
    total += x.shape[axis];
  }
  TN_CHECK(total == y.shape[axis], Shape, "concat: inputs sum to ", total, " along axis ", axis, ", out has ",
           y.shape[axis]);
  return Status::ok();
}

Status readSliceParams(const KernelContext& ctx, std::vector<int64_t>& begin) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_CHECK(x.dtype == y.dtype, DType, "slice: out dtype ", dtypeName(y.dtype), " differs from x ", dtypeName(x.dtype));
  TN_RETURN_IF_ERROR(ctx.attrs.getInts("begin", begin));
  const int r = x.rank();
  TN_CHECK(static_cast<int>(begin.size()) == r && y.rank() == r, Shape, "slice: begin has ", begin.size(),
           " entries, x ", shapeStr(x.shape), " and out ", shapeStr(y.shape), " must have that rank");
  for (int d = 0; d < r; ++d)
    TN_CHECK(begin[d] >= 0 && begin[d] + y.shape[d] <= x.shape[d], Shape, "slice: begin ", begin[d], " + size ",
             y.shape[d], " exceeds x ", shapeStr(x.shape), " in dim ", d);
  return Status::ok();
}

Status readPadParams(const KernelContext& ctx, std::vector<int64_t>& before, uint32_t& fillWord) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_CHECK(x.dtype == y.dtype, DType, "pad: out dtype ", dtypeName(y.dtype), " differs from x ", dtypeName(x.dtype));
  TN_RETURN_IF_ERROR(ctx.attrs.getInts("before", before));
  double value = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("value", value));
  const int r = x.rank();
  TN_CHECK(static_cast<int>(before.size()) == r && y.rank() == r, Shape, "pad: before has ", before.size(),
           " entries, x ", shapeStr(x.shape), " and out ", shapeStr(y.shape), " must have that rank");
  for (int d = 0; d < r; ++d)
    TN_CHECK(before[d] >= 0 && before[d] + x.shape[d] <= y.shape[d], Shape, "pad: before ", before[d], " + x ",
             shapeStr(x.shape), " exceeds out ", shapeStr(y.shape), " in dim ", d);
  // Both dtypes are 4 bytes: the fill is one 32-bit word in out's dtype.
  if (y.dtype == DType::Float32) {
    float f = static_cast<float>(value);
    std::memcpy(&fillWord, &f, sizeof f);
  } else {
    TN_RETURN_IF_ERROR(checkInt32Value(ctx, "value", value));
    int32_t v = static_cast<int32_t>(value);
    std::memcpy(&fillWord, &v, sizeof v);
  }
  return Status::ok();
}

}  // namespace tn
