// CUDA fused bias + activation and its backward (same contract as native/cpu/kernels/bias_act.cc): one elementwise
// pass each way, the bias gradient by the reduce kernels' column sums.
#include "bias_act.h"

#include "../core/params/bias_act.h"
#include "../core/rnn/cells.h"
#include "cuda_launch.cuh"
#include "reduce.h"

namespace tn {
namespace cuda {
namespace {

// x may be y (conv2d's epilogue runs in place): no restrict on the two.
__global__ void biasActForward(const float* x, const float* __restrict__ b, float* y, int64_t n, int64_t C, int act) {
  TN_GRID_LOOP(i, n) y[i] = rnn::act(act, x[i] + b[i % C]);
}

__global__ void biasActGrad(const float* __restrict__ y, const float* __restrict__ dy, float* __restrict__ dx,
                            int64_t n, int act) {
  TN_GRID_LOOP(i, n) dx[i] = dy[i] * rnn::actGrad(act, y[i]);
}

Status biasActKernel(KernelContext& ctx) {
  BiasActDims d;
  TN_RETURN_IF_ERROR(readBiasActArgs(ctx, d));
  return launchBiasAct(ctx, ctx.in(0).data<float>(), ctx.in(1).data<float>(), ctx.out(0).data<float>(), d.rows, d.C,
                       d.act);
}

Status biasActBackwardKernel(KernelContext& ctx) {
  BiasActDims d;
  TN_RETURN_IF_ERROR(readBiasActBackwardArgs(ctx, d));
  const int64_t n = d.rows * d.C;
  float* dx = ctx.out(0).data<float>();
  if (n > 0) {
    biasActGrad<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.in(0).data<float>(), ctx.in(1).data<float>(), dx, n,
                                                          d.act);
    TN_RETURN_IF_ERROR(launchStatus(ctx.op.c_str()));
  }
  return sumColumns(ctx, dx, d.rows, d.C, ctx.out(1).data<float>());
}

}  // namespace

Status launchBiasAct(const KernelContext& ctx, const float* x, const float* bias, float* y, int64_t rows, int64_t C,
                     int act) {
  const int64_t n = rows * C;
  if (n == 0) return Status::ok();
  biasActForward<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(x, bias, y, n, C, act);
  return launchStatus(ctx.op.c_str());
}

TN_REGISTER_KERNEL(DeviceType::CUDA, "bias_act", biasActKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "bias_act_backward", biasActBackwardKernel);

}  // namespace cuda
}  // namespace tn
