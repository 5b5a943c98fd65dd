// One row-major GEMM with leading dimensions on the kernel's device and stream, through the backend's cuBLAS handle
// (for kernels that chain many small GEMMs, e.g. the fused recurrent steps).
#pragma once
#include <cstdint>

#include "../core/kernel.h"

namespace tn {
namespace cuda {

// C[M,N] = alpha * op(A) op(B) + beta * C, row-major; lda/ldb/ldc are row strides in elements.
Status gemmRowMajor(const KernelContext& ctx, bool tA, bool tB, int64_t M, int64_t N, int64_t K, float alpha,
                    const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

}  // namespace cuda
}  // namespace tn
