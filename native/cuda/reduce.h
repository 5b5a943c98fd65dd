// Reductions other CUDA kernels reuse (implemented in reduce.cu with the reduce_* kernels' machinery).
#pragma once
#include <cstdint>

#include "../core/kernel.h"

namespace tn {
namespace cuda {

// out[c] = sum over r of m[r * cols + c], queued on ctx's stream (out gets zeros when rows is 0).
Status sumColumns(const KernelContext& ctx, const float* m, int64_t rows, int64_t cols, float* out);

}  // namespace cuda
}  // namespace tn
