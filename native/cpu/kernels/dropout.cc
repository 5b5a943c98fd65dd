// CPU dropout: keep mask from the counter-based RNG (core/rng.h) so CPU and CUDA draw the same mask for a seed.
#include "../../core/rng.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

// mask[i] = (uniformAt(seed, i) >= rate) ? 1/(1-rate) : 0 and y = x*mask, all in float32 exactly as the CUDA kernel
// computes it (the threshold and the scale are rounded to float first), so both backends agree bit for bit.
Status dropoutKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 2));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0), &mask = ctx.out(1);
  for (const TensorArg* t : {&x, &y, &mask}) TN_RETURN_IF_ERROR(checkDType(ctx, *t, DType::Float32, "x/y/mask"));
  TN_CHECK(y.size() == x.size() && mask.size() == x.size(), Shape, "dropout: y ", shapeStr(y.shape), " and mask ",
           shapeStr(mask.shape), " must have the size of x ", shapeStr(x.shape));
  double rate = 0, seed = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getNumber("rate", rate));
  TN_RETURN_IF_ERROR(ctx.attrs.getNumber("seed", seed));
  TN_CHECK(rate >= 0 && rate <= 1, Value, "dropout: rate must be in [0, 1], got ", rate);
  TN_CHECK(seed >= 0, Value, "dropout: seed must be non-negative, got ", seed);
  const float r = static_cast<float>(rate);
  const float scale = r < 1.f ? 1.f / (1.f - r) : 0.f;  // rate 1 drops everything
  const uint64_t s = static_cast<uint64_t>(seed);
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
