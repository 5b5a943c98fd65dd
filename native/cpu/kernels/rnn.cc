// CPU fused recurrent kernels (simple_rnn, lstm, gru sequences and their backwards): the shared driver
// (core/rnn/driver.h) on OpenBLAS GEMMs and thread-pool element passes.
#include <climits>
#include <memory>
#include <vector>

#include "../../core/rnn/driver.h"
#include "../blas.h"
#include "cpu_kernel_util.h"
#include "rnn_rows.h"

namespace tn {
namespace cpu {
namespace {

struct CpuExec {
  const KernelContext& ctx;
  std::vector<std::unique_ptr<float[]>> buffers;

  Status gemm(bool tA, bool tB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
              const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
    TN_CHECK(M < INT_MAX && N < INT_MAX && K < INT_MAX, Shape, ctx.op, ": matrix dimensions exceed the BLAS int range");
    if (M == 0 || N == 0) return Status::ok();
    sgemm(tA, tB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return Status::ok();
  }
  template <class F>
  Status forEach(int64_t n, const F& f) {
    // A step's element pass is often a few thousand items: below the grain it runs inline, since a pool
    // hand-off per step (dozens per sequence) costs more than it saves, most of all on a busy machine.
    parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) f(i);
    });
    return Status::ok();
  }
  // The LSTM step passes by rows (rnn_rows.h): vectorized, the same math as the per-element functors.
  Status forEach(int64_t n, const rnn::LstmForwardStep& f) {
    rnnrows::forRows<rnn::LstmForwardStep, rnnrows::ForwardRow>(n / f.U, f.U, f);
    return Status::ok();
  }
  Status forEach(int64_t n, const rnn::LstmBackwardStep& f) {
    rnnrows::forRows<rnn::LstmBackwardStep, rnnrows::BackwardRow>(n / f.U, f.U, f);
    return Status::ok();
  }
  Status forEach(int64_t n, const rnn::BuildPrev& f) {
    rnnrows::buildPrevRows(f, n / (f.T * f.U));
    return Status::ok();
  }
  Status alloc(int64_t n, float*& out) {
    buffers.emplace_back(new (std::nothrow) float[n > 0 ? n : 1]);
    TN_CHECK(buffers.back() != nullptr, OutOfMemory, ctx.op, ": cannot allocate ", n * 4, " bytes of scratch");
    out = buffers.back().get();
    return Status::ok();
  }
};

template <rnn::Cell kCell, bool kBackward>
Status rnnKernel(KernelContext& ctx) {
  CpuExec ex{ctx, {}};
  return rnn::runRnnKernel(ex, ctx, kCell, kBackward);
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "simple_rnn_sequence", (rnnKernel<rnn::Cell::Simple, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "simple_rnn_sequence_backward", (rnnKernel<rnn::Cell::Simple, true>));
TN_REGISTER_KERNEL(DeviceType::CPU, "lstm_sequence", (rnnKernel<rnn::Cell::Lstm, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "lstm_sequence_backward", (rnnKernel<rnn::Cell::Lstm, true>));
TN_REGISTER_KERNEL(DeviceType::CPU, "gru_sequence", (rnnKernel<rnn::Cell::Gru, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "gru_sequence_backward", (rnnKernel<rnn::Cell::Gru, true>));

}  // namespace cpu
}  // namespace tn
