// Optimizer-update attrs and argument checks shared by the CPU and CUDA kernels (sgd/adam/adagrad/rmsprop_update).
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

struct AdagradParams {
  float clr = 0, eps = 1e-10f, weightDecay = 0;  // clr = lr/(1+(t-1)*lrDecay)
};

struct RmspropParams {
  float lr = 0, alpha = 0.99f, eps = 1e-8f, momentum = 0, weightDecay = 0;
  bool centered = false;
  bool useBuf() const { return momentum > 0.f; }
};

// Each reads its kernel's attrs (a missing lr is an error; step is 1-based, >= 1) and checks grad and the outputs it
// writes: float32, all of the parameter's size.
Status readSgdParams(const KernelContext& ctx, SgdParams& p);
Status readAdamParams(const KernelContext& ctx, AdamParams& p);
Status readAdagradParams(const KernelContext& ctx, AdagradParams& p);
Status readRmspropParams(const KernelContext& ctx, RmspropParams& p);

}  // namespace tn
