// CPU elementwise kernels: broadcasting binaries, comparisons, unaries and the unary backward rules.
#include <algorithm>
#include <cmath>

#include "../../core/fast_math.h"
#include "../../core/params/elementwise.h"
#include "../../core/scalar_ops.h"
#include "../simd.h"
#include "elementwise_loops.h"

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
struct Equal { template <typename T> static int32_t f(T a, T b) { return a == b; } };
struct Greater { template <typename T> static int32_t f(T a, T b) { return a > b; } };
struct GreaterEqual { template <typename T> static int32_t f(T a, T b) { return a >= b; } };
struct Less { template <typename T> static int32_t f(T a, T b) { return a < b; } };
struct LessEqual { template <typename T> static int32_t f(T a, T b) { return a <= b; } };
struct NotEqual { template <typename T> static int32_t f(T a, T b) { return a != b; } };
struct Atan2 { template <typename T> static T f(T a, T b) { return std::atan2(a, b); } };
// Python-style remainder (the sign of the divisor) and floor division, as tfjs; an int32 divisor of 0 gives 0.
struct Mod {
  static float f(float a, float b) { float r = std::fmod(a, b); return r != 0 && ((r < 0) != (b < 0)) ? r + b : r; }
  static int32_t f(int32_t a, int32_t b) { return b == 0 ? 0 : static_cast<int32_t>(scalar::floorMod(a, b)); }
};
struct FloorDiv {
  static float f(float a, float b) { return std::floor(a / b); }
  static int32_t f(int32_t a, int32_t b) { return b == 0 ? 0 : static_cast<int32_t>(scalar::floorDiv(a, b)); }
};

// What a binary kernel accepts and returns: same dtype as its inputs, float32 only, or bool out (comparisons).
enum class Mode { Arith, FloatOnly, Compare };

template <typename Op, Mode kMode>
Status binaryKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkBinaryArgs(ctx));
  const TensorArg &a = ctx.in(0), &b = ctx.in(1), &y = ctx.out(0);
  if (kMode == Mode::FloatOnly) TN_RETURN_IF_ERROR(checkDType(ctx, a, DType::Float32, "a"));
  TN_CHECK(kMode == Mode::Compare || a.dtype != DType::Bool, DType, ctx.op, ": inputs must be float32 or int32, got bool");
  TN_RETURN_IF_ERROR(checkDType(ctx, y, kMode == Mode::Compare ? DType::Bool : a.dtype, "out"));
  if (a.dtype == DType::Float32) binaryLoop<Op, float, std::conditional_t<kMode == Mode::Compare, int32_t, float>>(a, b, y);
  else binaryLoop<Op, int32_t, int32_t>(a, b, y);
  return Status::ok();
}

TN_REGISTER_KERNEL(DeviceType::CPU, "add", (binaryKernel<Add, Mode::Arith>));
TN_REGISTER_KERNEL(DeviceType::CPU, "sub", (binaryKernel<Sub, Mode::Arith>));
TN_REGISTER_KERNEL(DeviceType::CPU, "mul", (binaryKernel<Mul, Mode::Arith>));
TN_REGISTER_KERNEL(DeviceType::CPU, "div", (binaryKernel<Div, Mode::FloatOnly>));
TN_REGISTER_KERNEL(DeviceType::CPU, "pow", (binaryKernel<Pow, Mode::FloatOnly>));
TN_REGISTER_KERNEL(DeviceType::CPU, "atan2", (binaryKernel<Atan2, Mode::FloatOnly>));
TN_REGISTER_KERNEL(DeviceType::CPU, "mod", (binaryKernel<Mod, Mode::Arith>));
TN_REGISTER_KERNEL(DeviceType::CPU, "floor_div", (binaryKernel<FloorDiv, Mode::Arith>));
TN_REGISTER_KERNEL(DeviceType::CPU, "maximum", (binaryKernel<Maximum, Mode::Arith>));
TN_REGISTER_KERNEL(DeviceType::CPU, "minimum", (binaryKernel<Minimum, Mode::Arith>));
TN_REGISTER_KERNEL(DeviceType::CPU, "equal", (binaryKernel<Equal, Mode::Compare>));
TN_REGISTER_KERNEL(DeviceType::CPU, "not_equal", (binaryKernel<NotEqual, Mode::Compare>));
TN_REGISTER_KERNEL(DeviceType::CPU, "greater", (binaryKernel<Greater, Mode::Compare>));
TN_REGISTER_KERNEL(DeviceType::CPU, "greater_equal", (binaryKernel<GreaterEqual, Mode::Compare>));
TN_REGISTER_KERNEL(DeviceType::CPU, "less", (binaryKernel<Less, Mode::Compare>));
TN_REGISTER_KERNEL(DeviceType::CPU, "less_equal", (binaryKernel<LessEqual, Mode::Compare>));

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
struct Sigmoid { static float f(float x, const UnaryParams&) { return fastmath::sigmoid(x); } };
struct Tanh { static float f(float x, const UnaryParams&) { return fastmath::tanh(x); } };  // <= 1 ulp, vectorizes
struct Gelu { static float f(float x, const UnaryParams&) { return scalar::gelu(x); } };
struct LeakyRelu { static float f(float x, const UnaryParams& p) { return x > 0 ? x : p.alpha * x; } };
struct Clip { static float f(float x, const UnaryParams& p) { return std::min(std::max(x, p.lo), p.hi); } };
struct Scale { static float f(float x, const UnaryParams& p) { return p.alpha * x + p.beta; } };
// The tfjs math unaries: the scalar functions in core/scalar_ops.h, shared with CUDA.
#define TN_MATH_UNARY(Name, fn) \
  struct Name { static float f(float x, const UnaryParams&) { return fn(x); } };
