// CUDA optimizer updates, one launch per parameter tensor, in place: SGD (momentum, Nesterov), Adam/AdamW, Adagrad, RMSprop, Adamax, Adadelta.
#include <cmath>

#include "../core/params/optim.h"
#include "cuda_launch.cuh"

namespace tn {
namespace cuda {
namespace {

// g += wd*p; with momentum: buf = first ? g : momentum*buf + (1-dampening)*g; g = nesterov ? g + momentum*buf : buf;
// p -= lr*g. buf is null without momentum.
__global__ void sgdStep(float* __restrict__ p, float* __restrict__ buf, const float* __restrict__ g, int64_t n, float lr,
                        float momentum, float dampening, float wd, bool nesterov, bool first) {
  TN_GRID_LOOP(i, n) {
    float d = g[i] + wd * p[i];
    if (buf) {
      const float b = first ? d : momentum * buf[i] + (1.f - dampening) * d;
      buf[i] = b;
      d = nesterov ? d + momentum * b : b;
    }
    p[i] -= lr * d;
  }
}

Status sgdKernel(KernelContext& ctx) {
  SgdParams prm;
  TN_RETURN_IF_ERROR(readSgdParams(ctx, prm));
  const int64_t n = ctx.out(0).size();
  if (n == 0) return Status::ok();
  sgdStep<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.out(0).data<float>(),
                                                    prm.useBuf() ? ctx.out(1).data<float>() : nullptr,
                                                    ctx.in(0).data<float>(), n, prm.lr, prm.momentum, prm.dampening,
                                                    prm.weightDecay, prm.nesterov, prm.first);
  return launchStatus(ctx.op.c_str());
}

// p = p*shrink - stepSize * m / (sqrt(v)/bc2Sqrt + eps) after m, v updates with g + l2*p (shrink: AdamW's decay).
__global__ void adamStep(float* __restrict__ p, float* __restrict__ m, float* __restrict__ v, const float* __restrict__ g,
                         int64_t n, float b1, float b2, float omb1, float omb2, float eps, float l2, float shrink,
                         float stepSize, float bc2Sqrt) {
  TN_GRID_LOOP(i, n) {
    const float pi = p[i];
    const float gi = g[i] + l2 * pi;
    // omb1/omb2 = 1-b1, 1-b2 rounded from double (as the CPU kernel and torch): float 1.f-b1 drifts ~6e-6/step.
    const float mi = b1 * m[i] + omb1 * gi;
    const float vi = b2 * v[i] + omb2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi * shrink - stepSize * mi / (sqrtf(vi) / bc2Sqrt + eps);
  }
}

Status adamKernel(KernelContext& ctx) {
  AdamParams prm;  // bias corrections in double, as torch and the CPU kernel compute them
  TN_RETURN_IF_ERROR(readAdamParams(ctx, prm));
  const int64_t n = ctx.out(0).size();
  if (n == 0) return Status::ok();
  adamStep<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.out(0).data<float>(), ctx.out(1).data<float>(),
                                                     ctx.out(2).data<float>(), ctx.in(0).data<float>(), n, prm.b1, prm.b2,
                                                     prm.omb1, prm.omb2, prm.eps, prm.l2, prm.shrink, prm.stepSize, prm.bc2Sqrt);
  return launchStatus(ctx.op.c_str());
}

// g += wd*p; sum += g^2; p -= clr*g/(sqrt(sum)+eps) with clr = lr/(1+(t-1)*lrDecay).
// epsInsideSqrt (tfjs/Keras): d = sqrt(sum + eps).
__global__ void adagradStep(float* __restrict__ p, float* __restrict__ sum, const float* __restrict__ g, int64_t n,
                            float clr, float eps, float wd, bool inside) {
  TN_GRID_LOOP(i, n) {
    const float gi = g[i] + wd * p[i];
    const float si = sum[i] + gi * gi;
    sum[i] = si;
    p[i] -= clr * gi / (inside ? sqrtf(si + eps) : sqrtf(si) + eps);
  }
}

Status adagradKernel(KernelContext& ctx) {
  AdagradParams prm;
  TN_RETURN_IF_ERROR(readAdagradParams(ctx, prm));
  const int64_t n = ctx.out(0).size();
  if (n == 0) return Status::ok();
  adagradStep<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.out(0).data<float>(), ctx.out(1).data<float>(),
                                                        ctx.in(0).data<float>(), n, prm.clr, prm.eps,
                                                        prm.weightDecay, prm.epsInsideSqrt);
  return launchStatus(ctx.op.c_str());
}

