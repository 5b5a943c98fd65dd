// CPU optimizer updates, in place on the parameter and state tensors: SGD (momentum, Nesterov), Adam/AdamW, Adagrad, RMSprop.
#include <cmath>

#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

// Checks grad (input 0) and the first `nUsed` outputs: float32, all of the parameter's size. Unused state outputs
// (e.g. SGD's buffer without momentum) are never touched, so their size does not matter.
Status checkUpdateArgs(const KernelContext& ctx, size_t nOut, size_t nUsed) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, nOut));
  const int64_t n = ctx.out(0).size();
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.in(0), DType::Float32, "grad"));
  TN_CHECK(ctx.in(0).size() == n, Shape, ctx.op, ": grad ", shapeStr(ctx.in(0).shape), " differs in size from param ",
           shapeStr(ctx.out(0).shape));
  for (size_t i = 0; i < nUsed; ++i) {
    TN_RETURN_IF_ERROR(checkDType(ctx, ctx.out(i), DType::Float32, i == 0 ? "param" : "state"));
    TN_CHECK(ctx.out(i).size() == n, Shape, ctx.op, ": state tensor ", i, " ", shapeStr(ctx.out(i).shape),
             " differs in size from param ", shapeStr(ctx.out(0).shape));
  }
  return Status::ok();
}

// Reads a numeric attr as float, with a default.
Status attrF(const KernelContext& ctx, const char* name, float& out, double def) {
  double v = def;
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr(name, v));
  out = static_cast<float>(v);
  return Status::ok();
}

// The learning rate has no default: a missing lr is an error naming the op.
Status lrAttr(const KernelContext& ctx, float& lr) {
  double v = 0;
  TN_CHECK(ctx.attrs.has("lr"), Value, ctx.op, ": missing attribute 'lr'");
  TN_RETURN_IF_ERROR(ctx.attrs.getNumber("lr", v));
  lr = static_cast<float>(v);
  return Status::ok();
}

Status readStep(const KernelContext& ctx, int64_t& step) {
  step = 1;
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("step", step));
  TN_CHECK(step >= 1, Value, ctx.op, ": step must be >= 1 (1-based count after this update), got ", step);
  return Status::ok();
}

// g += wd*p; with momentum: buf = step==1 ? g : momentum*buf + (1-dampening)*g; g = nesterov ? g + momentum*buf : buf;
// p -= lr*g.
Status sgdKernel(KernelContext& ctx) {
  float lr, momentum, dampening, wd, nesterov;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  TN_RETURN_IF_ERROR(attrF(ctx, "momentum", momentum, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "dampening", dampening, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "weightDecay", wd, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "nesterov", nesterov, 0));
  int64_t step;
  TN_RETURN_IF_ERROR(readStep(ctx, step));
  TN_RETURN_IF_ERROR(checkUpdateArgs(ctx, 2, momentum != 0.f ? 2 : 1));
  const float* g = ctx.in(0).data<float>();
  float *p = ctx.out(0).data<float>(), *buf = momentum != 0.f ? ctx.out(1).data<float>() : nullptr;
  const bool first = step == 1, nest = nesterov != 0.f;
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

// decoupled (AdamW): p *= 1 - lr*wd, else g += wd*p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
// p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps). The bias corrections are computed in double, as torch does.
Status adamKernel(KernelContext& ctx) {
  float lr, b1, b2, eps, wd, decoupled;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  TN_RETURN_IF_ERROR(attrF(ctx, "beta1", b1, 0.9));
  TN_RETURN_IF_ERROR(attrF(ctx, "beta2", b2, 0.999));
  TN_RETURN_IF_ERROR(attrF(ctx, "eps", eps, 1e-8));
  TN_RETURN_IF_ERROR(attrF(ctx, "weightDecay", wd, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "decoupled", decoupled, 0));
  int64_t step;
  TN_RETURN_IF_ERROR(readStep(ctx, step));
  TN_RETURN_IF_ERROR(checkUpdateArgs(ctx, 3, 3));
  double lrD = 0, b1D = 0.9, b2D = 0.999;
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("lr", lrD));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("beta1", b1D));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("beta2", b2D));
  const double bc1 = 1.0 - std::pow(b1D, static_cast<double>(step)), bc2 = 1.0 - std::pow(b2D, static_cast<double>(step));
  TN_CHECK(bc1 > 0 && bc2 > 0, Value, ctx.op, ": beta1 and beta2 must be in [0, 1), got ", b1D, " and ", b2D);
  const float stepSize = static_cast<float>(lrD / bc1), bc2Sqrt = static_cast<float>(std::sqrt(bc2));
  const float shrink = decoupled != 0.f ? static_cast<float>(1.0 - lrD * wd) : 1.f;
  const float l2 = decoupled != 0.f ? 0.f : wd;
  // 1 - beta in double: 1.f - float(0.999) is off by 1.3e-5 relative, which the (double) bias correction does not
  // share, and Adam's step then drifts ~6e-6 relative per update from torch's.
  const float omb1 = static_cast<float>(1.0 - b1D), omb2 = static_cast<float>(1.0 - b2D);
  const float* g = ctx.in(0).data<float>();
  float *p = ctx.out(0).data<float>(), *m = ctx.out(1).data<float>(), *v = ctx.out(2).data<float>();
  parallelFor(ctx.out(0).size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) {
      const float pi = p[i] * shrink;
      const float gi = g[i] + l2 * p[i];
      m[i] = b1 * m[i] + omb1 * gi;
      v[i] = b2 * v[i] + omb2 * gi * gi;
      p[i] = pi - stepSize * m[i] / (std::sqrt(v[i]) / bc2Sqrt + eps);
    }
  });
  return Status::ok();
}

