// CPU fused bias + activation (a Dense or Conv2D layer's epilogue) and its backward, one pass each: y = act(x + b);
// dx = dy * act'(y) with dbias = column sums of dx. Replaces a bias add + activation pair and, backward, the
// activation's gradient + the bias-gradient reduction: two passes over the layer's output each way instead of four.
#include "bias_act.h"

#include <algorithm>
#include <vector>

#include "../../core/params/bias_act.h"
#include "../../core/rnn/cells.h"
#include "../simd.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

template <int kAct>
TN_MULTIVERSION void biasActRows(const float* __restrict x, const float* __restrict b, float* __restrict y, int64_t rows,
                                 int64_t C, int act) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c) y[r * C + c] = rnn::actFixed<kAct>(act, x[r * C + c] + b[c]);
}

template <int kAct>
TN_MULTIVERSION void biasActRowsInPlace(float* __restrict y, const float* __restrict b, int64_t rows, int64_t C, int act) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c) y[r * C + c] = rnn::actFixed<kAct>(act, y[r * C + c] + b[c]);
}

// dx rows and their column sums, added into acc (one block's partial sums; double: a block may hold many rows).
template <int kAct>
TN_MULTIVERSION void biasActBackwardRows(const float* __restrict y, const float* __restrict dy, float* __restrict dx,
                                         double* __restrict acc, int64_t rows, int64_t C, int act) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < C; ++c) {
      const float g = dy[r * C + c] * rnn::actGradFixed<kAct>(act, y[r * C + c]);
      dx[r * C + c] = g;
      acc[c] += g;
    }
}

// Linear and relu (most layers) get their own loops; the others share the run-time form.
template <template <int> class Fn, typename... Args>
void withAct(int act, Args&&... args) {
  if (act == rnn::kLinear) return Fn<rnn::kLinear>::run(args...);
  if (act == rnn::kRelu) return Fn<rnn::kRelu>::run(args...);
  return Fn<-1>::run(args...);
}

template <int kAct>
struct Forward {
  static void run(const float* x, const float* b, float* y, int64_t rows, int64_t C, int act) {
    biasActRows<kAct>(x, b, y, rows, C, act);
  }
};
template <int kAct>
struct Backward {
  static void run(const float* y, const float* dy, float* dx, double* acc, int64_t rows, int64_t C, int act) {
    biasActBackwardRows<kAct>(y, dy, dx, acc, rows, C, act);
  }
};

template <int kAct>
struct InPlace {
  static void run(float* y, const float* b, int64_t rows, int64_t C, int act) { biasActRowsInPlace<kAct>(y, b, rows, C, act); }
};

int64_t grainRows(int64_t C) { return std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(C, 1)); }

Status biasActKernel(KernelContext& ctx) {
  BiasActDims d;
  TN_RETURN_IF_ERROR(readBiasActArgs(ctx, d));
  const float *x = ctx.in(0).data<float>(), *b = ctx.in(1).data<float>();
  float* y = ctx.out(0).data<float>();
  parallelFor(d.rows, grainRows(d.C), [&](int64_t r0, int64_t r1) {
    withAct<Forward>(d.act, x + r0 * d.C, b, y + r0 * d.C, r1 - r0, d.C, d.act);
  });
  return Status::ok();
}

Status biasActBackwardKernel(KernelContext& ctx) {
  BiasActDims d;
  TN_RETURN_IF_ERROR(readBiasActBackwardArgs(ctx, d));
  const float *y = ctx.in(0).data<float>(), *dy = ctx.in(1).data<float>();
  float *dx = ctx.out(0).data<float>(), *db = ctx.out(1).data<float>();
  // Fixed blocks of rows, each with its own partial sums, added in block order: the result does not depend on how
  // the pool splits the work.
  const int64_t per = grainRows(d.C), blocks = d.rows == 0 ? 0 : (d.rows + per - 1) / per;
  std::vector<double> partial;
  try {
    partial.assign(static_cast<size_t>(std::max<int64_t>(blocks, 1) * d.C), 0.0);
  } catch (const std::bad_alloc&) {
    return makeError(ErrorKind::OutOfMemory, ctx.op, ": cannot allocate ", blocks * d.C * 8, " bytes of partial sums");
  }
  parallelFor(blocks, 1, [&](int64_t k0, int64_t k1) {
    for (int64_t k = k0; k < k1; ++k) {
      const int64_t r0 = k * per, r1 = std::min(d.rows, r0 + per);
      withAct<Backward>(d.act, y + r0 * d.C, dy + r0 * d.C, dx + r0 * d.C, partial.data() + k * d.C, r1 - r0, d.C,
                        d.act);
    }
  });
  for (int64_t c = 0; c < d.C; ++c) {
    double s = 0;
    for (int64_t k = 0; k < blocks; ++k) s += partial[k * d.C + c];
    db[c] = static_cast<float>(s);
  }
  return Status::ok();
}

}  // namespace

void applyBiasActInPlace(const BiasActEpilogue& e, float* y, int64_t rows, int64_t C) {
  if (e) withAct<InPlace>(e.act, y, e.bias, rows, C, e.act);
}

TN_REGISTER_KERNEL(DeviceType::CPU, "bias_act", biasActKernel);
TN_REGISTER_KERNEL(DeviceType::CPU, "bias_act_backward", biasActBackwardKernel);

}  // namespace cpu
}  // namespace tn
