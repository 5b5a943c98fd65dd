// Argument checks of the loss kernels, shared by the CPU and CUDA backends.
#include "losses.h"

namespace tn {
namespace {

// Checks logits [N,C] and labels (i32 [N] or f32 [N,C]); sets N, C and whether the labels are class indices.
Status checkLogitsLabels(const KernelContext& ctx, const TensorArg& logits, const TensorArg& labels,
                         LabelRangeCheck checkLabels, CrossEntropyShape& s) {
  TN_RETURN_IF_ERROR(checkDType(ctx, logits, DType::Float32, "logits"));
  TN_CHECK(logits.rank() == 2, Shape, ctx.op, ": logits must be [N, C], got ", shapeStr(logits.shape));
  s.N = logits.shape[0];
  s.C = logits.shape[1];
  s.sparse = labels.dtype == DType::Int32;
  if (s.sparse) {
    TN_CHECK(labels.rank() == 1 && labels.shape[0] == s.N, Shape, ctx.op, ": int32 labels must be [", s.N, "], got ",
             shapeStr(labels.shape));
    if (checkLabels) TN_RETURN_IF_ERROR(checkLabels(ctx, labels, s.N, s.C));
  } else {
    TN_CHECK(labels.shape == logits.shape, Shape, ctx.op, ": float32 labels must be ", shapeStr(logits.shape), ", got ",
             shapeStr(labels.shape));
  }
  return Status::ok();
}

}  // namespace

Status readCrossEntropyArgs(const KernelContext& ctx, LabelRangeCheck checkLabels, CrossEntropyShape& s) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 2));
  const TensorArg &z = ctx.in(0), &t = ctx.in(1), &loss = ctx.out(0), &probs = ctx.out(1);
  TN_RETURN_IF_ERROR(checkLogitsLabels(ctx, z, t, checkLabels, s));
  TN_RETURN_IF_ERROR(checkDType(ctx, loss, DType::Float32, "loss"));
  TN_RETURN_IF_ERROR(checkDType(ctx, probs, DType::Float32, "probs"));
  TN_CHECK(loss.size() == s.N && probs.size() == s.N * s.C, Shape, ctx.op, ": loss must have ", s.N, " and probs ",
           s.N * s.C, " elements, got ", shapeStr(loss.shape), " and ", shapeStr(probs.shape));
  TN_CHECK(s.N == 0 || s.C > 0, Shape, ctx.op, ": logits have no classes");
  return Status::ok();
}

Status readCrossEntropyBackwardArgs(const KernelContext& ctx, LabelRangeCheck checkLabels, CrossEntropyShape& s) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 3, 1));
  const TensorArg &probs = ctx.in(0), &t = ctx.in(1), &dl = ctx.in(2), &dz = ctx.out(0);
  TN_RETURN_IF_ERROR(checkLogitsLabels(ctx, probs, t, checkLabels, s));
  TN_RETURN_IF_ERROR(checkDType(ctx, dl, DType::Float32, "dloss"));
  TN_RETURN_IF_ERROR(checkDType(ctx, dz, DType::Float32, "dlogits"));
  TN_CHECK(dl.size() == s.N && dz.size() == s.N * s.C, Shape, ctx.op, ": dloss must have ", s.N, " and dlogits ",
           s.N * s.C, " elements, got ", shapeStr(dl.shape), " and ", shapeStr(dz.shape));
  return Status::ok();
}

Status checkSameSizeF32(const KernelContext& ctx, size_t nIn, size_t nOut) {
  TN_RETURN_IF_ERROR(checkArity(ctx, nIn, nOut));
  // Input 0 sets the size every other tensor is compared with (libFuzzer found a call with none).
  TN_CHECK(!ctx.inputs.empty(), Value, ctx.op, ": expected at least one input, got none");
  const int64_t n = ctx.in(0).size();
  for (size_t i = 0; i < ctx.inputs.size(); ++i) {
    TN_RETURN_IF_ERROR(checkDType(ctx, ctx.in(i), DType::Float32, "input"));
    TN_CHECK(ctx.in(i).size() == n, Shape, ctx.op, ": input ", i, " ", shapeStr(ctx.in(i).shape),
             " differs in size from input 0 ", shapeStr(ctx.in(0).shape));
  }
  for (size_t i = 0; i < ctx.outputs.size(); ++i) {
    TN_RETURN_IF_ERROR(checkDType(ctx, ctx.out(i), DType::Float32, "out"));
    TN_CHECK(ctx.out(i).size() == n, Shape, ctx.op, ": out ", shapeStr(ctx.out(i).shape),
             " differs in size from input 0 ", shapeStr(ctx.in(0).shape));
  }
  return Status::ok();
}

}  // namespace tn
