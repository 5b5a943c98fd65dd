// CPU loss kernels (per row / per element; JS applies the reduction): softmax cross-entropy, binary cross-entropy, squared error.
#include <algorithm>
#include <cmath>

#include "../../core/scalar_ops.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

// Checks logits [N,C] and labels (i32 [N] or f32 [N,C]); sets N, C and whether the labels are class indices.
Status checkLogitsLabels(const KernelContext& ctx, const TensorArg& logits, const TensorArg& labels, int64_t& N,
                         int64_t& C, bool& sparse) {
  TN_RETURN_IF_ERROR(checkDType(ctx, logits, DType::Float32, "logits"));
  TN_CHECK(logits.rank() == 2, Shape, ctx.op, ": logits must be [N, C], got ", shapeStr(logits.shape));
  N = logits.shape[0];
  C = logits.shape[1];
  sparse = labels.dtype == DType::Int32;
  if (sparse) {
    TN_CHECK(labels.rank() == 1 && labels.shape[0] == N, Shape, ctx.op, ": int32 labels must be [", N, "], got ",
             shapeStr(labels.shape));
    const int32_t* pl = labels.data<int32_t>();
    for (int64_t n = 0; n < N; ++n)
      TN_CHECK(pl[n] >= 0 && pl[n] < C, Value, ctx.op, ": label ", pl[n], " at row ", n, " is outside [0, ", C, ")");
  } else {
    TN_CHECK(labels.shape == logits.shape, Shape, ctx.op, ": float32 labels must be ", shapeStr(logits.shape), ", got ",
             shapeStr(labels.shape));
  }
  return Status::ok();
}

int64_t rowGrain(int64_t C) { return std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(C, 1)); }

// loss[n] = logsumexp(z) * sum(t) - sum(t * z), which is logsumexp - z[label] for class indices and one-hot rows
// (and the value whose gradient is the backward rule probs*sum(t) - t for soft labels); probs = softmax(z).
Status softmaxCrossEntropyKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 2));
  const TensorArg &z = ctx.in(0), &t = ctx.in(1), &loss = ctx.out(0), &probs = ctx.out(1);
  int64_t N, C;
  bool sparse;
  TN_RETURN_IF_ERROR(checkLogitsLabels(ctx, z, t, N, C, sparse));
  TN_RETURN_IF_ERROR(checkDType(ctx, loss, DType::Float32, "loss"));
  TN_RETURN_IF_ERROR(checkDType(ctx, probs, DType::Float32, "probs"));
  TN_CHECK(loss.size() == N && probs.size() == N * C, Shape, ctx.op, ": loss must have ", N, " and probs ", N * C,
           " elements, got ", shapeStr(loss.shape), " and ", shapeStr(probs.shape));
  if (N == 0) return Status::ok();
  TN_CHECK(C > 0, Shape, ctx.op, ": logits have no classes");
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
  TN_RETURN_IF_ERROR(checkArity(ctx, 3, 1));
  const TensorArg &probs = ctx.in(0), &t = ctx.in(1), &dl = ctx.in(2), &dz = ctx.out(0);
  int64_t N, C;
  bool sparse;
  TN_RETURN_IF_ERROR(checkLogitsLabels(ctx, probs, t, N, C, sparse));
  TN_RETURN_IF_ERROR(checkDType(ctx, dl, DType::Float32, "dloss"));
  TN_RETURN_IF_ERROR(checkDType(ctx, dz, DType::Float32, "dlogits"));
  TN_CHECK(dl.size() == N && dz.size() == N * C, Shape, ctx.op, ": dloss must have ", N, " and dlogits ", N * C,
           " elements, got ", shapeStr(dl.shape), " and ", shapeStr(dz.shape));
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

// Checks that every argument is float32 with the size of the first (the per-element losses).
Status checkSameSizeF32(const KernelContext& ctx) {
  const int64_t n = ctx.in(0).size();
  for (size_t i = 0; i < ctx.inputs.size(); ++i) {
    TN_RETURN_IF_ERROR(checkDType(ctx, ctx.in(i), DType::Float32, "input"));
    TN_CHECK(ctx.in(i).size() == n, Shape, ctx.op, ": input ", i, " ", shapeStr(ctx.in(i).shape),
             " differs in size from input 0 ", shapeStr(ctx.in(0).shape));
  }
  for (size_t i = 0; i < ctx.outputs.size(); ++i) {
    TN_RETURN_IF_ERROR(checkDType(ctx, ctx.out(i), DType::Float32, "out"));
    TN_CHECK(ctx.out(i).size() == n, Shape, ctx.op, ": out ", shapeStr(ctx.out(i).shape),
             " differs in size from input 0 ", shapeStr(ctx.in(0).shape));
  }
  return Status::ok();
}

// fromLogits: softplus(x) - x*t (stable softplus); else -(t*max(log p, -100) + (1-t)*max(log(1-p), -100)) as PyTorch.
Status binaryCrossEntropyKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  TN_RETURN_IF_ERROR(checkSameSizeF32(ctx));
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
        const float lp = std::max(std::log(x), -100.f), l1p = std::max(std::log1p(-x), -100.f);
        pl[i] = -(t * lp + (1.f - t) * l1p);
      }
    }
  });
  return Status::ok();
}

// fromLogits: (sigmoid(x) - t)*dl; else (p - t)/max(p(1-p), 1e-12)*dl.
Status binaryCrossEntropyBackwardKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 3, 1));
  TN_RETURN_IF_ERROR(checkSameSizeF32(ctx));
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
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  TN_RETURN_IF_ERROR(checkSameSizeF32(ctx));
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
  TN_RETURN_IF_ERROR(checkArity(ctx, 3, 1));
  TN_RETURN_IF_ERROR(checkSameSizeF32(ctx));
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
