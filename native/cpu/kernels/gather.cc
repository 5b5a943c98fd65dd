// CPU indexing kernels: gather along an axis, its adjoint scatter_add (the gather gradient, also scatterND), cumsum
// along an axis, and topk over the last dim.
#include <algorithm>
#include <cstring>
#include <numeric>
#include <vector>

#include "../../core/params/gather.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

// y[o, j, :] = x[o, idx[j], :]; 32-bit values moved unchanged (any dtype). Indices are checked before any write.
Status gatherKernel(KernelContext& ctx) {
  GatherParams p;
  TN_RETURN_IF_ERROR(readGatherParams(ctx, p));
  const int32_t* idx = ctx.in(1).data<int32_t>();
  for (int64_t j = 0; j < p.m; ++j)
    TN_CHECK(idx[j] >= 0 && idx[j] < p.n, Value, "gather: index ", idx[j], " at position ", j, " is outside [0, ", p.n, ")");
  const uint32_t* x = ctx.in(0).data<uint32_t>();
  uint32_t* y = ctx.out(0).data<uint32_t>();
  const int64_t inner = p.inner;
  parallelFor(p.outer * p.m, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(inner, 1)), [&](int64_t s, int64_t e) {
    for (int64_t t = s; t < e; ++t) {
      int64_t o = t / p.m, j = t % p.m;
      std::memcpy(y + t * inner, x + (o * p.n + idx[j]) * inner, inner * sizeof(uint32_t));
    }
  });
  return Status::ok();
}

// dx = 0; dx[o, idx[j], i] += dy[o, j, i]. Parallel over (o, i) so no two threads add into one element.
template <typename T>
void scatterAdd(const GatherParams& p, const int32_t* idx, const T* dy, T* dx) {
  std::fill(dx, dx + p.outer * p.n * p.inner, T(0));
  const int64_t inner = p.inner;
  parallelFor(p.outer, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(p.m * inner, 1)), [&](int64_t s, int64_t e) {
    for (int64_t o = s; o < e; ++o)
      for (int64_t j = 0; j < p.m; ++j) {
        const T* src = dy + (o * p.m + j) * inner;
        T* dst = dx + (o * p.n + idx[j]) * inner;
        for (int64_t i = 0; i < inner; ++i) dst[i] += src[i];
      }
  });
}

Status scatterAddKernel(KernelContext& ctx) {
  GatherParams p;
  TN_RETURN_IF_ERROR(readScatterAddParams(ctx, p));
  const int32_t* idx = ctx.in(1).data<int32_t>();
  for (int64_t j = 0; j < p.m; ++j)
    TN_CHECK(idx[j] >= 0 && idx[j] < p.n, Value, "scatter: index ", idx[j], " at position ", j, " is outside [0, ", p.n, ")");
  if (ctx.out(0).dtype == DType::Float32) scatterAdd(p, idx, ctx.in(0).data<float>(), ctx.out(0).data<float>());
  else scatterAdd(p, idx, ctx.in(0).data<int32_t>(), ctx.out(0).data<int32_t>());
  return Status::ok();
}

// Running sums along mid for each (outer, inner) lane; exclusive shifts by one, reverse runs from the end.
template <typename T, typename Acc>
void cumsum(const CumsumParams& p, const T* x, T* y) {
  parallelFor(p.outer * p.inner, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(p.mid, 1)), [&](int64_t s, int64_t e) {
    for (int64_t t = s; t < e; ++t) {
      const int64_t base = (t / p.inner) * p.mid * p.inner + t % p.inner;
      Acc acc = 0;
      for (int64_t k = 0; k < p.mid; ++k) {
        const int64_t at = base + (p.reverse ? p.mid - 1 - k : k) * p.inner;
        if (p.exclusive) { y[at] = static_cast<T>(acc); acc += x[at]; }
        else { acc += x[at]; y[at] = static_cast<T>(acc); }
      }
    }
  });
}

Status cumsumKernel(KernelContext& ctx) {
  CumsumParams p;
  TN_RETURN_IF_ERROR(readCumsumParams(ctx, p));
  // int32 wraps like tfjs's Int32Array stores (unsigned arithmetic: no signed-overflow UB).
  if (ctx.in(0).dtype == DType::Float32) cumsum<float, double>(p, ctx.in(0).data<float>(), ctx.out(0).data<float>());
  else cumsum<uint32_t, uint32_t>(p, ctx.in(0).data<uint32_t>(), ctx.out(0).data<uint32_t>());
  return Status::ok();
}

// A strict weak order for sorting (NaN above every number, so the sort stays well defined).
template <typename T>
bool above(T a, T b) {
  if (a != a || b != b) return a != a && b == b;
  return a > b;
}

template <typename T>
void topk(const TopkParams& p, const T* x, T* values, int32_t* indices) {
  parallelFor(p.rows, 1, [&](int64_t s, int64_t e) {
    std::vector<int32_t> order(p.n);
    for (int64_t r = s; r < e; ++r) {
      const T* row = x + r * p.n;
      std::iota(order.begin(), order.end(), 0);
      // Largest first (NaN first of all), ties by lower index.
      std::partial_sort(order.begin(), order.begin() + p.k, order.end(), [row](int32_t a, int32_t b) {
        return above(row[a], row[b]) || (!above(row[b], row[a]) && a < b);
      });
      for (int64_t j = 0; j < p.k; ++j) {
        values[r * p.k + j] = row[order[j]];
        indices[r * p.k + j] = order[j];
      }
    }
  });
}

Status topkKernel(KernelContext& ctx) {
  TopkParams p;
  TN_RETURN_IF_ERROR(readTopkParams(ctx, p));
  if (p.rows == 0 || p.k == 0) return Status::ok();
  if (ctx.in(0).dtype == DType::Float32) topk(p, ctx.in(0).data<float>(), ctx.out(0).data<float>(), ctx.out(1).data<int32_t>());
  else topk(p, ctx.in(0).data<int32_t>(), ctx.out(0).data<int32_t>(), ctx.out(1).data<int32_t>());
  return Status::ok();
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "gather", gatherKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "scatter_add", scatterAddKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "cumsum", cumsumKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "topk", topkKernel);

}  // namespace cpu
}  // namespace tn
