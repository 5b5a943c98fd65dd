// Argument checks of the fused bias + activation kernels, shared by the CPU and CUDA backends.
#include "bias_act.h"

#include "../rnn/cells.h"

namespace tn {
namespace {

Status readActivation(const KernelContext& ctx, int& out) {
  int64_t act = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("activation", act));
  TN_CHECK(act >= 0 && act < rnn::kNumActs, Value, ctx.op, ": attr 'activation' must be an activation code in [0, ",
           rnn::kNumActs, "), got ", act);
  out = static_cast<int>(act);
  return Status::ok();
}

Status readRows(const KernelContext& ctx, const TensorArg& x, BiasActDims& d) {
  TN_CHECK(x.rank() >= 1, Shape, ctx.op, ": x must have rank >= 1, got ", shapeStr(x.shape));
  d.C = x.dim(-1);
  d.rows = d.C == 0 ? 0 : x.size() / d.C;
  return readActivation(ctx, d.act);
}

}  // namespace

Status readBiasActArgs(const KernelContext& ctx, BiasActDims& d) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  const TensorArg &x = ctx.in(0), &b = ctx.in(1), &y = ctx.out(0);
  for (const TensorArg* t : {&x, &b, &y}) TN_RETURN_IF_ERROR(checkDType(ctx, *t, DType::Float32, "x/bias/out"));
  TN_RETURN_IF_ERROR(readRows(ctx, x, d));
  TN_CHECK(b.rank() == 1 && b.dim(0) == d.C, Shape, ctx.op, ": bias ", shapeStr(b.shape), " must be [", d.C,
           "] for x ", shapeStr(x.shape));
  TN_CHECK(y.shape == x.shape, Shape, ctx.op, ": out ", shapeStr(y.shape), " must have the shape of x ",
           shapeStr(x.shape));
  return Status::ok();
}

Status readBiasActBackwardArgs(const KernelContext& ctx, BiasActDims& d) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 2));
  const TensorArg &y = ctx.in(0), &dy = ctx.in(1), &dx = ctx.out(0), &db = ctx.out(1);
  for (const TensorArg* t : {&y, &dy, &dx, &db}) TN_RETURN_IF_ERROR(checkDType(ctx, *t, DType::Float32, "y/dy/dx/dbias"));
  TN_RETURN_IF_ERROR(readRows(ctx, y, d));
  TN_CHECK(dy.shape == y.shape && dx.shape == y.shape, Shape, ctx.op, ": y ", shapeStr(y.shape), ", dy ",
           shapeStr(dy.shape), " and dx ", shapeStr(dx.shape), " must have one shape");
  TN_CHECK(db.rank() == 1 && db.dim(0) == d.C, Shape, ctx.op, ": dbias ", shapeStr(db.shape), " must be [", d.C, "]");
  return Status::ok();
}

Status readConvEpilogue(const KernelContext& ctx, int64_t O, bool& hasBias, int& act) {
  TN_CHECK((ctx.inputs.size() == 2 || ctx.inputs.size() == 3) && ctx.outputs.size() == 1, Internal, ctx.op,
           ": expected 2 or 3 inputs and 1 output, got ", ctx.inputs.size(), " and ", ctx.outputs.size());
  hasBias = ctx.inputs.size() == 3;
  TN_RETURN_IF_ERROR(readActivation(ctx, act));
  if (!hasBias) {
    TN_CHECK(act == 0, Value, ctx.op, ": attr 'activation' needs the bias input (the fused epilogue comes with it)");
    return Status::ok();
  }
  const TensorArg& b = ctx.in(2);
  TN_RETURN_IF_ERROR(checkDType(ctx, b, DType::Float32, "bias"));
  TN_CHECK(b.rank() == 1 && b.dim(0) == O, Shape, ctx.op, ": bias ", shapeStr(b.shape), " must be [", O, "]");
  return Status::ok();
}

}  // namespace tn
