// The CPU GEMM entry point: OpenBLAS when the build found it, else the portable blocked kernel.
#pragma once
#include <cstdint>

namespace tn {

// C[M,N] = alpha * op(A) * op(B) + beta * C, row-major; lda/ldb/ldc are row strides.
void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc);
const char* blasName();
void blasSetThreads(int n);

}  // namespace tn
