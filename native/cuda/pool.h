// Own 2-D pooling kernels (NHWC) used where cuDNN's semantics or padding rules differ from KERNELS.md.
#pragma once
#include "../core/params/conv.h"
#include "cuda_common.h"

namespace tn {
namespace cuda {

// y = max (NaN wins) or mean over each window's in-bounds elements; a window entirely in padding gives 0.
Status launchPoolForward(const char* op, bool isMax, const WindowGeometry& g, const float* x, float* y,
                         cudaStream_t stream);
// dx[h, w] = sum over the windows holding (h, w) of dy / (that window's in-bounds count).
Status launchAvgPoolBackward(const char* op, const WindowGeometry& g, const float* dy, float* dx, cudaStream_t stream);

}  // namespace cuda
}  // namespace tn
