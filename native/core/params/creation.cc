// Attr reading and argument checks of the creation kernels, shared by the CPU and CUDA backends.
#include "creation.h"

#include "int32_range.h"

namespace tn {

Status readFillParams(const KernelContext& ctx, double& value) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 0, 1));
  value = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getNumber("value", value));
  if (ctx.out(0).dtype == DType::Int32) TN_RETURN_IF_ERROR(checkInt32Value(ctx, "value", value));
  return Status::ok();
}

Status readArangeParams(const KernelContext& ctx, double& start, double& step) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 0, 1));
  start = 0;
  step = 1;
  TN_RETURN_IF_ERROR(ctx.attrs.getNumber("start", start));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumber("step", step));
  TN_CHECK(std::isfinite(start) && std::isfinite(step), Value, ctx.op, ": start and step must be finite, got ", start,
           " and ", step);
  const int64_t n = ctx.out(0).size();
  if (ctx.out(0).dtype == DType::Int32 && n > 0) {
    TN_RETURN_IF_ERROR(checkInt32Value(ctx, "start", start));
    TN_RETURN_IF_ERROR(checkInt32Value(ctx, "last value", start + step * static_cast<double>(n - 1)));
  }
  return Status::ok();
}

namespace {

// A seed attr becomes a uint64: anything else (negative, NaN, infinite, 2^64 and above) would be an undefined
// conversion (found by native/fuzz).
Status checkSeed(const KernelContext& ctx, double seed) {
  TN_CHECK(seed >= 0 && seed < 18446744073709551616.0, Value, ctx.op,
           ": seed must be a non-negative number below 2^64, got ", seed);
  return Status::ok();
}

}  // namespace

Status readRandomParams(const KernelContext& ctx, bool normal, RandomParams& p) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 0, 1));
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.out(0), DType::Float32, "out"));
  double seed = 0, a = 0, b = 1;
  TN_RETURN_IF_ERROR(ctx.attrs.getNumber("seed", seed));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumber(normal ? "mean" : "low", a));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumber(normal ? "std" : "high", b));
  TN_RETURN_IF_ERROR(checkSeed(ctx, seed));
  p.seed = static_cast<uint64_t>(seed);
  p.a = static_cast<float>(a);
  p.b = static_cast<float>(b);
  return Status::ok();
}

Status readDropoutParams(const KernelContext& ctx, DropoutParams& p) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 2));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0), &mask = ctx.out(1);
  for (const TensorArg* t : {&x, &y, &mask}) TN_RETURN_IF_ERROR(checkDType(ctx, *t, DType::Float32, "x/y/mask"));
  TN_CHECK(y.size() == x.size() && mask.size() == x.size(), Shape, "dropout: y ", shapeStr(y.shape), " and mask ",
           shapeStr(mask.shape), " must have the size of x ", shapeStr(x.shape));
  double rate = 0, seed = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getNumber("rate", rate));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumber("seed", seed));
  TN_CHECK(rate >= 0 && rate <= 1, Value, "dropout: rate must be in [0, 1], got ", rate);
  TN_RETURN_IF_ERROR(checkSeed(ctx, seed));
  p.rate = static_cast<float>(rate);
  p.scale = p.rate < 1.f ? 1.f / (1.f - p.rate) : 0.f;  // rate 1 drops everything
  p.seed = static_cast<uint64_t>(seed);
  return Status::ok();
}

Status readOneHotParams(const KernelContext& ctx, OneHotParams& p) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.in(0), DType::Int32, "indices"));
  const TensorArg &idx = ctx.in(0), &y = ctx.out(0);
  TN_CHECK(y.dtype != DType::Bool, DType, "one_hot: out must be float32 or int32, got bool");
  TN_CHECK(y.rank() >= 1, Shape, "one_hot: out must have rank >= 1");
  p.depth = y.dim(-1);
  TN_CHECK(y.size() == idx.size() * p.depth, Shape, "one_hot: output shape ", shapeStr(y.shape),
           " does not match indices ", shapeStr(idx.shape));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("onValue", p.on));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("offValue", p.off));
  return Status::ok();
}

}  // namespace tn
