// The bias + activation pass as a launch: the bias_act kernel's, and conv2d's fused epilogue queued after its convolution.
#pragma once
#include <cstdint>

#include "../core/kernel.h"

namespace tn {
namespace cuda {

// y[r, c] = act(x[r, c] + bias[c]) over `rows` rows of C, queued on ctx's stream; x may be y (in place).
Status launchBiasAct(const KernelContext& ctx, const float* x, const float* bias, float* y, int64_t rows, int64_t C,
                     int act);

}  // namespace cuda
}  // namespace tn
