// CPU softmax and log-softmax along any axis, and their backward rules (max-subtracted for stability).
#include <algorithm>
#include <cmath>
#include <vector>

#include "../../core/params/softmax.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

// Calls fn(row, stride) for each softmax row: `row` is the first element offset, `stride` the step along the axis.
template <typename Fn>
void forEachRow(int64_t outer, int64_t mid, int64_t inner, const Fn& fn) {
  parallelFor(outer * inner, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(mid, 1)), [&](int64_t s, int64_t e) {
    for (int64_t j = s; j < e; ++j) fn((j / inner) * mid * inner + j % inner, inner);
  });
}

template <bool kLog>
Status softmaxKernel(KernelContext& ctx) {
  SoftmaxRows r;
  TN_RETURN_IF_ERROR(readSoftmaxArgs(ctx, r));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  const int64_t outer = r.outer, mid = r.mid, inner = r.inner;
  if (x.size() == 0) return Status::ok();
  const float* px = x.data<float>();
  float* py = y.data<float>();
  forEachRow(outer, mid, inner, [&](int64_t base, int64_t st) {
    float mx = -INFINITY;
    for (int64_t k = 0; k < mid; ++k) mx = std::max(mx, px[base + k * st]);
    if (!std::isfinite(mx)) mx = 0.f;  // all -inf (or +inf/NaN present): leave the values to produce NaN/0 naturally
    double sum = 0;
    for (int64_t k = 0; k < mid; ++k) {
      float e = std::exp(px[base + k * st] - mx);
      if (!kLog) py[base + k * st] = e;
      sum += e;
    }
    if (kLog) {
      float lse = static_cast<float>(std::log(sum));
      for (int64_t k = 0; k < mid; ++k) py[base + k * st] = px[base + k * st] - mx - lse;
    } else {
      float inv = static_cast<float>(1.0 / sum);
      for (int64_t k = 0; k < mid; ++k) py[base + k * st] *= inv;
    }
  });
  return Status::ok();
}

// softmax: dx = y*(dy - sum(dy*y)); log_softmax: dx = dy - exp(y)*sum(dy).
template <bool kLog>
Status softmaxBackwardKernel(KernelContext& ctx) {
  SoftmaxRows r;
  TN_RETURN_IF_ERROR(readSoftmaxBackwardArgs(ctx, r));
  const TensorArg &y = ctx.in(0), &dy = ctx.in(1), &dx = ctx.out(0);
  const int64_t outer = r.outer, mid = r.mid, inner = r.inner;
  if (y.size() == 0) return Status::ok();
  const float *py = y.data<float>(), *pg = dy.data<float>();
  float* pdx = dx.data<float>();
  forEachRow(outer, mid, inner, [&](int64_t base, int64_t st) {
    double dot = 0;
    for (int64_t k = 0; k < mid; ++k) {
      int64_t i = base + k * st;
      dot += kLog ? pg[i] : pg[i] * py[i];
    }
    float d = static_cast<float>(dot);
    for (int64_t k = 0; k < mid; ++k) {
      int64_t i = base + k * st;
      pdx[i] = kLog ? pg[i] - std::exp(py[i]) * d : py[i] * (pg[i] - d);
    }
  });
  return Status::ok();
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "softmax", softmaxKernel<false>);
TN_REGISTER_KERNEL(DeviceType::CPU, "log_softmax", softmaxKernel<true>);
TN_REGISTER_KERNEL(DeviceType::CPU, "softmax_backward", softmaxBackwardKernel<false>);
TN_REGISTER_KERNEL(DeviceType::CPU, "log_softmax_backward", softmaxBackwardKernel<true>);

}  // namespace cpu
}  // namespace tn
