// Attr reading and argument checks of the elementwise kernels (binaries, unaries and their backwards), shared by CPU
// and CUDA.
#pragma once

#include "../kernel.h"

namespace tn {

// Attrs of the unary ops and their backwards (leaky_relu's alpha, scale's alpha/beta, clip's min/max); 0 when absent.
// Plain floats, passed by value into CUDA kernels.
struct UnaryParams {
  float alpha = 0, beta = 0, lo = 0, hi = 0;
};
Status readUnaryParams(const KernelContext& ctx, UnaryParams& p);

// Binary ops (a, b) -> out: arity, a and b of one dtype, both broadcasting to out's shape. out's dtype is the caller's.
Status checkBinaryArgs(const KernelContext& ctx);

// Logical binaries (a, b) -> out: checkBinaryArgs plus all three bool.
Status checkLogicalArgs(const KernelContext& ctx);
// Bool-valued unaries (isnan, logical_not, ...): x of dtype `in`, out bool of x's size.
Status checkPredicateArgs(const KernelContext& ctx, DType in);
// select (cond, a, b) -> out: cond bool, a/b/out one dtype, all three broadcasting to out's shape.
Status checkSelectArgs(const KernelContext& ctx);

}  // namespace tn
