// Optimizer-update attrs and argument checks shared by the CPU and CUDA kernels (sgd/adam/adagrad/rmsprop/adamax/adadelta_update).
#pragma once
#include <cstdint>

#include "../kernel.h"

namespace tn {

struct SgdParams {
  float lr = 0, momentum = 0, dampening = 0, weightDecay = 0;
  bool nesterov = false, first = true;  // first: step == 1 (the momentum buffer starts as g)
  bool useBuf() const { return momentum != 0.f; }
};

struct AdamParams {
  float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
  float stepSize = 0, bc2Sqrt = 1;  // lr/(1-b1^t) and sqrt(1-b2^t), the bias corrections computed in double
  float shrink = 1, l2 = 0;          // AdamW's p *= shrink, or Adam's g += l2*p
  float omb1 = 0.1f, omb2 = 0.001f;  // 1-b1 and 1-b2 computed in double
};

// epsInsideSqrt: tfjs/Keras divide by sqrt(acc + eps); torch by sqrt(acc) + eps.
struct AdagradParams {
  float clr = 0, eps = 1e-10f, weightDecay = 0;  // clr = lr/(1+(t-1)*lrDecay)
  bool epsInsideSqrt = false;
};

struct RmspropParams {
  float lr = 0, alpha = 0.99f, eps = 1e-8f, momentum = 0, weightDecay = 0;
  bool centered = false, epsInsideSqrt = false;
  bool useBuf() const { return momentum > 0.f; }
};

// tfjs's Adamax: m = b1 m + (1-b1) g; u = max(b2 u, |g|); p -= stepSize * m / (u + eps),
// stepSize = lr / (1 + (t-1)*decay) / (1 - b1^t) computed in double.
struct AdamaxParams {
  float b1 = 0.9f, b2 = 0.999f, eps = 1e-7f, stepSize = 0, omb1 = 0.1f;
};

// tfjs's Adadelta: upd = sqrt(accUpd + eps) / sqrt(accGrad + eps) * g with accGrad read BEFORE its update;
// accGrad = rho accGrad + (1-rho) g^2; accUpd = rho accUpd + (1-rho) upd^2; p -= lr * upd.
struct AdadeltaParams {
  float lr = 0, rho = 0.95f, eps = 1e-7f, omRho = 0.05f;
};

// Each reads its kernel's attrs (a missing lr is an error; step is 1-based, >= 1) and checks grad and the outputs it
// writes: float32, all of the parameter's size.
Status readSgdParams(const KernelContext& ctx, SgdParams& p);
Status readAdamParams(const KernelContext& ctx, AdamParams& p);
Status readAdagradParams(const KernelContext& ctx, AdagradParams& p);
Status readRmspropParams(const KernelContext& ctx, RmspropParams& p);
Status readAdamaxParams(const KernelContext& ctx, AdamaxParams& p);
Status readAdadeltaParams(const KernelContext& ctx, AdadeltaParams& p);

}  // namespace tn
