// The built-in GEMM: B packed into 16-column strips and A into 6-row blocks per cache block (KC x NC, MC x KC), then a
// 6x16 microkernel keeps its 12 eight-float accumulators in registers over the whole KC run.
#include "gemm_builtin.h"

#include <algorithm>
#include <cstring>
#include <vector>


namespace tn {
namespace {

constexpr int64_t kMR = 6, kNR = 16;
constexpr int64_t kKC = 256, kMC = 72, kNC = 1024;  // MC a multiple of MR, NC of NR

}  // namespace

// The microkernel: tile[6][16] = Ap (kc x 6, row-interleaved) * Bp (kc x 16). Two versions picked at load by CPU
// features (GCC function multiversioning): AVX2+FMA keeps 12 eight-float accumulators in ymm registers; the baseline
// runs the tile as two 6x8 halves with 12 four-float accumulators in xmm (eight-float vectors without AVX are split
// badly by the compiler).
namespace gemm_detail {

typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4)));
typedef float v4 __attribute__((vector_size(16)));
typedef float v4u __attribute__((vector_size(16), aligned(4)));

__attribute__((target("avx2,fma"))) void micro6x16(int64_t kc, const float* Ap, const float* Bp, float* tile) {
  v8 c00 = {}, c01 = {}, c10 = {}, c11 = {}, c20 = {}, c21 = {}, c30 = {}, c31 = {}, c40 = {}, c41 = {}, c50 = {},
     c51 = {};
  for (int64_t k = 0; k < kc; ++k) {
    const v8 b0 = *reinterpret_cast<const v8u*>(Bp + k * kNR), b1 = *reinterpret_cast<const v8u*>(Bp + k * kNR + 8);
    const float* a = Ap + k * kMR;
    c00 += a[0] * b0; c01 += a[0] * b1;
    c10 += a[1] * b0; c11 += a[1] * b1;
    c20 += a[2] * b0; c21 += a[2] * b1;
    c30 += a[3] * b0; c31 += a[3] * b1;
    c40 += a[4] * b0; c41 += a[4] * b1;
    c50 += a[5] * b0; c51 += a[5] * b1;
  }
  const v8 rows[kMR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  std::memcpy(tile, rows, sizeof rows);
}

__attribute__((target("default"))) void micro6x16(int64_t kc, const float* Ap, const float* Bp, float* tile) {
  for (int64_t half = 0; half < kNR; half += 8) {
    v4 c00 = {}, c01 = {}, c10 = {}, c11 = {}, c20 = {}, c21 = {}, c30 = {}, c31 = {}, c40 = {}, c41 = {}, c50 = {},
       c51 = {};
    for (int64_t k = 0; k < kc; ++k) {
      const float* b = Bp + k * kNR + half;
      const v4 b0 = *reinterpret_cast<const v4u*>(b), b1 = *reinterpret_cast<const v4u*>(b + 4);
      const float* a = Ap + k * kMR;
      c00 += a[0] * b0; c01 += a[0] * b1;
      c10 += a[1] * b0; c11 += a[1] * b1;
      c20 += a[2] * b0; c21 += a[2] * b1;
      c30 += a[3] * b0; c31 += a[3] * b1;
      c40 += a[4] * b0; c41 += a[4] * b1;
      c50 += a[5] * b0; c51 += a[5] * b1;
    }
    const v4 rows[kMR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
    for (int64_t i = 0; i < kMR; ++i) std::memcpy(tile + i * kNR + half, rows[i], sizeof rows[i]);
  }
}

}  // namespace gemm_detail

namespace {

// Packs op(B)[k0:k0+kc, n0:n0+nc] into strips of 16 columns (zero-padded): dst[strip][k][16].
void packB(bool transB, const float* B, int64_t ldb, int64_t k0, int64_t kc, int64_t n0, int64_t nc, float* dst) {
  for (int64_t s = 0; s < nc; s += kNR) {
    const int64_t w = std::min(kNR, nc - s);
    float* strip = dst + s * kc;
    for (int64_t k = 0; k < kc; ++k) {
      float* row = strip + k * kNR;
      for (int64_t j = 0; j < w; ++j)
        row[j] = transB ? B[(n0 + s + j) * ldb + (k0 + k)] : B[(k0 + k) * ldb + (n0 + s + j)];
      for (int64_t j = w; j < kNR; ++j) row[j] = 0.f;
    }
  }
}

// Packs op(A)[m0:m0+mc, k0:k0+kc] into blocks of 6 rows (zero-padded): dst[block][k][6].
void packA(bool transA, const float* A, int64_t lda, int64_t m0, int64_t mc, int64_t k0, int64_t kc, float* dst) {
  for (int64_t b = 0; b < mc; b += kMR) {
    const int64_t h = std::min(kMR, mc - b);
    float* block = dst + b * kc;
    for (int64_t k = 0; k < kc; ++k) {
      float* col = block + k * kMR;
      for (int64_t i = 0; i < h; ++i)
        col[i] = transA ? A[(k0 + k) * lda + (m0 + b + i)] : A[(m0 + b + i) * lda + (k0 + k)];
      for (int64_t i = h; i < kMR; ++i) col[i] = 0.f;
    }
  }
}

}  // namespace

void builtinSgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
                  const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0 || alpha == 0.f) {  // C = beta * C
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < N; ++n) C[m * ldc + n] = beta == 0.f ? 0.f : beta * C[m * ldc + n];
    return;
  }
  thread_local std::vector<float> packedA, packedB;
  packedA.resize(static_cast<size_t>(kMC * kKC));
  packedB.resize(static_cast<size_t>(kKC * kNC));
  alignas(64) float tile[kMR * kNR];
  for (int64_t n0 = 0; n0 < N; n0 += kNC) {
    const int64_t nc = std::min(kNC, N - n0);
    for (int64_t k0 = 0; k0 < K; k0 += kKC) {
      const int64_t kc = std::min(kKC, K - k0);
      packB(transB, B, ldb, k0, kc, n0, nc, packedB.data());
      const bool first = k0 == 0;  // the first K block applies beta; later ones accumulate
      for (int64_t m0 = 0; m0 < M; m0 += kMC) {
        const int64_t mc = std::min(kMC, M - m0);
        packA(transA, A, lda, m0, mc, k0, kc, packedA.data());
        for (int64_t s = 0; s < nc; s += kNR) {
          const int64_t w = std::min(kNR, nc - s);
          for (int64_t b = 0; b < mc; b += kMR) {
            const int64_t h = std::min(kMR, mc - b);
            gemm_detail::micro6x16(kc, packedA.data() + b * kc, packedB.data() + s * kc, tile);
            for (int64_t i = 0; i < h; ++i) {
              float* c = C + (m0 + b + i) * ldc + n0 + s;
              const float* t = tile + i * kNR;
              if (!first) {
                for (int64_t j = 0; j < w; ++j) c[j] += alpha * t[j];
              } else if (beta == 0.f) {
                for (int64_t j = 0; j < w; ++j) c[j] = alpha * t[j];
              } else {
                for (int64_t j = 0; j < w; ++j) c[j] = beta * c[j] + alpha * t[j];
              }
            }
          }
        }
      }
    }
  }
}

}  // namespace tn
