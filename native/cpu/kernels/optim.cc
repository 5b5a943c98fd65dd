// CPU optimizer updates, in place on the parameter and state tensors: SGD (momentum, Nesterov), Adam/AdamW, Adagrad, RMSprop, Adamax, Adadelta.
#include <algorithm>
#include <cmath>
#if defined(__SSE__)
#include <immintrin.h>
#endif

#include "../../core/params/optim.h"
#include "../simd.h"
#include "cpu_kernel_util.h"


namespace tn {
namespace cpu {
namespace {

// g += wd*p; with momentum: buf = step==1 ? g : momentum*buf + (1-dampening)*g; g = nesterov ? g + momentum*buf : buf;
// p -= lr*g.
Status sgdKernel(KernelContext& ctx) {
  SgdParams prm;
  TN_RETURN_IF_ERROR(readSgdParams(ctx, prm));
  const float lr = prm.lr, momentum = prm.momentum, dampening = prm.dampening, wd = prm.weightDecay;
  const float* g = ctx.in(0).data<float>();
  float *p = ctx.out(0).data<float>(), *buf = prm.useBuf() ? ctx.out(1).data<float>() : nullptr;
  const bool first = prm.first, nest = prm.nesterov;
  parallelFor(ctx.out(0).size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) {
      float d = g[i] + wd * p[i];
      if (buf) {
        buf[i] = first ? d : momentum * buf[i] + (1.f - dampening) * d;
        d = nest ? d + momentum * buf[i] : buf[i];
      }
      p[i] -= lr * d;
    }
  });
  return Status::ok();
}

// In-place sqrt of n floats with the vector instruction. A loop over std::sqrt does not vectorize under GCC's default
// -fmath-errno (it keeps a scalar sqrtss and a libm call for negative inputs, per element); the values are the same
// (IEEE sqrt, NaN for a negative input).
void sqrtInPlace(float* d, int64_t n) {
  int64_t i = 0;
#if defined(__SSE__)
  for (; i + 4 <= n; i += 4) _mm_storeu_ps(d + i, _mm_sqrt_ps(_mm_loadu_ps(d + i)));
#endif
  for (; i < n; ++i) d[i] = std::sqrt(d[i]);
}

// decoupled (AdamW): p *= 1 - lr*wd, else g += wd*p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
// p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps). The bias corrections are computed in double, as torch does
// (core/params/optim.cc).
// The update over n elements in three passes over an L1-sized block: the moments (den = v), den = sqrt(den),
// then the step; each vectorizes. The four buffers are distinct tensors (restrict lets the clones vectorize).
TN_MULTIVERSION void adamMoments(const AdamParams& prm, const float* __restrict g, const float* __restrict p,
                                 float* __restrict m, float* __restrict v, float* __restrict den, int64_t n) {
  const float b1 = prm.b1, b2 = prm.b2, l2 = prm.l2, omb1 = prm.omb1, omb2 = prm.omb2;
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i] + l2 * p[i];
    m[i] = b1 * m[i] + omb1 * gi;
    den[i] = v[i] = b2 * v[i] + omb2 * gi * gi;
  }
}

TN_MULTIVERSION void adamStep(const AdamParams& prm, const float* __restrict m, const float* __restrict sqrtV,
                              float* __restrict p, int64_t n) {
  const float eps = prm.eps, stepSize = prm.stepSize, bc2Sqrt = prm.bc2Sqrt, shrink = prm.shrink;
  for (int64_t i = 0; i < n; ++i) p[i] = p[i] * shrink - stepSize * m[i] / (sqrtV[i] / bc2Sqrt + eps);
}

Status adamKernel(KernelContext& ctx) {
  AdamParams prm;
  TN_RETURN_IF_ERROR(readAdamParams(ctx, prm));
  const float* g = ctx.in(0).data<float>();
  float *p = ctx.out(0).data<float>(), *m = ctx.out(1).data<float>(), *v = ctx.out(2).data<float>();
  parallelFor(ctx.out(0).size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    constexpr int64_t kBlock = 512;
    float den[kBlock];
    for (int64_t b = s; b < e; b += kBlock) {
      const int64_t n = std::min(kBlock, e - b);
      adamMoments(prm, g + b, p + b, m + b, v + b, den, n);
      sqrtInPlace(den, n);
      adamStep(prm, m + b, den, p + b, n);
    }
  });
  return Status::ok();
}

