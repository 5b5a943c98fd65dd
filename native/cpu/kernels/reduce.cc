// CPU reductions over any set of axes (sum, mean, max, min), the max/min backward (reduce_select_backward) and argmax.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "../../core/params/reduce.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

// A reduction of x seen as kept dims and reduced dims (size-1 dims dropped, neighbours of the same kind merged).
// When it has the form [outer, reduced, inner] (one reduced block) the fast paths apply; otherwise the general walk.
struct ReducePlan {
  Shape keptSizes, keptStrides;  // x strides of the kept dims, outermost first
  Shape redSizes, redStrides;    // x strides of the reduced dims, outermost first
  int64_t outN = 1, redN = 1;
  bool simple = false;           // x is [outer, redN, inner] with outN = outer*inner
  int64_t outer = 1, inner = 1;
};

ReducePlan makePlan(const Shape& shape, const std::vector<bool>& reduced) {
  // Runs of same-kind dims, outermost first (core/params/reduce.h).
  ReduceGroups merged = mergeReduceGroups(shape, reduced);
  const auto& groups = merged.groups;
  ReducePlan p;
  p.outN = merged.outN;
  p.redN = merged.redN;
  int64_t stride = 1;
  for (int g = static_cast<int>(groups.size()) - 1; g >= 0; --g) {
    auto& sizes = groups[g].second ? p.redSizes : p.keptSizes;
    auto& strides = groups[g].second ? p.redStrides : p.keptStrides;
    sizes.insert(sizes.begin(), groups[g].first);
    strides.insert(strides.begin(), stride);
    stride *= groups[g].first;
  }
  int nRed = 0, firstRed = -1;
  for (size_t g = 0; g < groups.size(); ++g)
    if (groups[g].second) { ++nRed; if (firstRed < 0) firstRed = static_cast<int>(g); }
  if (nRed <= 1) {
    p.simple = true;
    for (int g = 0; g < static_cast<int>(groups.size()); ++g)
      if (!groups[g].second) (firstRed < 0 || g < firstRed ? p.outer : p.inner) *= groups[g].first;
  }
  return p;
}

