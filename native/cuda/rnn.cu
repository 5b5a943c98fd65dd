// CUDA fused recurrent kernels (simple_rnn, lstm, gru sequences and their backwards): the shared driver
// (core/rnn/driver.h) on cuBLAS GEMMs and one grid-stride element kernel per step, all on the device's stream.
#include <vector>

#include "../core/rnn/driver.h"
#include "cublas_gemm.h"
#include "cuda_launch.cuh"

namespace tn {
namespace cuda {
namespace {

template <class F>
__global__ void forEachKernel(F f, int64_t n) {
  TN_GRID_LOOP(i, n) f(i);
}

struct CudaExec {
  const KernelContext& ctx;
  std::vector<StoragePtr> buffers;  // stream-ordered scratch, released after the queued work

  Status gemm(bool tA, bool tB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
              const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
    if (M == 0 || N == 0) return Status::ok();
    return gemmRowMajor(ctx, tA, tB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  }
  template <class F>
  Status forEach(int64_t n, const F& f) {
    if (n == 0) return Status::ok();
    forEachKernel<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(f, n);
    return launchStatus(ctx.op.c_str());
  }
  Status alloc(int64_t n, float*& out) {
    StoragePtr s;
    TN_RETURN_IF_ERROR(scratch(ctx, static_cast<size_t>(n > 0 ? n : 1) * sizeof(float), s));
    out = static_cast<float*>(s->data());
    buffers.push_back(s);
    return Status::ok();
  }
};

template <rnn::Cell kCell, bool kBackward>
Status rnnKernel(KernelContext& ctx) {
  CudaExec ex{ctx, {}};
  return rnn::runRnnKernel(ex, ctx, kCell, kBackward);
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CUDA, "simple_rnn_sequence", (rnnKernel<rnn::Cell::Simple, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "simple_rnn_sequence_backward", (rnnKernel<rnn::Cell::Simple, true>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "lstm_sequence", (rnnKernel<rnn::Cell::Lstm, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "lstm_sequence_backward", (rnnKernel<rnn::Cell::Lstm, true>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "gru_sequence", (rnnKernel<rnn::Cell::Gru, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "gru_sequence_backward", (rnnKernel<rnn::Cell::Gru, true>));

}  // namespace cuda
}  // namespace tn
