// CUDA elementwise losses (JS applies the reduction): binary cross-entropy and squared error, forward and backward.
#include "../core/params/losses.h"
#include "../core/numeric_rules.h"
#include "../core/scalar_ops.h"
#include "cuda_launch.cuh"

namespace tn {
namespace cuda {
namespace {

// fromLogits: softplus(x) - x*t (stable form); else -(t*max(log p, -100) + (1-t)*max(log(1-p), -100)) as PyTorch.
template <bool kLogits>
__global__ void bceForward(const float* __restrict__ x, const float* __restrict__ t, float* __restrict__ loss, int64_t n) {
  TN_GRID_LOOP(i, n) {
    const float xi = x[i], ti = t[i];
    if (kLogits) {
      loss[i] = fmaxf(xi, 0.f) + log1pf(expf(-fabsf(xi))) - xi * ti;
    } else {
      // rules::clampLog, not fmaxf: fmaxf(NaN, -100) is -100, and NaN must propagate as on the CPU.
      const float lp = rules::clampLog(logf(xi)), l1p = rules::clampLog(log1pf(-xi));
      loss[i] = -(ti * lp + (1.f - ti) * l1p);
    }
  }
}

// fromLogits: (sigmoid(x) - t)*dl; else (p - t)/max(p(1-p), 1e-12)*dl.
template <bool kLogits>
__global__ void bceBackward(const float* __restrict__ x, const float* __restrict__ t, const float* __restrict__ dl,
                            float* __restrict__ dx, int64_t n) {
  TN_GRID_LOOP(i, n) {
    const float xi = x[i], ti = t[i];
    dx[i] = kLogits ? (scalar::sigmoid(xi) - ti) * dl[i] : (xi - ti) / fmaxf(xi * (1.f - xi), 1e-12f) * dl[i];
  }
}

__global__ void squaredErrorForward(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ y,
                                    int64_t n) {
  TN_GRID_LOOP(i, n) {
    const float d = a[i] - b[i];
    y[i] = d * d;
  }
}

// da = 2(a-b)dy (db = -da is left to JS).
__global__ void squaredErrorBackward(const float* __restrict__ a, const float* __restrict__ b,
                                     const float* __restrict__ dy, float* __restrict__ da, int64_t n) {
  TN_GRID_LOOP(i, n) da[i] = 2.f * (a[i] - b[i]) * dy[i];
}

Status bceKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkSameSizeF32(ctx, 2, 1));
  int64_t fromLogits = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("fromLogits", fromLogits));
  const int64_t n = ctx.in(0).size();
  if (n == 0) return Status::ok();
  const float *x = ctx.in(0).data<float>(), *t = ctx.in(1).data<float>();
  float* loss = ctx.out(0).data<float>();
  if (fromLogits) bceForward<true><<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(x, t, loss, n);
  else bceForward<false><<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(x, t, loss, n);
  return launchStatus(ctx.op.c_str());
}

Status bceBackwardKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkSameSizeF32(ctx, 3, 1));
  int64_t fromLogits = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("fromLogits", fromLogits));
  const int64_t n = ctx.in(0).size();
  if (n == 0) return Status::ok();
  const float *x = ctx.in(0).data<float>(), *t = ctx.in(1).data<float>(), *dl = ctx.in(2).data<float>();
  float* dx = ctx.out(0).data<float>();
  if (fromLogits) bceBackward<true><<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(x, t, dl, dx, n);
  else bceBackward<false><<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(x, t, dl, dx, n);
  return launchStatus(ctx.op.c_str());
}

Status squaredErrorKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkSameSizeF32(ctx, 2, 1));
  const int64_t n = ctx.in(0).size();
  if (n == 0) return Status::ok();
  squaredErrorForward<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.in(0).data<float>(), ctx.in(1).data<float>(),
                                                                ctx.out(0).data<float>(), n);
  return launchStatus(ctx.op.c_str());
}

Status squaredErrorBackwardKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkSameSizeF32(ctx, 3, 1));
  const int64_t n = ctx.in(0).size();
  if (n == 0) return Status::ok();
  squaredErrorBackward<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.in(0).data<float>(), ctx.in(1).data<float>(),
                                                                 ctx.in(2).data<float>(), ctx.out(0).data<float>(), n);
  return launchStatus(ctx.op.c_str());
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CUDA, "binary_cross_entropy", bceKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "binary_cross_entropy_backward", bceBackwardKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "squared_error", squaredErrorKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "squared_error_backward", squaredErrorBackwardKernel);

}  // namespace cuda
}  // namespace tn