// g += wd*p; sq = a*sq + (1-a)g^2; avg = centered ? sq - gavg^2 (gavg = a*gavg + (1-a)g) : sq; d = sqrt(avg)+eps;
// momentum > 0: buf = m*buf + g/d, p -= lr*buf; else p -= lr*g/d. buf/gavg are null when unused.
__global__ void rmspropStep(float* __restrict__ p, float* __restrict__ sq, float* __restrict__ buf,
                            float* __restrict__ gavg, const float* __restrict__ g, int64_t n, float lr, float alpha,
                            float eps, float momentum, float wd, bool inside) {
  TN_GRID_LOOP(i, n) {
    const float gi = g[i] + wd * p[i];
    const float s = alpha * sq[i] + (1.f - alpha) * gi * gi;
    sq[i] = s;
    float avg = s;
    if (gavg) {
      const float ga = alpha * gavg[i] + (1.f - alpha) * gi;
      gavg[i] = ga;
      avg -= ga * ga;
    }
    const float d = inside ? sqrtf(avg + eps) : sqrtf(avg) + eps;  // inside: tfjs/Keras
    if (buf) {
      const float b = momentum * buf[i] + gi / d;
      buf[i] = b;
      p[i] -= lr * b;
    } else {
      p[i] -= lr * gi / d;
    }
  }
}

Status rmspropKernel(KernelContext& ctx) {
  RmspropParams prm;
  TN_RETURN_IF_ERROR(readRmspropParams(ctx, prm));
  const int64_t n = ctx.out(0).size();
  if (n == 0) return Status::ok();
  rmspropStep<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(
      ctx.out(0).data<float>(), ctx.out(1).data<float>(), prm.useBuf() ? ctx.out(2).data<float>() : nullptr,
      prm.centered ? ctx.out(3).data<float>() : nullptr, ctx.in(0).data<float>(), n, prm.lr, prm.alpha, prm.eps,
      prm.momentum, prm.weightDecay, prm.epsInsideSqrt);
  return launchStatus(ctx.op.c_str());
}

// tfjs Adamax: m = b1 m + (1-b1) g; u = max(b2 u, |g|); p -= stepSize * m / (u + eps).
__global__ void adamaxStep(float* __restrict__ p, float* __restrict__ m, float* __restrict__ u, const float* __restrict__ g,
                           int64_t n, float b1, float omb1, float b2, float eps, float stepSize) {
  TN_GRID_LOOP(i, n) {
    const float mi = b1 * m[i] + omb1 * g[i];
    const float ui = fmaxf(b2 * u[i], fabsf(g[i]));
    m[i] = mi;
    u[i] = ui;
    p[i] -= stepSize * mi / (ui + eps);
  }
}

Status adamaxKernel(KernelContext& ctx) {
  AdamaxParams prm;
  TN_RETURN_IF_ERROR(readAdamaxParams(ctx, prm));
  const int64_t n = ctx.out(0).size();
  if (n == 0) return Status::ok();
  adamaxStep<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.out(0).data<float>(), ctx.out(1).data<float>(),
                                                       ctx.out(2).data<float>(), ctx.in(0).data<float>(), n, prm.b1,
                                                       prm.omb1, prm.b2, prm.eps, prm.stepSize);
  return launchStatus(ctx.op.c_str());
}

// tfjs Adadelta: upd = sqrt(au + eps) / sqrt(ag + eps) * g (ag before its update); ag, au decay with rho; p -= lr upd.
__global__ void adadeltaStep(float* __restrict__ p, float* __restrict__ ag, float* __restrict__ au,
                             const float* __restrict__ g, int64_t n, float lr, float rho, float omRho, float eps) {
  TN_GRID_LOOP(i, n) {
    const float gi = g[i];
    const float upd = sqrtf(au[i] + eps) / sqrtf(ag[i] + eps) * gi;
    ag[i] = rho * ag[i] + omRho * gi * gi;
    au[i] = rho * au[i] + omRho * upd * upd;
    p[i] -= lr * upd;
  }
}

Status adadeltaKernel(KernelContext& ctx) {
  AdadeltaParams prm;
  TN_RETURN_IF_ERROR(readAdadeltaParams(ctx, prm));
  const int64_t n = ctx.out(0).size();
  if (n == 0) return Status::ok();
  adadeltaStep<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.out(0).data<float>(), ctx.out(1).data<float>(),
                                                         ctx.out(2).data<float>(), ctx.in(0).data<float>(), n, prm.lr,
                                                         prm.rho, prm.omRho, prm.eps);
  return launchStatus(ctx.op.c_str());
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CUDA, "adamax_update", adamaxKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "adadelta_update", adadeltaKernel);

TN_REGISTER_KERNEL(DeviceType::CUDA, "sgd_update", sgdKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "adam_update", adamKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "adagrad_update", adagradKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "rmsprop_update", rmspropKernel);

}  // namespace cuda
}  // namespace tn
