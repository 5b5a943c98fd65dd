// CUDA optimizer updates, one launch per parameter tensor, in place: SGD (momentum, Nesterov), Adam/AdamW, Adagrad, RMSprop.
#include <cmath>

#include "cuda_launch.cuh"

namespace tn {
namespace cuda {
namespace {

// Same argument rules as the CPU kernels: grad and the first `nUsed` outputs are float32 of the parameter's size.
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

Status attrF(const KernelContext& ctx, const char* name, float& out, double def) {
  double v = def;
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr(name, v));
  out = static_cast<float>(v);
  return Status::ok();
}

Status lrAttr(const KernelContext& ctx, double& lr) {
  TN_CHECK(ctx.attrs.has("lr"), Value, ctx.op, ": missing attribute 'lr'");
  return ctx.attrs.getNumber("lr", lr);
}

Status readStep(const KernelContext& ctx, int64_t& step) {
  step = 1;
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("step", step));
  TN_CHECK(step >= 1, Value, ctx.op, ": step must be >= 1 (1-based count after this update), got ", step);
  return Status::ok();
}

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
  double lr;
  float momentum, dampening, wd, nesterov;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  TN_RETURN_IF_ERROR(attrF(ctx, "momentum", momentum, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "dampening", dampening, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "weightDecay", wd, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "nesterov", nesterov, 0));
  int64_t step;
  TN_RETURN_IF_ERROR(readStep(ctx, step));
  TN_RETURN_IF_ERROR(checkUpdateArgs(ctx, 2, momentum != 0.f ? 2 : 1));
  const int64_t n = ctx.out(0).size();
  if (n == 0) return Status::ok();
  sgdStep<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.out(0).data<float>(),
                                                    momentum != 0.f ? ctx.out(1).data<float>() : nullptr,
                                                    ctx.in(0).data<float>(), n, static_cast<float>(lr), momentum,
                                                    dampening, wd, nesterov != 0.f, step == 1);
  return launchStatus(ctx.op.c_str());
}

// p = p*shrink - stepSize * m / (sqrt(v)/bc2Sqrt + eps) after m, v updates with g + l2*p (shrink: AdamW's decay).
__global__ void adamStep(float* __restrict__ p, float* __restrict__ m, float* __restrict__ v, const float* __restrict__ g,
                         int64_t n, float b1, float b2, float eps, float l2, float shrink, float stepSize,
                         float bc2Sqrt) {
  TN_GRID_LOOP(i, n) {
    const float pi = p[i];
    const float gi = g[i] + l2 * pi;
    const float mi = b1 * m[i] + (1.f - b1) * gi;
    const float vi = b2 * v[i] + (1.f - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi * shrink - stepSize * mi / (sqrtf(vi) / bc2Sqrt + eps);
  }
}

Status adamKernel(KernelContext& ctx) {
  double lr, b1D = 0.9, b2D = 0.999;
  float b1, b2, eps, wd, decoupled;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  TN_RETURN_IF_ERROR(attrF(ctx, "beta1", b1, 0.9));
  TN_RETURN_IF_ERROR(attrF(ctx, "beta2", b2, 0.999));
  TN_RETURN_IF_ERROR(attrF(ctx, "eps", eps, 1e-8));
  TN_RETURN_IF_ERROR(attrF(ctx, "weightDecay", wd, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "decoupled", decoupled, 0));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("beta1", b1D));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("beta2", b2D));
  int64_t step;
  TN_RETURN_IF_ERROR(readStep(ctx, step));
  TN_RETURN_IF_ERROR(checkUpdateArgs(ctx, 3, 3));
  // Bias corrections in double, as torch and the CPU kernel compute them.
  const double bc1 = 1.0 - std::pow(b1D, static_cast<double>(step)), bc2 = 1.0 - std::pow(b2D, static_cast<double>(step));
  TN_CHECK(bc1 > 0 && bc2 > 0, Value, ctx.op, ": beta1 and beta2 must be in [0, 1), got ", b1D, " and ", b2D);
  const float stepSize = static_cast<float>(lr / bc1), bc2Sqrt = static_cast<float>(std::sqrt(bc2));
  const float shrink = decoupled != 0.f ? static_cast<float>(1.0 - lr * wd) : 1.f;
  const float l2 = decoupled != 0.f ? 0.f : wd;
  const int64_t n = ctx.out(0).size();
  if (n == 0) return Status::ok();
  adamStep<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.out(0).data<float>(), ctx.out(1).data<float>(),
                                                     ctx.out(2).data<float>(), ctx.in(0).data<float>(), n, b1, b2, eps,
                                                     l2, shrink, stepSize, bc2Sqrt);
  return launchStatus(ctx.op.c_str());
}

