// sgemm: forwards to cblas_sgemm (OpenBLAS) when TENSORNODE_HAVE_CBLAS is defined, else a blocked, threaded fallback.
#include "blas.h"

#include <algorithm>
#include <vector>

#include "thread_pool.h"

#ifdef TENSORNODE_HAVE_CBLAS
#include <cblas.h>
extern "C" void openblas_set_num_threads(int);
#endif

namespace tn {

#ifdef TENSORNODE_HAVE_CBLAS

void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, (int)M, (int)N,
              (int)K, alpha, A, (int)lda, B, (int)ldb, beta, C, (int)ldc);
}
const char* blasName() { return "openblas"; }
void blasSetThreads(int n) { openblas_set_num_threads(n); }

#else

namespace {
constexpr int64_t kBlockK = 256, kBlockN = 512;

// Packs op(B)[k0:k0+kb, n0:n0+nb] row-major so the inner loop reads it contiguously.
void packB(bool transB, const float* B, int64_t ldb, int64_t k0, int64_t kb, int64_t n0, int64_t nb, float* dst) {
  for (int64_t k = 0; k < kb; ++k)
    for (int64_t n = 0; n < nb; ++n)
      dst[k * nb + n] = transB ? B[(n0 + n) * ldb + (k0 + k)] : B[(k0 + k) * ldb + (n0 + n)];
}
}  // namespace

void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  parallelFor(M, 1, [&](int64_t m0, int64_t m1) {
    for (int64_t m = m0; m < m1; ++m)
      for (int64_t n = 0; n < N; ++n) C[m * ldc + n] = beta == 0.f ? 0.f : beta * C[m * ldc + n];
  });
  std::vector<float> packed(kBlockK * kBlockN);
  for (int64_t n0 = 0; n0 < N; n0 += kBlockN) {
    int64_t nb = std::min(kBlockN, N - n0);
    for (int64_t k0 = 0; k0 < K; k0 += kBlockK) {
      int64_t kb = std::min(kBlockK, K - k0);
      packB(transB, B, ldb, k0, kb, n0, nb, packed.data());
      const float* Bp = packed.data();
      parallelFor(M, 4, [&](int64_t m0, int64_t m1) {
        for (int64_t m = m0; m < m1; ++m) {
          float* c = C + m * ldc + n0;
          for (int64_t k = 0; k < kb; ++k) {
            float a = alpha * (transA ? A[(k0 + k) * lda + m] : A[m * lda + k0 + k]);
            const float* b = Bp + k * nb;
            for (int64_t n = 0; n < nb; ++n) c[n] += a * b[n];
          }
        }
      });
    }
  }
}
const char* blasName() { return "builtin"; }
void blasSetThreads(int) {}

#endif

}  // namespace tn
