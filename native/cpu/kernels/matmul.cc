// CPU batched matmul: broadcast batch dims, optional transposes, GEMM through tn::sgemm (OpenBLAS or the built-in kernel).
#include <algorithm>
#include <climits>
#include <cstring>

#include "../../core/params/matmul.h"
#include "../blas.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

// Below this many multiply-adds per matrix, one sgemm call costs more in overhead than it computes, so many small
// batches are spread over the pool with a plain single-threaded loop instead (sgemm itself may use the pool).
constexpr int64_t kSmallGemmFlops = 32 * 32 * 32;

// y[M,N] = op(A) op(B) for one small matrix pair, single-threaded (runs inside parallelFor, which does not nest).
void smallGemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, const float* A, const float* B, float* C) {
  for (int64_t m = 0; m < M; ++m) {
    float* c = C + m * N;
    for (int64_t n = 0; n < N; ++n) c[n] = 0.f;
    for (int64_t k = 0; k < K; ++k) {
      float a = ta ? A[k * M + m] : A[m * K + k];
      if (tb) {
        for (int64_t n = 0; n < N; ++n) c[n] += a * B[n * K + k];
      } else {
        const float* b = B + k * N;
        for (int64_t n = 0; n < N; ++n) c[n] += a * b[n];
      }
    }
  }
}

Status matmulKernel(KernelContext& ctx) {
  bool ta = false, tb = false;
  TN_RETURN_IF_ERROR(readMatmulAttrs(ctx, ta, tb));
  const TensorArg &a = ctx.in(0), &b = ctx.in(1), &y = ctx.out(0);
  TN_CHECK(a.rank() >= 2 && b.rank() >= 2 && y.rank() >= 2, Shape, "matmul: a, b and out need rank >= 2, got ",
           shapeStr(a.shape), ", ", shapeStr(b.shape), ", ", shapeStr(y.shape));
  int64_t M = ta ? a.dim(-1) : a.dim(-2), Ka = ta ? a.dim(-2) : a.dim(-1);
  int64_t Kb = tb ? b.dim(-1) : b.dim(-2), N = tb ? b.dim(-2) : b.dim(-1);
  TN_CHECK(Ka == Kb, Shape, "matmul: inner dimensions differ: a ", shapeStr(a.shape), (ta ? " (transposed)" : ""),
           " has K=", Ka, ", b ", shapeStr(b.shape), (tb ? " (transposed)" : ""), " has K=", Kb);
  TN_CHECK(y.dim(-2) == M && y.dim(-1) == N, Shape, "matmul: out ", shapeStr(y.shape), " must end in [", M, ",", N, "]");
  const int64_t K = Ka;
  Shape batchY(y.shape.begin(), y.shape.end() - 2), batchA(a.shape.begin(), a.shape.end() - 2),
      batchB(b.shape.begin(), b.shape.end() - 2);
  TN_CHECK(broadcastsTo(batchA, batchY) && broadcastsTo(batchB, batchY), Shape, "matmul: batch dims of a ",
           shapeStr(batchA), " and b ", shapeStr(batchB), " do not broadcast to ", shapeStr(batchY));
  // cblas takes int dimensions.
  TN_CHECK(M < INT_MAX && N < INT_MAX && K < INT_MAX, Shape, "matmul: matrix dimensions exceed the BLAS int range");

  float* py = y.data<float>();
  int64_t batches = numel(batchY);
  if (y.size() == 0) return Status::ok();
  if (K == 0) {
    std::memset(py, 0, y.size() * sizeof(float));
    return Status::ok();
  }
  const float *pa = a.data<float>(), *pb = b.data<float>();
  int64_t lda = ta ? M : K, ldb = tb ? K : N;

  // Fast path: b shared by every batch and a not transposed, so the batches stack into one tall GEMM.
  if (numel(batchB) == 1 && !ta && numel(batchA) == batches && batches * M < INT_MAX) {
    sgemm(false, tb, batches * M, N, K, 1.f, pa, K, pb, ldb, 0.f, py, N);
    return Status::ok();
  }

  // Matrix offsets of a and b for each output batch (strides in units of whole matrices; 0 where broadcast).
  Shape stA = broadcastStrides(batchA, batchY), stB = broadcastStrides(batchB, batchY);
  Shape outStrides = contiguousStrides(batchY);
  auto offsets = [&](int64_t i, int64_t& oa, int64_t& ob) {
    oa = 0;
    ob = 0;
    for (size_t d = 0; d < batchY.size(); ++d) {
      int64_t idx = (i / outStrides[d]) % batchY[d];
      oa += idx * stA[d];
      ob += idx * stB[d];
    }
  };
  const int64_t sizeA = M * K, sizeB = K * N, sizeY = M * N;
  if (batches > 1 && M * N * K <= kSmallGemmFlops) {
    parallelFor(batches, std::max<int64_t>(1, 4096 / (M * N * K + 1)), [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) {
        int64_t oa, ob;
        offsets(i, oa, ob);
        smallGemm(ta, tb, M, N, K, pa + oa * sizeA, pb + ob * sizeB, py + i * sizeY);
      }
    });
    return Status::ok();
  }
  for (int64_t i = 0; i < batches; ++i) {
    int64_t oa, ob;
    offsets(i, oa, ob);
    sgemm(ta, tb, M, N, K, 1.f, pa + oa * sizeA, lda, pb + ob * sizeB, ldb, 0.f, py + i * sizeY, N);
  }
  return Status::ok();
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "matmul", matmulKernel);

}  // namespace cpu
}  // namespace tn