// g += wd*p; sum += g^2; p -= clr*g/(sqrt(sum)+eps) with clr = lr/(1+(t-1)*lrDecay).
__global__ void adagradStep(float* __restrict__ p, float* __restrict__ sum, const float* __restrict__ g, int64_t n,
                            float clr, float eps, float wd) {
  TN_GRID_LOOP(i, n) {
    const float gi = g[i] + wd * p[i];
    const float si = sum[i] + gi * gi;
    sum[i] = si;
    p[i] -= clr * gi / (sqrtf(si) + eps);
  }
}

Status adagradKernel(KernelContext& ctx) {
  double lr, lrDecay = 0;
  float eps, wd;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  TN_RETURN_IF_ERROR(attrF(ctx, "eps", eps, 1e-10));
  TN_RETURN_IF_ERROR(attrF(ctx, "weightDecay", wd, 0));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("lrDecay", lrDecay));
  int64_t step;
  TN_RETURN_IF_ERROR(readStep(ctx, step));
  TN_RETURN_IF_ERROR(checkUpdateArgs(ctx, 2, 2));
  const float clr = static_cast<float>(lr / (1.0 + static_cast<double>(step - 1) * lrDecay));
  const int64_t n = ctx.out(0).size();
  if (n == 0) return Status::ok();
  adagradStep<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.out(0).data<float>(), ctx.out(1).data<float>(),
                                                        ctx.in(0).data<float>(), n, clr, eps, wd);
  return launchStatus(ctx.op.c_str());
}

// g += wd*p; sq = a*sq + (1-a)g^2; avg = centered ? sq - gavg^2 (gavg = a*gavg + (1-a)g) : sq; d = sqrt(avg)+eps;
// momentum > 0: buf = m*buf + g/d, p -= lr*buf; else p -= lr*g/d. buf/gavg are null when unused.
__global__ void rmspropStep(float* __restrict__ p, float* __restrict__ sq, float* __restrict__ buf,
                            float* __restrict__ gavg, const float* __restrict__ g, int64_t n, float lr, float alpha,
                            float eps, float momentum, float wd) {
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
    const float d = sqrtf(avg) + eps;
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
  double lr;
  float alpha, eps, momentum, centered, wd;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  TN_RETURN_IF_ERROR(attrF(ctx, "alpha", alpha, 0.99));
  TN_RETURN_IF_ERROR(attrF(ctx, "eps", eps, 1e-8));
  TN_RETURN_IF_ERROR(attrF(ctx, "momentum", momentum, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "centered", centered, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "weightDecay", wd, 0));
  TN_RETURN_IF_ERROR(checkUpdateArgs(ctx, 4, 2));
  const int64_t n = ctx.out(0).size();
  for (int k : {2, 3}) {
    if ((k == 2 && momentum > 0.f) || (k == 3 && centered != 0.f)) {
      TN_RETURN_IF_ERROR(checkDType(ctx, ctx.out(k), DType::Float32, k == 2 ? "buf" : "gavg"));
      TN_CHECK(ctx.out(k).size() == n, Shape, ctx.op, ": ", (k == 2 ? "buf " : "gavg "), shapeStr(ctx.out(k).shape),
               " differs in size from param ", shapeStr(ctx.out(0).shape));
    }
  }
  if (n == 0) return Status::ok();
  rmspropStep<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(
      ctx.out(0).data<float>(), ctx.out(1).data<float>(), momentum > 0.f ? ctx.out(2).data<float>() : nullptr,
      centered != 0.f ? ctx.out(3).data<float>() : nullptr, ctx.in(0).data<float>(), n, static_cast<float>(lr), alpha,
      eps, momentum, wd);
  return launchStatus(ctx.op.c_str());
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CUDA, "sgd_update", sgdKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "adam_update", adamKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "adagrad_update", adagradKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "rmsprop_update", rmspropKernel);

}  // namespace cuda
}  // namespace tn
