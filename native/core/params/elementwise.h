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

}  // namespace tn