// g += wd*p; clr = lr/(1+(t-1)*lrDecay); sum += g^2; p -= clr*g/d, d = sqrt(sum)+eps or sqrt(sum+eps) (tfjs).
Status adagradKernel(KernelContext& ctx) {
  AdagradParams prm;
  TN_RETURN_IF_ERROR(readAdagradParams(ctx, prm));
  const float clr = prm.clr, eps = prm.eps, wd = prm.weightDecay;
  const bool inside = prm.epsInsideSqrt;
  const float* g = ctx.in(0).data<float>();
  float *p = ctx.out(0).data<float>(), *sum = ctx.out(1).data<float>();
  parallelFor(ctx.out(0).size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) {
      const float gi = g[i] + wd * p[i];
      sum[i] += gi * gi;
      p[i] -= clr * gi / (inside ? std::sqrt(sum[i] + eps) : std::sqrt(sum[i]) + eps);
    }
  });
  return Status::ok();
}

// g += wd*p; sq = a*sq + (1-a)g^2; avg = centered ? sq - gavg^2 (gavg = a*gavg + (1-a)g) : sq;
// d = sqrt(avg) + eps, or sqrt(avg + eps) with epsInsideSqrt (tfjs/Keras);
// momentum > 0: buf = m*buf + g/d, p -= lr*buf; else p -= lr*g/d.
Status rmspropKernel(KernelContext& ctx) {
  RmspropParams prm;
  TN_RETURN_IF_ERROR(readRmspropParams(ctx, prm));
  const float lr = prm.lr, alpha = prm.alpha, eps = prm.eps, momentum = prm.momentum, wd = prm.weightDecay;
  const bool inside = prm.epsInsideSqrt;
  const int64_t n = ctx.out(0).size();
  const float* g = ctx.in(0).data<float>();
  float *p = ctx.out(0).data<float>(), *sq = ctx.out(1).data<float>();
  float* buf = prm.useBuf() ? ctx.out(2).data<float>() : nullptr;
  float* gavg = prm.centered ? ctx.out(3).data<float>() : nullptr;
  parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) {
      const float gi = g[i] + wd * p[i];
      sq[i] = alpha * sq[i] + (1.f - alpha) * gi * gi;
      float avg = sq[i];
      if (gavg) {
        gavg[i] = alpha * gavg[i] + (1.f - alpha) * gi;
        avg -= gavg[i] * gavg[i];
      }
      const float d = inside ? std::sqrt(avg + eps) : std::sqrt(avg) + eps;
      if (buf) {
        buf[i] = momentum * buf[i] + gi / d;
        p[i] -= lr * buf[i];
      } else {
        p[i] -= lr * gi / d;
      }
    }
  });
  return Status::ok();
}

// tfjs Adamax: m = b1 m + (1-b1) g; u = max(b2 u, |g|); p -= stepSize * m / (u + eps) (core/params/optim.h).
Status adamaxKernel(KernelContext& ctx) {
  AdamaxParams prm;
  TN_RETURN_IF_ERROR(readAdamaxParams(ctx, prm));
  const float b1 = prm.b1, b2 = prm.b2, eps = prm.eps, stepSize = prm.stepSize, omb1 = prm.omb1;
  const float* g = ctx.in(0).data<float>();
  float *p = ctx.out(0).data<float>(), *m = ctx.out(1).data<float>(), *u = ctx.out(2).data<float>();
  parallelFor(ctx.out(0).size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) {
      m[i] = b1 * m[i] + omb1 * g[i];
      u[i] = std::max(b2 * u[i], std::fabs(g[i]));
      p[i] -= stepSize * m[i] / (u[i] + eps);
    }
  });
  return Status::ok();
}

// tfjs Adadelta: upd = sqrt(au + eps) / sqrt(ag + eps) * g (ag before its update); ag = rho ag + (1-rho) g^2;
// au = rho au + (1-rho) upd^2; p -= lr * upd.
Status adadeltaKernel(KernelContext& ctx) {
  AdadeltaParams prm;
  TN_RETURN_IF_ERROR(readAdadeltaParams(ctx, prm));
  const float lr = prm.lr, rho = prm.rho, eps = prm.eps, omRho = prm.omRho;
  const float* g = ctx.in(0).data<float>();
  float *p = ctx.out(0).data<float>(), *ag = ctx.out(1).data<float>(), *au = ctx.out(2).data<float>();
  parallelFor(ctx.out(0).size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) {
      const float upd = std::sqrt(au[i] + eps) / std::sqrt(ag[i] + eps) * g[i];
      ag[i] = rho * ag[i] + omRho * g[i] * g[i];
      au[i] = rho * au[i] + omRho * upd * upd;
      p[i] -= lr * upd;
    }
  });
  return Status::ok();
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "adamax_update", adamaxKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "adadelta_update", adadeltaKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "sgd_update", sgdKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "adam_update", adamKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "adagrad_update", adagradKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "rmsprop_update", rmspropKernel);

}  // namespace cpu
}  // namespace tn
