// CPU loss kernels (per row / per element; JS applies the reduction): softmax cross-entropy, binary cross-entropy, squared error.
#include <algorithm>
#include <cmath>

#include "../../core/numeric_rules.h"
#include "../../core/params/losses.h"
#include "../../core/scalar_ops.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

// Class indices must lie in [0, C): checked here on the host before any row is read.
Status checkLabelRange(const KernelContext& ctx, const TensorArg& labels, int64_t N, int64_t C) {
  const int32_t* pl = labels.data<int32_t>();
  for (int64_t n = 0; n < N; ++n)
    TN_CHECK(pl[n] >= 0 && pl[n] < C, Value, ctx.op, ": label ", pl[n], " at row ", n, " is outside [0, ", C, ")");
  return Status::ok();
}

int64_t rowGrain(int64_t C) { return std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(C, 1)); }

// loss[n] = logsumexp(z) * sum(t) - sum(t * z), which is logsumexp - z[label] for class indices and one-hot rows
// (and the value whose gradient is the backward rule probs*sum(t) - t for soft labels); probs = softmax(z).
Status softmaxCrossEntropyKernel(KernelContext& ctx) {
  CrossEntropyShape shp;
  TN_RETURN_IF_ERROR(readCrossEntropyArgs(ctx, checkLabelRange, shp));
  const TensorArg &z = ctx.in(0), &t = ctx.in(1), &loss = ctx.out(0), &probs = ctx.out(1);
  const int64_t N = shp.N, C = shp.C;
  const bool sparse = shp.sparse;
  if (N == 0) return Status::ok();
  const float* pz = z.data<float>();
  float *pl = loss.data<float>(), *pp = probs.data<float>();
  parallelFor(N, rowGrain(C), [&](int64_t s, int64_t e) {
    for (int64_t n = s; n < e; ++n) {
      const float* row = pz + n * C;
      float* prow = pp + n * C;
      float mx = *std::max_element(row, row + C);
      if (!std::isfinite(mx)) mx = 0.f;
      double sum = 0;
      for (int64_t c = 0; c < C; ++c) sum += (prow[c] = std::exp(row[c] - mx));
      const double lse = std::log(sum) + mx;
      for (int64_t c = 0; c < C; ++c) prow[c] = static_cast<float>(prow[c] / sum);
      if (sparse) {
        pl[n] = static_cast<float>(lse - row[t.data<int32_t>()[n]]);
      } else {
        const float* trow = t.data<float>() + n * C;
        double tsum = 0, dot = 0;
        for (int64_t c = 0; c < C; ++c) {
          tsum += trow[c];
          dot += static_cast<double>(trow[c]) * row[c];
        }
        pl[n] = static_cast<float>(lse * tsum - dot);
      }
    }
  });
  return Status::ok();
}

// dlogits = (probs - onehot) * dloss per row; soft labels: (probs*sum(t) - t) * dloss.
Status softmaxCrossEntropyBackwardKernel(KernelContext& ctx) {
  CrossEntropyShape shp;
  TN_RETURN_IF_ERROR(readCrossEntropyBackwardArgs(ctx, checkLabelRange, shp));
  const TensorArg &probs = ctx.in(0), &t = ctx.in(1), &dl = ctx.in(2), &dz = ctx.out(0);
  const int64_t N = shp.N, C = shp.C;
  const bool sparse = shp.sparse;
  const float *pp = probs.data<float>(), *pg = dl.data<float>();
  float* pd = dz.data<float>();
  parallelFor(N, rowGrain(C), [&](int64_t s, int64_t e) {
    for (int64_t n = s; n < e; ++n) {
      const float g = pg[n];
      const float* prow = pp + n * C;
      float* drow = pd + n * C;
      if (sparse) {
        for (int64_t c = 0; c < C; ++c) drow[c] = prow[c] * g;
        drow[t.data<int32_t>()[n]] -= g;
      } else {
        const float* trow = t.data<float>() + n * C;
        double tsum = 0;
        for (int64_t c = 0; c < C; ++c) tsum += trow[c];
        const float ts = static_cast<float>(tsum);
        for (int64_t c = 0; c < C; ++c) drow[c] = (prow[c] * ts - trow[c]) * g;
      }
    }
  });
  return Status::ok();
}

// fromLogits: softplus(x) - x*t (stable softplus); else -(t*max(log p, -100) + (1-t)*max(log(1-p), -100)) as PyTorch.
Status binaryCrossEntropyKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkSameSizeF32(ctx, 2, 1));
  int64_t fromLogits = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("fromLogits", fromLogits));
  const float *px = ctx.in(0).data<float>(), *pt = ctx.in(1).data<float>();
  float* pl = ctx.out(0).data<float>();
  parallelFor(ctx.in(0).size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) {
      const float x = px[i], t = pt[i];
      if (fromLogits) {
        pl[i] = std::max(x, 0.f) + std::log1p(std::exp(-std::fabs(x))) - x * t;
      } else {
        const float lp = rules::clampLog(std::log(x)), l1p = rules::clampLog(std::log1p(-x));  // NaN propagates
        pl[i] = -(t * lp + (1.f - t) * l1p);
      }
    }
  });
  return Status::ok();
}

// fromLogits: (sigmoid(x) - t)*dl; else (p - t)/max(p(1-p), 1e-12)*dl.
Status binaryCrossEntropyBackwardKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkSameSizeF32(ctx, 3, 1));
  int64_t fromLogits = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("fromLogits", fromLogits));
  const float *px = ctx.in(0).data<float>(), *pt = ctx.in(1).data<float>(), *pg = ctx.in(2).data<float>();
  float* pd = ctx.out(0).data<float>();
  parallelFor(ctx.in(0).size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) {
      const float x = px[i], t = pt[i];
      pd[i] = fromLogits ? (scalar::sigmoid(x) - t) * pg[i] : (x - t) / std::max(x * (1.f - x), 1e-12f) * pg[i];
    }
  });
  return Status::ok();
}

Status squaredErrorKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkSameSizeF32(ctx, 2, 1));
  const float *pa = ctx.in(0).data<float>(), *pb = ctx.in(1).data<float>();
  float* py = ctx.out(0).data<float>();
  parallelFor(ctx.in(0).size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) {
      const float d = pa[i] - pb[i];
      py[i] = d * d;
    }
  });
  return Status::ok();
}

// da = 2(a-b)dy (db = -da is left to JS).
Status squaredErrorBackwardKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkSameSizeF32(ctx, 3, 1));
  const float *pa = ctx.in(0).data<float>(), *pb = ctx.in(1).data<float>(), *pg = ctx.in(2).data<float>();
  float* pd = ctx.out(0).data<float>();
  parallelFor(ctx.in(0).size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) pd[i] = 2.f * (pa[i] - pb[i]) * pg[i];
  });
  return Status::ok();
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "softmax_cross_entropy", softmaxCrossEntropyKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "softmax_cross_entropy_backward", softmaxCrossEntropyBackwardKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "binary_cross_entropy", binaryCrossEntropyKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "binary_cross_entropy_backward", binaryCrossEntropyBackwardKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "squared_error", squaredErrorKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "squared_error_backward", squaredErrorBackwardKernel);

}  // namespace cpu
}  // namespace tn
