// CPU elementwise kernels: broadcasting binaries, comparisons, unaries and the unary backward rules.
#include <algorithm>
#include <cmath>

#include "../../core/params/elementwise.h"
#include "../../core/scalar_ops.h"
#include "../simd.h"
#include "cpu_kernel_util.h"

namespace tn {
namespace cpu {
namespace {

// ---- binary ops (a, b broadcast to out) ----
struct Add { template <typename T> static T f(T a, T b) { return scalar::wrapAdd(a, b); } };
struct Sub { template <typename T> static T f(T a, T b) { return scalar::wrapSub(a, b); } };
struct Mul { template <typename T> static T f(T a, T b) { return scalar::wrapMul(a, b); } };
struct Div { template <typename T> static T f(T a, T b) { return a / b; } };
struct Pow { template <typename T> static T f(T a, T b) { return std::pow(a, b); } };
struct Maximum { template <typename T> static T f(T a, T b) { return a > b || a != a ? a : b; } };  // NaN propagates
struct Minimum { template <typename T> static T f(T a, T b) { return a < b || a != a ? a : b; } };
struct Equal { template <typename T> static float f(T a, T b) { return a == b ? 1.f : 0.f; } };
struct Greater { template <typename T> static float f(T a, T b) { return a > b ? 1.f : 0.f; } };
struct GreaterEqual { template <typename T> static float f(T a, T b) { return a >= b ? 1.f : 0.f; } };
struct Less { template <typename T> static float f(T a, T b) { return a < b ? 1.f : 0.f; } };
struct LessEqual { template <typename T> static float f(T a, T b) { return a <= b ? 1.f : 0.f; } };

// True when `in` (leading 1s aside) equals the trailing dims of `out`, so it repeats as one contiguous block.
bool isTrailingBlock(const Shape& in, const Shape& out) {
  size_t lead = 0;
  while (lead < in.size() && in[lead] == 1) ++lead;
  size_t rest = in.size() - lead;
  if (rest == 0 || rest > out.size()) return false;
  return std::equal(in.begin() + lead, in.end(), out.end() - rest);
}

// The vectorizable inner loops, cloned per instruction set (simd.h). Strides are 0 or 1 so that one loop serves
// same-shape, scalar-operand and repeated-row operands.
template <typename Op, typename T, typename R>
TN_MULTIVERSION void binarySpan(const T* a, int64_t sa, const T* b, int64_t sb, R* y, int64_t n) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) y[i] = Op::f(a[i], b[i]);
  } else if (sa == 1) {
    const T vb = b[0];
    for (int64_t i = 0; i < n; ++i) y[i] = Op::f(a[i], vb);
  } else {
    const T va = a[0];
    for (int64_t i = 0; i < n; ++i) y[i] = Op::f(va, b[i]);
  }
}

// Rows of `full` (length m each) combined with the one repeated row `block`; `blockFirst` puts it on the left.
template <typename Op, typename T, typename R>
TN_MULTIVERSION void binaryRows(const T* full, const T* block, bool blockFirst, R* y, int64_t rows, int64_t m) {
  for (int64_t r = 0; r < rows; ++r) {
    const T* f = full + r * m;
    R* out = y + r * m;
    if (blockFirst) {
      for (int64_t j = 0; j < m; ++j) out[j] = Op::f(block[j], f[j]);
    } else {
      for (int64_t j = 0; j < m; ++j) out[j] = Op::f(f[j], block[j]);
    }
  }
}

template <typename Op, typename T, typename R>
void binaryLoop(const TensorArg& a, const TensorArg& b, const TensorArg& y) {
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  R* py = y.data<R>();
  int64_t n = y.size();
  if (n == 0) return;
  const bool aFull = a.shape == y.shape, bFull = b.shape == y.shape;
  if ((aFull && (bFull || b.size() == 1)) || (bFull && a.size() == 1)) {
    const int64_t sa = aFull ? 1 : 0, sb = bFull ? 1 : 0;
    parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) {
      binarySpan<Op, T, R>(pa + sa * s, sa, pb + sb * s, sb, py + s, e - s);
    });
  } else if ((aFull && isTrailingBlock(b.shape, y.shape)) || (bFull && isTrailingBlock(a.shape, y.shape))) {
    // One operand repeats along the leading dims (a bias add over channels, say): whole rows, vectorized per row.
    const T* full = aFull ? pa : pb;
    const T* block = aFull ? pb : pa;
    const int64_t m = aFull ? b.size() : a.size();
    parallelFor(n / m, std::max<int64_t>(1, kElementwiseGrain / m), [&](int64_t r0, int64_t r1) {
      binaryRows<Op, T, R>(full + r0 * m, block, !aFull, py + r0 * m, r1 - r0, m);
    });
  } else {
    Shape shapes[2] = {a.shape, b.shape};
    parallelFor(n, kElementwiseGrain, [&](int64_t s, int64_t e) {
      BroadcastWalker<2> w(y.shape, shapes, s);
      for (int64_t i = s; i < e; ++i, w.next()) py[i] = Op::f(pa[w.offset[0]], pb[w.offset[1]]);
    });
  }
}

