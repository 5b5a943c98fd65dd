// CPU dropout: keep mask from the counter-based RNG (core/rng.h) so CPU and CUDA draw the same mask for a seed.
#include "../../core/params/creation.h"
#include "../../core/rng.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

// mask[i] = (uniformAt(seed, i) >= rate) ? 1/(1-rate) : 0 and y = x*mask, all in float32 exactly as the CUDA kernel
// computes it (the threshold and the scale are rounded to float first), so both backends agree bit for bit.
Status dropoutKernel(KernelContext& ctx) {
  DropoutParams prm;
  TN_RETURN_IF_ERROR(readDropoutParams(ctx, prm));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0), &mask = ctx.out(1);
  const float r = prm.rate, scale = prm.scale;
  const uint64_t s = prm.seed;
  const float* px = x.data<float>();
  float *py = y.data<float>(), *pm = mask.data<float>();
  parallelFor(x.size(), kElementwiseGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      float m = uniformAt(s, static_cast<uint64_t>(i)) >= r ? scale : 0.f;
      pm[i] = m;
      py[i] = px[i] * m;
    }
  });
  return Status::ok();
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "dropout", dropoutKernel);

}  // namespace cpu
}  // namespace tn
