// CPU creation and copy kernels: copy, fill, arange, cast, random_uniform, random_normal, one_hot.
#include <cstring>

#include "../../core/numeric_rules.h"
#include "../../core/params/creation.h"
#include "../../core/rng.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

Status copyKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  TN_CHECK(ctx.in(0).size() == ctx.out(0).size(), Shape, "copy: sizes differ");
  std::memcpy(ctx.out(0).storage->data(), ctx.in(0).storage->data(), ctx.in(0).size() * dtypeSize(ctx.in(0).dtype));
  return Status::ok();
}

Status fillKernel(KernelContext& ctx) {
  double value;
  TN_RETURN_IF_ERROR(readFillParams(ctx, value));
  const TensorArg& y = ctx.out(0);
  int64_t n = y.size();
  if (y.dtype == DType::Float32) {
    float* p = y.data<float>();
    parallelFor(n, kElementwiseGrain, [&](int64_t b, int64_t e) { for (int64_t i = b; i < e; ++i) p[i] = static_cast<float>(value); });
  } else {
    int32_t* p = y.data<int32_t>();
    parallelFor(n, kElementwiseGrain, [&](int64_t b, int64_t e) { for (int64_t i = b; i < e; ++i) p[i] = rules::toInt32(value); });
  }
  return Status::ok();
}

Status arangeKernel(KernelContext& ctx) {
  double start, step;
  TN_RETURN_IF_ERROR(readArangeParams(ctx, start, step));
  const TensorArg& y = ctx.out(0);
  for (int64_t i = 0; i < y.size(); ++i) {
    double v = rules::arangeValue(start, step, i);
    if (y.dtype == DType::Float32) y.data<float>()[i] = static_cast<float>(v);
    else y.data<int32_t>()[i] = rules::toInt32(v);
  }
  return Status::ok();
}

// f32 -> i32 truncates toward zero (as tfjs); anything -> bool is x != 0 (NaN -> true); bool is stored as int32 0/1.
Status castKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_CHECK(x.size() == y.size(), Shape, "cast: sizes differ");
  int64_t n = x.size();
  if (x.dtype == y.dtype || (x.dtype == DType::Bool && y.dtype == DType::Int32)) {
    std::memcpy(y.storage->data(), x.storage->data(), n * 4);
  } else if (x.dtype == DType::Float32) {
    const float* s = x.data<float>();
    int32_t* d = y.data<int32_t>();
    if (y.dtype == DType::Bool) for (int64_t i = 0; i < n; ++i) d[i] = s[i] != 0.f;
    else for (int64_t i = 0; i < n; ++i) d[i] = rules::toInt32(s[i]);  // toward zero; NaN -> 0, saturating (KERNELS.md)
  } else if (y.dtype == DType::Float32) {
    const int32_t* s = x.data<int32_t>();
    float* d = y.data<float>();
    for (int64_t i = 0; i < n; ++i) d[i] = static_cast<float>(s[i]);
  } else {  // int32 -> bool
    const int32_t* s = x.data<int32_t>();
    int32_t* d = y.data<int32_t>();
    for (int64_t i = 0; i < n; ++i) d[i] = s[i] != 0;
  }
  return Status::ok();
}

template <bool kNormal>
Status randomKernel(KernelContext& ctx) {
  RandomParams prm;
  TN_RETURN_IF_ERROR(readRandomParams(ctx, kNormal, prm));
  float* p = ctx.out(0).data<float>();
  const uint64_t s = prm.seed;
  const float fa = prm.a, fb = prm.b;
  parallelFor(ctx.out(0).size(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i)
      p[i] = kNormal ? normalValue(s, i, fa, fb) : uniformValue(s, i, fa, fb);
  });
  return Status::ok();
}

// y[..., d] = d == indices[...] ? on : off, in y's dtype (float32 or int32; tfjs's default is int32).
template <typename T>
Status oneHotFill(const TensorArg& idx, const TensorArg& y, int64_t depth, double on, double off) {
  T* out = y.data<T>();
  const T offV = static_cast<T>(off), onV = static_cast<T>(on);
  for (int64_t i = 0; i < y.size(); ++i) out[i] = offV;
  const int32_t* in = idx.data<int32_t>();
  for (int64_t i = 0; i < idx.size(); ++i) {
    TN_CHECK(in[i] >= 0 && in[i] < depth, Value, "oneHot: index ", in[i], " at position ", i, " is outside [0, ", depth, ")");
    out[i * depth + in[i]] = onV;
  }
  return Status::ok();
}

Status oneHotKernel(KernelContext& ctx) {
  OneHotParams p;
  TN_RETURN_IF_ERROR(readOneHotParams(ctx, p));
  const TensorArg &idx = ctx.in(0), &y = ctx.out(0);
  if (y.dtype == DType::Float32) return oneHotFill<float>(idx, y, p.depth, p.on, p.off);
  return oneHotFill<int32_t>(idx, y, p.depth, p.on, p.off);
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "copy", copyKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "fill", fillKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "arange", arangeKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "cast", castKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "random_uniform", randomKernel<false>);
TN_REGISTER_KERNEL(DeviceType::CPU, "random_normal", randomKernel<true>);
TN_REGISTER_KERNEL(DeviceType::CPU, "one_hot", oneHotKernel);

}  // namespace cpu
}  // namespace tn