// g += wd*p; clr = lr/(1+(t-1)*lrDecay); sum += g^2; p -= clr*g/(sqrt(sum)+eps).
Status adagradKernel(KernelContext& ctx) {
  float lr, eps, wd;
  double lrD = 0, lrDecay = 0;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  TN_RETURN_IF_ERROR(attrF(ctx, "eps", eps, 1e-10));
  TN_RETURN_IF_ERROR(attrF(ctx, "weightDecay", wd, 0));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("lr", lrD));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("lrDecay", lrDecay));
  int64_t step;
  TN_RETURN_IF_ERROR(readStep(ctx, step));
  TN_RETURN_IF_ERROR(checkUpdateArgs(ctx, 2, 2));
  const float clr = static_cast<float>(lrD / (1.0 + static_cast<double>(step - 1) * lrDecay));
  const float* g = ctx.in(0).data<float>();
  float *p = ctx.out(0).data<float>(), *sum = ctx.out(1).data<float>();
  parallelFor(ctx.out(0).size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) {
      const float gi = g[i] + wd * p[i];
      sum[i] += gi * gi;
      p[i] -= clr * gi / (std::sqrt(sum[i]) + eps);
    }
  });
  return Status::ok();
}

// g += wd*p; sq = a*sq + (1-a)g^2; avg = centered ? sq - gavg^2 (gavg = a*gavg + (1-a)g) : sq; d = sqrt(avg) + eps;
// momentum > 0: buf = m*buf + g/d, p -= lr*buf; else p -= lr*g/d.
Status rmspropKernel(KernelContext& ctx) {
  float lr, alpha, eps, momentum, centered, wd;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  TN_RETURN_IF_ERROR(attrF(ctx, "alpha", alpha, 0.99));
  TN_RETURN_IF_ERROR(attrF(ctx, "eps", eps, 1e-8));
  TN_RETURN_IF_ERROR(attrF(ctx, "momentum", momentum, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "centered", centered, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "weightDecay", wd, 0));
  // Outputs: param, sq (always), buf (momentum > 0), gavg (centered); check exactly those that are written.
  TN_RETURN_IF_ERROR(checkUpdateArgs(ctx, 4, 2));
  const int64_t n = ctx.out(0).size();
  for (int k : {2, 3}) {
    if ((k == 2 && momentum > 0.f) || (k == 3 && centered != 0.f)) {
      TN_RETURN_IF_ERROR(checkDType(ctx, ctx.out(k), DType::Float32, k == 2 ? "buf" : "gavg"));
      TN_CHECK(ctx.out(k).size() == n, Shape, ctx.op, ": ", (k == 2 ? "buf " : "gavg "), shapeStr(ctx.out(k).shape),
               " differs in size from param ", shapeStr(ctx.out(0).shape));
    }
  }
  const float* g = ctx.in(0).data<float>();
  float *p = ctx.out(0).data<float>(), *sq = ctx.out(1).data<float>();
  float* buf = momentum > 0.f ? ctx.out(2).data<float>() : nullptr;
  float* gavg = centered != 0.f ? ctx.out(3).data<float>() : nullptr;
  parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) {
      const float gi = g[i] + wd * p[i];
      sq[i] = alpha * sq[i] + (1.f - alpha) * gi * gi;
      float avg = sq[i];
      if (gavg) {
        gavg[i] = alpha * gavg[i] + (1.f - alpha) * gi;
        avg -= gavg[i] * gavg[i];
      }
      const float d = std::sqrt(avg) + eps;
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

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "sgd_update", sgdKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "adam_update", adamKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "adagrad_update", adagradKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "rmsprop_update", rmspropKernel);

}  // namespace cpu
}  // namespace tn
