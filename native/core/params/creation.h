// Attr reading and argument checks of the creation kernels (fill, arange, random_*, dropout), shared by CPU and CUDA.
#pragma once
#include <cstdint>

#include "../kernel.h"

namespace tn {

// fill: arity (no inputs, one output) and the `value` attr.
Status readFillParams(const KernelContext& ctx, double& value);
// arange: arity and the `start`, `step` attrs.
Status readArangeParams(const KernelContext& ctx, double& start, double& step);

// random_uniform (low, high) or random_normal (mean, std) into a float32 out.
struct RandomParams {
  uint64_t seed = 0;
  float a = 0, b = 1;  // low/high, or mean/std
};
Status readRandomParams(const KernelContext& ctx, bool normal, RandomParams& p);

// dropout: x -> (y, mask), all float32 of x's size; rate in [0, 1], seed >= 0.
struct DropoutParams {
  uint64_t seed = 0;
  float rate = 0, scale = 0;  // both rounded to float first, so the backends agree bit for bit; rate 1 gives scale 0
};
Status readDropoutParams(const KernelContext& ctx, DropoutParams& p);

// one_hot: indices int32 -> out float32 or int32 [..., depth]; attrs onValue (default 1), offValue (default 0).
struct OneHotParams {
  int64_t depth = 0;
  double on = 1, off = 0;
};
Status readOneHotParams(const KernelContext& ctx, OneHotParams& p);

}  // namespace tn