template <typename Op, bool kCompare, bool kFloatOnly>
Status binaryKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkBinaryArgs(ctx));
  const TensorArg &a = ctx.in(0), &b = ctx.in(1), &y = ctx.out(0);
  if (kFloatOnly) TN_RETURN_IF_ERROR(checkDType(ctx, a, DType::Float32, "a"));
  TN_RETURN_IF_ERROR(checkDType(ctx, y, kCompare ? DType::Float32 : a.dtype, "out"));
  if (a.dtype == DType::Float32) binaryLoop<Op, float, std::conditional_t<kCompare, float, float>>(a, b, y);
  else if (kCompare) binaryLoop<Op, int32_t, float>(a, b, y);
  else binaryLoop<Op, int32_t, int32_t>(a, b, y);
  return Status::ok();
}

TN_REGISTER_KERNEL(DeviceType::CPU, "add", (binaryKernel<Add, false, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "sub", (binaryKernel<Sub, false, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "mul", (binaryKernel<Mul, false, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "div", (binaryKernel<Div, false, true>));
TN_REGISTER_KERNEL(DeviceType::CPU, "pow", (binaryKernel<Pow, false, true>));
TN_REGISTER_KERNEL(DeviceType::CPU, "maximum", (binaryKernel<Maximum, false, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "minimum", (binaryKernel<Minimum, false, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "equal", (binaryKernel<Equal, true, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "greater", (binaryKernel<Greater, true, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "greater_equal", (binaryKernel<GreaterEqual, true, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "less", (binaryKernel<Less, true, false>));
TN_REGISTER_KERNEL(DeviceType::CPU, "less_equal", (binaryKernel<LessEqual, true, false>));

// maximum/minimum backward: the winner takes the gradient; ties split it in half (as PyTorch does).
template <bool kMax>
Status extremumBackwardKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 3, 2));
  const TensorArg &a = ctx.in(0), &b = ctx.in(1), &dy = ctx.in(2);
  TN_CHECK(broadcastsTo(a.shape, dy.shape) && broadcastsTo(b.shape, dy.shape) && ctx.out(0).shape == dy.shape &&
               ctx.out(1).shape == dy.shape, Shape, ctx.op, ": shapes do not match the gradient ", shapeStr(dy.shape));
  const float *pa = a.data<float>(), *pb = b.data<float>(), *pg = dy.data<float>();
  float *da = ctx.out(0).data<float>(), *db = ctx.out(1).data<float>();
  Shape shapes[2] = {a.shape, b.shape};
  parallelFor(dy.size(), kElementwiseGrain, [&](int64_t s, int64_t e) {
    BroadcastWalker<2> w(dy.shape, shapes, s);
    for (int64_t i = s; i < e; ++i, w.next()) {
      float va = pa[w.offset[0]], vb = pb[w.offset[1]], g = pg[i];
      bool aWins = kMax ? va > vb : va < vb;
      bool bWins = kMax ? vb > va : vb < va;
      da[i] = aWins ? g : (bWins ? 0.f : 0.5f * g);
      db[i] = bWins ? g : (aWins ? 0.f : 0.5f * g);
    }
  });
  return Status::ok();
}
TN_REGISTER_KERNEL(DeviceType::CPU, "maximum_backward", extremumBackwardKernel<true>);
TN_REGISTER_KERNEL(DeviceType::CPU, "minimum_backward", extremumBackwardKernel<false>);

// ---- unary ops: y = f(x), with optional attrs alpha/beta/min/max read once per call (UnaryParams) ----

struct Neg { static float f(float x, const UnaryParams&) { return -x; } };
struct Exp { static float f(float x, const UnaryParams&) { return std::exp(x); } };
struct Log { static float f(float x, const UnaryParams&) { return std::log(x); } };
struct Sqrt { static float f(float x, const UnaryParams&) { return std::sqrt(x); } };
struct Abs { static float f(float x, const UnaryParams&) { return std::fabs(x); } };
struct Sign { static float f(float x, const UnaryParams&) { return scalar::sign(x); } };
struct Square { static float f(float x, const UnaryParams&) { return x * x; } };
struct Relu { static float f(float x, const UnaryParams&) { return x > 0 ? x : 0.f; } };
struct Sigmoid { static float f(float x, const UnaryParams&) { return scalar::sigmoid(x); } };
struct Tanh { static float f(float x, const UnaryParams&) { return std::tanh(x); } };
struct Gelu { static float f(float x, const UnaryParams&) { return scalar::gelu(x); } };
struct LeakyRelu { static float f(float x, const UnaryParams& p) { return x > 0 ? x : p.alpha * x; } };
struct Clip { static float f(float x, const UnaryParams& p) { return std::min(std::max(x, p.lo), p.hi); } };
struct Scale { static float f(float x, const UnaryParams& p) { return p.alpha * x + p.beta; } };

template <typename Op>
TN_MULTIVERSION void unarySpan(const float* x, float* y, int64_t n, const UnaryParams& p) {
  for (int64_t i = 0; i < n; ++i) y[i] = Op::f(x[i], p);
}

template <typename Op>
Status unaryKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.in(0), DType::Float32, "x"));
  TN_CHECK(ctx.in(0).size() == ctx.out(0).size(), Shape, ctx.op, ": output size differs from input");
  UnaryParams p;
  TN_RETURN_IF_ERROR(readUnaryParams(ctx, p));
  const float* x = ctx.in(0).data<float>();
  float* y = ctx.out(0).data<float>();
  parallelFor(ctx.in(0).size(), kElementwiseGrain, [&](int64_t s, int64_t e) { unarySpan<Op>(x + s, y + s, e - s, p); });
  return Status::ok();
}

TN_REGISTER_KERNEL(DeviceType::CPU, "neg", unaryKernel<Neg>);
TN_REGISTER_KERNEL(DeviceType::CPU, "exp", unaryKernel<Exp>);
TN_REGISTER_KERNEL(DeviceType::CPU, "log", unaryKernel<Log>);
TN_REGISTER_KERNEL(DeviceType::CPU, "sqrt", unaryKernel<Sqrt>);
TN_REGISTER_KERNEL(DeviceType::CPU, "abs", unaryKernel<Abs>);
TN_REGISTER_KERNEL(DeviceType::CPU, "sign", unaryKernel<Sign>);
TN_REGISTER_KERNEL(DeviceType::CPU, "square", unaryKernel<Square>);
TN_REGISTER_KERNEL(DeviceType::CPU, "relu", unaryKernel<Relu>);
TN_REGISTER_KERNEL(DeviceType::CPU, "sigmoid", unaryKernel<Sigmoid>);
TN_REGISTER_KERNEL(DeviceType::CPU, "tanh", unaryKernel<Tanh>);
TN_REGISTER_KERNEL(DeviceType::CPU, "gelu", unaryKernel<Gelu>);
TN_REGISTER_KERNEL(DeviceType::CPU, "leaky_relu", unaryKernel<LeakyRelu>);
TN_REGISTER_KERNEL(DeviceType::CPU, "clip", unaryKernel<Clip>);
TN_REGISTER_KERNEL(DeviceType::CPU, "scale", unaryKernel<Scale>);

// ---- unary backward: dx = dy * f'(saved), where saved is x or y as named in each rule ----
struct ReluGrad { static float f(float x, float g, const UnaryParams&) { return x > 0 ? g : 0.f; } };             // saved x
struct LeakyReluGrad { static float f(float x, float g, const UnaryParams& p) { return x > 0 ? g : p.alpha * g; } };  // saved x
struct SigmoidGrad { static float f(float y, float g, const UnaryParams&) { return g * y * (1.f - y); } };         // saved y
struct TanhGrad { static float f(float y, float g, const UnaryParams&) { return g * (1.f - y * y); } };            // saved y
struct GeluGrad { static float f(float x, float g, const UnaryParams&) { return g * scalar::geluGrad(x); } };      // saved x
struct ClipGrad { static float f(float x, float g, const UnaryParams& p) { return x >= p.lo && x <= p.hi ? g : 0.f; } };  // saved x
struct AbsGrad { static float f(float x, float g, const UnaryParams&) { return g * scalar::sign(x); } };           // saved x

template <typename Op>
TN_MULTIVERSION void unaryBackwardSpan(const float* s, const float* g, float* dx, int64_t n, const UnaryParams& p) {
  for (int64_t i = 0; i < n; ++i) dx[i] = Op::f(s[i], g[i], p);
}

template <typename Op>
Status unaryBackwardKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  TN_CHECK(ctx.in(0).size() == ctx.in(1).size() && ctx.in(1).size() == ctx.out(0).size(), Shape, ctx.op,
           ": saved tensor, gradient and output sizes differ");
  UnaryParams p;
  TN_RETURN_IF_ERROR(readUnaryParams(ctx, p));
  const float *s = ctx.in(0).data<float>(), *g = ctx.in(1).data<float>();
  float* dx = ctx.out(0).data<float>();
  parallelFor(ctx.out(0).size(), kElementwiseGrain, [&](int64_t b, int64_t e) { unaryBackwardSpan<Op>(s + b, g + b, dx + b, e - b, p); });
  return Status::ok();
}

TN_REGISTER_KERNEL(DeviceType::CPU, "relu_backward", unaryBackwardKernel<ReluGrad>);
TN_REGISTER_KERNEL(DeviceType::CPU, "leaky_relu_backward", unaryBackwardKernel<LeakyReluGrad>);
TN_REGISTER_KERNEL(DeviceType::CPU, "sigmoid_backward", unaryBackwardKernel<SigmoidGrad>);
TN_REGISTER_KERNEL(DeviceType::CPU, "tanh_backward", unaryBackwardKernel<TanhGrad>);
TN_REGISTER_KERNEL(DeviceType::CPU, "gelu_backward", unaryBackwardKernel<GeluGrad>);
TN_REGISTER_KERNEL(DeviceType::CPU, "clip_backward", unaryBackwardKernel<ClipGrad>);
TN_REGISTER_KERNEL(DeviceType::CPU, "abs_backward", unaryBackwardKernel<AbsGrad>);

}  // namespace
}  // namespace cpu
}  // namespace tn