TN_MATH_UNARY(Floor, std::floor)
TN_MATH_UNARY(Ceil, std::ceil)
TN_MATH_UNARY(Round, std::nearbyint)  // half to even, as tfjs
TN_MATH_UNARY(Rsqrt, scalar::rsqrt)
TN_MATH_UNARY(Reciprocal, scalar::reciprocal)
TN_MATH_UNARY(Softplus, scalar::softplus)
TN_MATH_UNARY(Elu, scalar::elu)
TN_MATH_UNARY(Selu, scalar::selu)
TN_MATH_UNARY(Relu6, scalar::relu6)
TN_MATH_UNARY(Log1p, std::log1p)
TN_MATH_UNARY(Expm1, std::expm1)
TN_MATH_UNARY(Sin, std::sin)
TN_MATH_UNARY(Cos, std::cos)
TN_MATH_UNARY(Tan, std::tan)
TN_MATH_UNARY(Asin, std::asin)
TN_MATH_UNARY(Acos, std::acos)
TN_MATH_UNARY(Atan, std::atan)
TN_MATH_UNARY(Sinh, std::sinh)
TN_MATH_UNARY(Cosh, std::cosh)
TN_MATH_UNARY(Asinh, std::asinh)
TN_MATH_UNARY(Acosh, std::acosh)
TN_MATH_UNARY(Atanh, std::atanh)
TN_MATH_UNARY(Erf, std::erf)
#undef TN_MATH_UNARY

template <typename Op>
Status unaryKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.in(0), DType::Float32, "x"));
  TN_CHECK(ctx.in(0).size() == ctx.out(0).size(), Shape, ctx.op, ": output size differs from input");
  UnaryParams p;
  TN_RETURN_IF_ERROR(readUnaryParams(ctx, p));
  unaryLoop<Op>(ctx.in(0).data<float>(), ctx.out(0).data<float>(), ctx.in(0).size(), p);
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
TN_REGISTER_KERNEL(DeviceType::CPU, "floor", unaryKernel<Floor>);
TN_REGISTER_KERNEL(DeviceType::CPU, "ceil", unaryKernel<Ceil>);
TN_REGISTER_KERNEL(DeviceType::CPU, "round", unaryKernel<Round>);
TN_REGISTER_KERNEL(DeviceType::CPU, "rsqrt", unaryKernel<Rsqrt>);
TN_REGISTER_KERNEL(DeviceType::CPU, "reciprocal", unaryKernel<Reciprocal>);
TN_REGISTER_KERNEL(DeviceType::CPU, "softplus", unaryKernel<Softplus>);
TN_REGISTER_KERNEL(DeviceType::CPU, "elu", unaryKernel<Elu>);
TN_REGISTER_KERNEL(DeviceType::CPU, "selu", unaryKernel<Selu>);
TN_REGISTER_KERNEL(DeviceType::CPU, "relu6", unaryKernel<Relu6>);
TN_REGISTER_KERNEL(DeviceType::CPU, "log1p", unaryKernel<Log1p>);
TN_REGISTER_KERNEL(DeviceType::CPU, "expm1", unaryKernel<Expm1>);
TN_REGISTER_KERNEL(DeviceType::CPU, "sin", unaryKernel<Sin>);
TN_REGISTER_KERNEL(DeviceType::CPU, "cos", unaryKernel<Cos>);
TN_REGISTER_KERNEL(DeviceType::CPU, "tan", unaryKernel<Tan>);
TN_REGISTER_KERNEL(DeviceType::CPU, "asin", unaryKernel<Asin>);
TN_REGISTER_KERNEL(DeviceType::CPU, "acos", unaryKernel<Acos>);
TN_REGISTER_KERNEL(DeviceType::CPU, "atan", unaryKernel<Atan>);
TN_REGISTER_KERNEL(DeviceType::CPU, "sinh", unaryKernel<Sinh>);
TN_REGISTER_KERNEL(DeviceType::CPU, "cosh", unaryKernel<Cosh>);
TN_REGISTER_KERNEL(DeviceType::CPU, "asinh", unaryKernel<Asinh>);
TN_REGISTER_KERNEL(DeviceType::CPU, "acosh", unaryKernel<Acosh>);
TN_REGISTER_KERNEL(DeviceType::CPU, "atanh", unaryKernel<Atanh>);
TN_REGISTER_KERNEL(DeviceType::CPU, "erf", unaryKernel<Erf>);

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
