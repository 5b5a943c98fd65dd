// Argument checks of the softmax kernels (softmax, log_softmax and their backwards), shared by CPU and CUDA.
#pragma once
#include <cstdint>

#include "../kernel.h"

namespace tn {

// The tensor seen as [outer, mid, inner] around the softmax axis (attr `axis`, default -1).
struct SoftmaxRows {
  int64_t outer = 1, mid = 1, inner = 1;
};
// softmax / log_softmax: x -> out, both float32 of one size.
Status readSoftmaxArgs(const KernelContext& ctx, SoftmaxRows& r);
// softmax_backward / log_softmax_backward: (y, dy) -> dx, all float32 of one size.
Status readSoftmaxBackwardArgs(const KernelContext& ctx, SoftmaxRows& r);

}  // namespace tn
