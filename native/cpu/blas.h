// The CPU GEMM entry point: OpenBLAS when the build found it, else the portable blocked kernel.
#pragma once
#include <cstdint>
#include <string>

#include "../core/status.h"

namespace tn {

// C[M,N] = alpha * op(A) * op(B) + beta * C, row-major; lda/ldb/ldc are row strides.
// Large GEMMs are split over our pool (OpenBLAS itself runs single-threaded), so setNumThreads governs them too.
void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc);
// The GEMM in use: "openblas", "onednn" or "builtin" (TENSORNODE_GEMM picks at start among those built in).
const char* blasName();
// Selects the GEMM by name; a ValueError names what this build has.
Status setGemm(const std::string& name);
// OpenBLAS's kernel family for this CPU ("Haswell", "SkylakeX", ...; OPENBLAS_CORETYPE overrides); "" for builtin.
std::string blasCoreType();

}  // namespace tn
