// Argument checks of the loss kernels (softmax cross-entropy, binary cross-entropy, squared error), shared by CPU and
// CUDA.
#pragma once
#include <cstdint>

#include "../kernel.h"

namespace tn {

// Logits (or probs) [N, C] with labels i32 [N] (sparse: class indices) or f32 [N, C].
struct CrossEntropyShape {
  int64_t N = 0, C = 0;
  bool sparse = false;
};
// Checks class-index values where the backend can read them (the CPU, on the host); the CUDA kernels check on the
// device and pass none.
using LabelRangeCheck = Status (*)(const KernelContext& ctx, const TensorArg& labels, int64_t N, int64_t C);

// softmax_cross_entropy: (logits, labels) -> (loss [N], probs [N*C]); C > 0 when N > 0.
Status readCrossEntropyArgs(const KernelContext& ctx, LabelRangeCheck checkLabels, CrossEntropyShape& s);
// softmax_cross_entropy_backward: (probs, labels, dloss [N]) -> dlogits [N*C].
Status readCrossEntropyBackwardArgs(const KernelContext& ctx, LabelRangeCheck checkLabels, CrossEntropyShape& s);

// Elementwise losses: arity, then every argument float32 with the size of input 0.
Status checkSameSizeF32(const KernelContext& ctx, size_t nIn, size_t nOut);

}  // namespace tn
