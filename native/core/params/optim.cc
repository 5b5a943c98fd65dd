// Optimizer-update attrs and argument checks shared by the CPU and CUDA kernels.
#include "optim.h"

#include <cmath>

namespace tn {
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

}  // namespace

Status readSgdParams(const KernelContext& ctx, SgdParams& p) {
  double lr = 0;
  float nesterov;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  p.lr = static_cast<float>(lr);
  TN_RETURN_IF_ERROR(attrF(ctx, "momentum", p.momentum, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "dampening", p.dampening, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "weightDecay", p.weightDecay, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "nesterov", nesterov, 0));
  p.nesterov = nesterov != 0.f;
  int64_t step;
  TN_RETURN_IF_ERROR(readStep(ctx, step));
  p.first = step == 1;
  return checkUpdateArgs(ctx, 2, p.useBuf() ? 2 : 1);
}

Status readAdamParams(const KernelContext& ctx, AdamParams& p) {
  double lr = 0, b1D = 0.9, b2D = 0.999;
  float wd, decoupled;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  TN_RETURN_IF_ERROR(attrF(ctx, "beta1", p.b1, 0.9));
  TN_RETURN_IF_ERROR(attrF(ctx, "beta2", p.b2, 0.999));
  TN_RETURN_IF_ERROR(attrF(ctx, "eps", p.eps, 1e-8));
  TN_RETURN_IF_ERROR(attrF(ctx, "weightDecay", wd, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "decoupled", decoupled, 0));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("beta1", b1D));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("beta2", b2D));
  int64_t step;
  TN_RETURN_IF_ERROR(readStep(ctx, step));
  TN_RETURN_IF_ERROR(checkUpdateArgs(ctx, 3, 3));
  // Bias corrections in double, as torch computes them.
  const double bc1 = 1.0 - std::pow(b1D, static_cast<double>(step)), bc2 = 1.0 - std::pow(b2D, static_cast<double>(step));
  TN_CHECK(bc1 > 0 && bc2 > 0, Value, ctx.op, ": beta1 and beta2 must be in [0, 1), got ", b1D, " and ", b2D);
  p.stepSize = static_cast<float>(lr / bc1);
  p.bc2Sqrt = static_cast<float>(std::sqrt(bc2));
  p.shrink = decoupled != 0.f ? static_cast<float>(1.0 - lr * wd) : 1.f;
  p.l2 = decoupled != 0.f ? 0.f : wd;
  // 1 - beta in double: 1.f - float(0.999) is off by 1.3e-5 relative, which the (double) bias correction does not
  // share, and Adam's step then drifts ~6e-6 relative per update from torch's.
  p.omb1 = static_cast<float>(1.0 - b1D);
  p.omb2 = static_cast<float>(1.0 - b2D);
  return Status::ok();
}

Status readAdagradParams(const KernelContext& ctx, AdagradParams& p) {
  double lr = 0, lrDecay = 0;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  float inside;
  TN_RETURN_IF_ERROR(attrF(ctx, "eps", p.eps, 1e-10));
  TN_RETURN_IF_ERROR(attrF(ctx, "weightDecay", p.weightDecay, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "epsInsideSqrt", inside, 0));
  p.epsInsideSqrt = inside != 0.f;
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("lrDecay", lrDecay));
  int64_t step;
  TN_RETURN_IF_ERROR(readStep(ctx, step));
  TN_RETURN_IF_ERROR(checkUpdateArgs(ctx, 2, 2));
  p.clr = static_cast<float>(lr / (1.0 + static_cast<double>(step - 1) * lrDecay));
  return Status::ok();
}

Status readRmspropParams(const KernelContext& ctx, RmspropParams& p) {
  double lr = 0;
  float centered, inside;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  p.lr = static_cast<float>(lr);
  TN_RETURN_IF_ERROR(attrF(ctx, "epsInsideSqrt", inside, 0));
  p.epsInsideSqrt = inside != 0.f;
  TN_RETURN_IF_ERROR(attrF(ctx, "alpha", p.alpha, 0.99));
  TN_RETURN_IF_ERROR(attrF(ctx, "eps", p.eps, 1e-8));
  TN_RETURN_IF_ERROR(attrF(ctx, "momentum", p.momentum, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "centered", centered, 0));
  TN_RETURN_IF_ERROR(attrF(ctx, "weightDecay", p.weightDecay, 0));
  p.centered = centered != 0.f;
  // Outputs: param, sq (always), buf (momentum > 0), gavg (centered); check exactly those that are written.
  TN_RETURN_IF_ERROR(checkUpdateArgs(ctx, 4, 2));
  const int64_t n = ctx.out(0).size();
  for (int k : {2, 3}) {
    if ((k == 2 && p.useBuf()) || (k == 3 && p.centered)) {
      TN_RETURN_IF_ERROR(checkDType(ctx, ctx.out(k), DType::Float32, k == 2 ? "buf" : "gavg"));
      TN_CHECK(ctx.out(k).size() == n, Shape, ctx.op, ": ", (k == 2 ? "buf " : "gavg "), shapeStr(ctx.out(k).shape),
               " differs in size from param ", shapeStr(ctx.out(0).shape));
    }
  }
  return Status::ok();
}

Status readAdamaxParams(const KernelContext& ctx, AdamaxParams& p) {
  double lr = 0, b1D = 0.9, decay = 0;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  TN_RETURN_IF_ERROR(attrF(ctx, "beta1", p.b1, 0.9));
  TN_RETURN_IF_ERROR(attrF(ctx, "beta2", p.b2, 0.999));
  TN_RETURN_IF_ERROR(attrF(ctx, "eps", p.eps, 1e-7));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("beta1", b1D));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("decay", decay));
  TN_CHECK(decay >= 0, Value, ctx.op, ": decay must be >= 0, got ", decay);
  int64_t step;
  TN_RETURN_IF_ERROR(readStep(ctx, step));
  TN_RETURN_IF_ERROR(checkUpdateArgs(ctx, 3, 3));
  const double bc1 = 1.0 - std::pow(b1D, static_cast<double>(step));
  TN_CHECK(bc1 > 0 && p.b2 >= 0 && p.b2 < 1, Value, ctx.op, ": beta1 and beta2 must be in [0, 1), got ", b1D, " and ", p.b2);
  p.stepSize = static_cast<float>(lr / (1.0 + static_cast<double>(step - 1) * decay) / bc1);
  p.omb1 = static_cast<float>(1.0 - b1D);
  return Status::ok();
}

Status readAdadeltaParams(const KernelContext& ctx, AdadeltaParams& p) {
  double lr = 0, rhoD = 0.95;
  TN_RETURN_IF_ERROR(lrAttr(ctx, lr));
  p.lr = static_cast<float>(lr);
  TN_RETURN_IF_ERROR(attrF(ctx, "rho", p.rho, 0.95));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumberOr("rho", rhoD));
  TN_RETURN_IF_ERROR(attrF(ctx, "eps", p.eps, 1e-7));
  TN_CHECK(rhoD >= 0 && rhoD <= 1, Value, ctx.op, ": rho must be in [0, 1], got ", rhoD);
  TN_CHECK(p.eps > 0, Value, ctx.op, ": eps must be > 0 (it is the first update's numerator), got ", p.eps);
  p.omRho = static_cast<float>(1.0 - rhoD);
  return checkUpdateArgs(ctx, 3, 3);
}

}  // namespace tn