// Runs a reduction: out[j] = Op::finish(fold of Op::step over load(xOffset, j) for the group of output j, redN).
// Load lets one engine serve plain reductions and the tie counting of reduce_select_backward.
template <typename Op, typename Load>
void runReduce(const ReducePlan& p, const Load& load, float* out) {
  const int64_t R = p.redN;
  const int64_t threads = cpuThreadCount();
  if (p.simple && threads > 1 && p.outer * ((p.inner + 255) / 256) < threads && R >= 64 * threads &&
      R * p.inner >= kElementwiseGrain) {
    // Few output blocks but a long reduced axis (a bias gradient: [N*H*W, C] summed to [C]; a full sum): each pool
    // thread folds a slice of the reduced axis into its own accumulators, then the slices are folded in order.
    const int64_t I = p.inner, slices = threads, outN = p.outer * I;
    std::vector<double> part(static_cast<size_t>(slices * outN));
    parallelFor(slices, 1, [&](int64_t a, int64_t b) {
      for (int64_t sl = a; sl < b; ++sl) {
        const int64_t r0 = R * sl / slices, r1 = R * (sl + 1) / slices;
        double* acc = part.data() + sl * outN;
        for (int64_t o = 0; o < p.outer; ++o) {
          double* ao = acc + o * I;
          for (int64_t i = 0; i < I; ++i) ao[i] = Op::init();
          for (int64_t r = r0; r < r1; ++r) {
            const int64_t base = (o * R + r) * I;
            for (int64_t i = 0; i < I; ++i) ao[i] = Op::step(ao[i], load(base + i, o * I + i));
          }
        }
      }
    });
    for (int64_t j = 0; j < outN; ++j) {
      double a = part[j];
      for (int64_t sl = 1; sl < slices; ++sl) a = Op::combine(a, part[sl * outN + j]);
      out[j] = Op::finish(a, R);
    }
  } else if (p.simple && p.inner == 1) {
    parallelFor(p.outer, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(R, 1)), [&](int64_t s, int64_t e) {
      for (int64_t o = s; o < e; ++o) {
        double acc = Op::init();
        const int64_t base = o * R;
        for (int64_t r = 0; r < R; ++r) acc = Op::step(acc, load(base + r, o));
        out[o] = Op::finish(acc, R);
      }
    });
  } else if (p.simple) {
    // Reduce over a strided middle axis: walk r outermost over a block of inner positions so reads stay contiguous.
    constexpr int64_t kBlock = 256;
    const int64_t I = p.inner, blocks = (I + kBlock - 1) / kBlock;
    parallelFor(p.outer * blocks, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(R * kBlock, 1)),
                [&](int64_t s, int64_t e) {
      double acc[kBlock];
      for (int64_t t = s; t < e; ++t) {
        int64_t o = t / blocks, i0 = (t % blocks) * kBlock, n = std::min(kBlock, I - i0);
        for (int64_t i = 0; i < n; ++i) acc[i] = Op::init();
        for (int64_t r = 0; r < R; ++r) {
          const int64_t base = (o * R + r) * I + i0;
          for (int64_t i = 0; i < n; ++i) acc[i] = Op::step(acc[i], load(base + i, o * I + i0 + i));
        }
        for (int64_t i = 0; i < n; ++i) out[o * I + i0 + i] = Op::finish(acc[i], R);
      }
    });
  } else {
    // General: several reduced blocks; each output walks its reduced index space with an odometer.
    const int nk = static_cast<int>(p.keptSizes.size()), nr = static_cast<int>(p.redSizes.size());
    parallelFor(p.outN, std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(R, 1)), [&](int64_t s, int64_t e) {
      std::vector<int64_t> idx(nr);
      for (int64_t j = s; j < e; ++j) {
        int64_t base = 0, rem = j;
        for (int d = nk - 1; d >= 0; --d) {
          base += (rem % p.keptSizes[d]) * p.keptStrides[d];
          rem /= p.keptSizes[d];
        }
        std::fill(idx.begin(), idx.end(), 0);
        double acc = Op::init();
        int64_t off = base;
        for (int64_t r = 0; r < R; ++r) {
          acc = Op::step(acc, load(off, j));
          for (int d = nr - 1; d >= 0; --d) {
            off += p.redStrides[d];
            if (++idx[d] < p.redSizes[d]) break;
            off -= p.redStrides[d] * p.redSizes[d];
            idx[d] = 0;
          }
        }
        out[j] = Op::finish(acc, R);
      }
    });
  }
}

// Sums accumulate in double: float32 sums of millions of terms otherwise lose several digits.
struct SumOp {
  static double init() { return 0.0; }
  static double step(double a, float v) { return a + v; }
  static double combine(double a, double b) { return a + b; }
  static float finish(double a, int64_t) { return static_cast<float>(a); }
};
struct MeanOp : SumOp {
  static float finish(double a, int64_t n) { return static_cast<float>(a / static_cast<double>(n)); }
};
struct ProdOp {
  static double init() { return 1.0; }
  static double step(double a, float v) { return a * v; }
  static double combine(double a, double b) { return a * b; }
  static float finish(double a, int64_t) { return static_cast<float>(a); }
};
// max/min propagate NaN (once the accumulator is NaN no comparison replaces it), as torch.max does.
struct MaxOp {
  static double init() { return -std::numeric_limits<double>::infinity(); }
  static double step(double a, float v) { return v > a || v != v ? v : a; }
  static double combine(double a, double b) { return b > a || b != b ? b : a; }
  static float finish(double a, int64_t) { return static_cast<float>(a); }
};
struct MinOp {
  static double init() { return std::numeric_limits<double>::infinity(); }
  static double step(double a, float v) { return v < a || v != v ? v : a; }
  static double combine(double a, double b) { return b < a || b != b ? b : a; }
  static float finish(double a, int64_t) { return static_cast<float>(a); }
};

template <typename Op, bool kNeedsElements>
Status reduceKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_RETURN_IF_ERROR(checkDType(ctx, x, DType::Float32, "x"));
  TN_RETURN_IF_ERROR(checkDType(ctx, y, DType::Float32, "out"));
  std::vector<bool> reduced;
  TN_RETURN_IF_ERROR(readReduceAxes(ctx, x.rank(), reduced));
  ReducePlan p = makePlan(x.shape, reduced);
  TN_CHECK(y.size() == p.outN, Shape, ctx.op, ": out ", shapeStr(y.shape), " has ", y.size(), " elements, the reduction of ",
           shapeStr(x.shape), " has ", p.outN);
  if (p.outN == 0) return Status::ok();
  TN_CHECK(!(kNeedsElements && p.redN == 0), Value, ctx.op, ": cannot reduce over an empty axis of ", shapeStr(x.shape));
  const float* px = x.data<float>();
  if (p.redN == 1) {  // nothing to combine: a copy (mean divides by 1)
    std::memcpy(y.data<float>(), px, p.outN * sizeof(float));
    return Status::ok();
  }
  runReduce<Op>(p, [px](int64_t off, int64_t) { return px[off]; }, y.data<float>());
  return Status::ok();
}

