// The portable GEMM used when OpenBLAS is absent (or TENSORNODE_GEMM=builtin): packed panels and a register-blocked
// 6x16 microkernel, cloned for AVX-512 / AVX2+FMA / baseline (simd.h).
#pragma once
#include <cstdint>

namespace tn {

// C[M,N] = alpha * op(A) * op(B) + beta * C, row-major, single-threaded (blas.cc splits it over the pool).
// beta == 0 overwrites C without reading it.
void builtinSgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
                  const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

}  // namespace tn
