// Layout launchers shared with other CUDA files (cudnn_ops.cc pads and slices images around asymmetric convolutions).
#pragma once
#include <cstdint>
#include <vector>

#include "cuda_common.h"

namespace tn {
namespace cuda {

// y (shape ys) = x (shape xs) placed at offset `before` in every dim, the rest filled with the 32-bit pattern `fill`.
Status launchPad(const char* op, const void* x, const Shape& xs, void* y, const Shape& ys,
                 const std::vector<int64_t>& before, uint32_t fill, cudaStream_t stream);
// y (shape ys) = the window of x (shape xs) starting at `begin`.
Status launchSlice(const char* op, const void* x, const Shape& xs, void* y, const Shape& ys,
                   const std::vector<int64_t>& begin, cudaStream_t stream);

}  // namespace cuda
}  // namespace tn