// dx = dy * (x == y) / count(x == y) per group: the extremes share the gradient evenly.
Status reduceSelectBackwardKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 3, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.in(1), &dy = ctx.in(2), &dx = ctx.out(0);
  for (const TensorArg* t : {&x, &y, &dy, &dx}) TN_RETURN_IF_ERROR(checkDType(ctx, *t, DType::Float32, "x/y/dy/dx"));
  std::vector<bool> reduced;
  TN_RETURN_IF_ERROR(readReduceAxes(ctx, x.rank(), reduced));
  ReducePlan p = makePlan(x.shape, reduced);
  TN_CHECK(y.size() == p.outN && dy.size() == p.outN, Shape, ctx.op, ": y ", shapeStr(y.shape), " and dy ",
           shapeStr(dy.shape), " must have the reduced size ", p.outN, " of x ", shapeStr(x.shape));
  TN_CHECK(dx.size() == x.size(), Shape, ctx.op, ": dx ", shapeStr(dx.shape), " must have x's size ", x.size());
  if (x.size() == 0) return Status::ok();
  const float *px = x.data<float>(), *py = y.data<float>(), *pdy = dy.data<float>();
  std::vector<float> count(p.outN);
  runReduce<SumOp>(p, [px, py](int64_t off, int64_t j) { return px[off] == py[j] ? 1.f : 0.f; }, count.data());
  // Map each x element to its group: x's shape with the reduced dims at size 1, broadcast back to x.
  Shape keep = x.shape;
  for (int d = 0; d < x.rank(); ++d)
    if (reduced[d]) keep[d] = 1;
  float* pdx = dx.data<float>();
  parallelFor(x.size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    BroadcastWalker<1> w(x.shape, &keep, s);
    for (int64_t i = s; i < e; ++i, w.next()) {
      int64_t j = w.offset[0];
      pdx[i] = px[i] == py[j] && count[j] > 0 ? pdy[j] / count[j] : 0.f;
    }
  });
  return Status::ok();
}

// First index of the maximum (minimum) along `axis` (NaN counts as the extreme, as in torch.argmax).
template <bool kMin>
Status argExtremeKernel(KernelContext& ctx) {
  ArgmaxParams prm;
  TN_RETURN_IF_ERROR(readArgmaxParams(ctx, prm));
  if (prm.empty) return Status::ok();
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  const int64_t outer = prm.outer, mid = prm.mid, inner = prm.inner;
  const float* px = x.data<float>();
  int32_t* py = y.data<int32_t>();
  parallelFor(outer * inner, std::max<int64_t>(1, kElementwiseGrain / mid), [&](int64_t s, int64_t e) {
    for (int64_t j = s; j < e; ++j) {
      const float* p = px + (j / inner) * mid * inner + j % inner;
      float best = p[0];
      int32_t bi = 0;
      for (int64_t k = 1; k < mid && best == best; ++k) {
        float v = p[k * inner];
        if ((kMin ? v < best : v > best) || v != v) { best = v; bi = static_cast<int32_t>(k); }
      }
      py[j] = bi;
    }
  });
  return Status::ok();
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CPU, "reduce_sum", (reduceKernel<SumOp, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "reduce_mean", (reduceKernel<MeanOp, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "reduce_max", (reduceKernel<MaxOp, true>));
TN_REGISTER_KERNEL(DeviceType::CPU, "reduce_min", (reduceKernel<MinOp, true>));
TN_REGISTER_KERNEL(DeviceType::CPU, "reduce_select_backward", reduceSelectBackwardKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "reduce_prod", (reduceKernel<ProdOp, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "argmax", argExtremeKernel<false>);
TN_REGISTER_KERNEL(DeviceType::CPU, "argmin", argExtremeKernel<true>);

}  // namespace cpu
}  // namespace tn
