// Argument checks and attrs of the matmul kernel shared by CPU and CUDA (the shape checks stay per backend: their
// messages and the int-range limits of the two BLAS libraries differ).
#pragma once

#include "../kernel.h"

namespace tn {

// matmul: (a, b) -> out, all float32; reads transposeA/transposeB (0/1, default 0).
Status readMatmulAttrs(const KernelContext& ctx, bool& transposeA, bool& transposeB);

}  // namespace tn
