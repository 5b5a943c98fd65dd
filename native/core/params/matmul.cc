// Argument checks and attrs of the matmul kernel, shared by the CPU and CUDA backends.
#include "matmul.h"

namespace tn {

Status readMatmulAttrs(const KernelContext& ctx, bool& transposeA, bool& transposeB) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.in(0), DType::Float32, "a"));
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.in(1), DType::Float32, "b"));
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.out(0), DType::Float32, "out"));
  int64_t ta = 0, tb = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("transposeA", ta));
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("transposeB", tb));
  transposeA = ta != 0;
  transposeB = tb != 0;
  return Status::ok();
}

}  // namespace tn
