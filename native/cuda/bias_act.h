// The bias + activation epilogue as a launch other CUDA kernels queue after theirs (conv2d's fused epilogue).
#pragma once
#include <cstdint>

#include "../core/kernel.h"

namespace tn {
namespace cuda {

// y[r, c] = act(y[r, c] + bias[c]) over `rows` rows of C, in place, queued on ctx's stream.
Status biasActInPlace(const KernelContext& ctx, float* y, const float* bias, int64_t rows, int64_t C, int act);

}  // namespace cuda
}  // namespace tn
