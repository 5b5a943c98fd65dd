// CUDA elementwise kernels: broadcasting binaries and comparisons, maximum/minimum backward, unaries and their backwards.
#include "../core/params/elementwise.h"
#include "../core/scalar_ops.h"
#include "elementwise_launch.cuh"

namespace tn {
namespace cuda {
namespace {

// ---- binary ops (a, b broadcast to y); same rules as native/cpu/kernels/elementwise.cc ----
struct Add { template <typename T> __device__ static T f(T a, T b) { return scalar::wrapAdd(a, b); } };
struct Sub { template <typename T> __device__ static T f(T a, T b) { return scalar::wrapSub(a, b); } };
struct Mul { template <typename T> __device__ static T f(T a, T b) { return scalar::wrapMul(a, b); } };
struct Div { template <typename T> __device__ static T f(T a, T b) { return a / b; } };
struct Pow { template <typename T> __device__ static T f(T a, T b) { return powf(a, b); } };
struct Maximum { template <typename T> __device__ static T f(T a, T b) { return a > b || a != a ? a : b; } };  // NaN from a
struct Minimum { template <typename T> __device__ static T f(T a, T b) { return a < b || a != a ? a : b; } };
struct Equal { template <typename T> __device__ static int32_t f(T a, T b) { return a == b; } };
struct Greater { template <typename T> __device__ static int32_t f(T a, T b) { return a > b; } };
struct GreaterEqual { template <typename T> __device__ static int32_t f(T a, T b) { return a >= b; } };
struct Less { template <typename T> __device__ static int32_t f(T a, T b) { return a < b; } };
struct LessEqual { template <typename T> __device__ static int32_t f(T a, T b) { return a <= b; } };
struct NotEqual { template <typename T> __device__ static int32_t f(T a, T b) { return a != b; } };
struct Atan2 { template <typename T> __device__ static T f(T a, T b) { return atan2f(a, b); } };
// Python-style remainder and floor division, as tfjs (and the CPU); an int32 divisor of 0 gives 0.
struct Mod {
  __device__ static float f(float a, float b) { float r = fmodf(a, b); return r != 0 && ((r < 0) != (b < 0)) ? r + b : r; }
  __device__ static int32_t f(int32_t a, int32_t b) { return b == 0 ? 0 : static_cast<int32_t>(scalar::floorMod(a, b)); }
};
struct FloorDiv {
  __device__ static float f(float a, float b) { return floorf(a / b); }
  __device__ static int32_t f(int32_t a, int32_t b) { return b == 0 ? 0 : static_cast<int32_t>(scalar::floorDiv(a, b)); }
};

template <typename Op, bool kCompare>
Status binaryKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkBinaryArgs(ctx));
  const TensorArg &a = ctx.in(0), &b = ctx.in(1), &y = ctx.out(0);
  TN_CHECK(kCompare || a.dtype != DType::Bool, DType, ctx.op, ": inputs must be float32 or int32, got bool");
  TN_RETURN_IF_ERROR(checkDType(ctx, y, kCompare ? DType::Bool : a.dtype, "out"));
  if (a.dtype == DType::Float32) return launchBinary<Op, float, std::conditional_t<kCompare, int32_t, float>>(ctx, a, b, y);
  return launchBinary<Op, int32_t, int32_t>(ctx, a, b, y);
}

// pow/div/atan2 only exist for float32: a separate wrapper so no int32 instantiation is compiled.
template <typename Op>
Status floatBinaryKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  const TensorArg &a = ctx.in(0), &b = ctx.in(1), &y = ctx.out(0);
  TN_RETURN_IF_ERROR(checkDType(ctx, a, DType::Float32, "a"));
  TN_RETURN_IF_ERROR(checkDType(ctx, b, DType::Float32, "b"));
  TN_RETURN_IF_ERROR(checkDType(ctx, y, DType::Float32, "out"));
  TN_CHECK(broadcastsTo(a.shape, y.shape) && broadcastsTo(b.shape, y.shape), Shape, ctx.op, ": shapes ",
           shapeStr(a.shape), " and ", shapeStr(b.shape), " do not broadcast to ", shapeStr(y.shape));
  return launchBinary<Op, float, float>(ctx, a, b, y);
}

TN_REGISTER_KERNEL(DeviceType::CUDA, "add", (binaryKernel<Add, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "sub", (binaryKernel<Sub, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "mul", (binaryKernel<Mul, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "div", floatBinaryKernel<Div>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "pow", floatBinaryKernel<Pow>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "atan2", floatBinaryKernel<Atan2>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "mod", (binaryKernel<Mod, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "floor_div", (binaryKernel<FloorDiv, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "maximum", (binaryKernel<Maximum, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "minimum", (binaryKernel<Minimum, false>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "equal", (binaryKernel<Equal, true>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "not_equal", (binaryKernel<NotEqual, true>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "greater", (binaryKernel<Greater, true>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "greater_equal", (binaryKernel<GreaterEqual, true>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "less", (binaryKernel<Less, true>));
TN_REGISTER_KERNEL(DeviceType::CUDA, "less_equal", (binaryKernel<LessEqual, true>));

// ---- maximum/minimum backward: the winner takes dy, ties split it 0.5/0.5; da, db have dy's shape ----
template <bool kMax>
__global__ void extremumBackward(const float* __restrict__ a, const float* __restrict__ b, const float* __restrict__ dy,
                                 float* __restrict__ da, float* __restrict__ db, int64_t n, StridedIndexer<2> ix) {
  TN_GRID_LOOP(i, n) {
    int64_t off[2];
    stridedOffsets(ix, i, off);
    float va = a[off[0]], vb = b[off[1]], g = dy[i];
    bool aWins = kMax ? va > vb : va < vb;
    bool bWins = kMax ? vb > va : vb < va;
    da[i] = aWins ? g : (bWins ? 0.f : 0.5f * g);
    db[i] = bWins ? g : (aWins ? 0.f : 0.5f * g);
  }
}

template <bool kMax>
Status extremumBackwardKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 3, 2));
  const TensorArg &a = ctx.in(0), &b = ctx.in(1), &dy = ctx.in(2);
  for (const TensorArg* t : {&a, &b, &dy, &ctx.out(0), &ctx.out(1)})
    TN_RETURN_IF_ERROR(checkDType(ctx, *t, DType::Float32, "a/b/dy/da/db"));
  TN_CHECK(broadcastsTo(a.shape, dy.shape) && broadcastsTo(b.shape, dy.shape) && ctx.out(0).shape == dy.shape &&
               ctx.out(1).shape == dy.shape, Shape, ctx.op, ": shapes do not match the gradient ", shapeStr(dy.shape));
  int64_t n = dy.size();
  if (n == 0) return Status::ok();
  StridedIndexer<2> ix;
  TN_RETURN_IF_ERROR(makeIndexer<2>(ctx.op.c_str(), dy.shape,
                                    {broadcastStrides(a.shape, dy.shape), broadcastStrides(b.shape, dy.shape)}, ix));
  extremumBackward<kMax><<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(
      a.data<float>(), b.data<float>(), dy.data<float>(), ctx.out(0).data<float>(), ctx.out(1).data<float>(), n, ix);
  return launchStatus(ctx.op.c_str());
}
TN_REGISTER_KERNEL(DeviceType::CUDA, "maximum_backward", extremumBackwardKernel<true>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "minimum_backward", extremumBackwardKernel<false>);

// ---- unary ops: y = f(x), attrs alpha/beta/min/max read once per call (UnaryParams) ----

struct Neg { __device__ static float f(float x, const UnaryParams&) { return -x; } };
struct Exp { __device__ static float f(float x, const UnaryParams&) { return expf(x); } };
struct Log { __device__ static float f(float x, const UnaryParams&) { return logf(x); } };
struct Sqrt { __device__ static float f(float x, const UnaryParams&) { return sqrtf(x); } };
struct Abs { __device__ static float f(float x, const UnaryParams&) { return fabsf(x); } };
struct Sign { __device__ static float f(float x, const UnaryParams&) { return scalar::sign(x); } };
struct Square { __device__ static float f(float x, const UnaryParams&) { return x * x; } };
struct Relu { __device__ static float f(float x, const UnaryParams&) { return x > 0 ? x : 0.f; } };
struct Sigmoid { __device__ static float f(float x, const UnaryParams&) { return scalar::sigmoid(x); } };
struct Tanh { __device__ static float f(float x, const UnaryParams&) { return tanhf(x); } };
struct Gelu { __device__ static float f(float x, const UnaryParams&) { return scalar::gelu(x); } };
struct LeakyRelu { __device__ static float f(float x, const UnaryParams& p) { return x > 0 ? x : p.alpha * x; } };
// Same order as the CPU's std::min(std::max(x, lo), hi) (NaN in x passes through).
struct Clip { __device__ static float f(float x, const UnaryParams& p) { float t = x < p.lo ? p.lo : x; return p.hi < t ? p.hi : t; } };
struct Scale { __device__ static float f(float x, const UnaryParams& p) { return p.alpha * x + p.beta; } };
// The tfjs math unaries: CUDA's float functions and core/scalar_ops.h, matching the CPU's std:: calls.
#define TN_MATH_UNARY(Name, fn) \
  struct Name { __device__ static float f(float x, const UnaryParams&) { return fn(x); } };
TN_MATH_UNARY(Floor, floorf)
TN_MATH_UNARY(Ceil, ceilf)
TN_MATH_UNARY(Round, rintf)  // half to even, as tfjs
TN_MATH_UNARY(Rsqrt, scalar::rsqrt)
TN_MATH_UNARY(Reciprocal, scalar::reciprocal)
TN_MATH_UNARY(Softplus, scalar::softplus)
TN_MATH_UNARY(Elu, scalar::elu)
TN_MATH_UNARY(Selu, scalar::selu)
TN_MATH_UNARY(Relu6, scalar::relu6)
TN_MATH_UNARY(Log1p, log1pf)
TN_MATH_UNARY(Expm1, expm1f)
TN_MATH_UNARY(Sin, sinf)
TN_MATH_UNARY(Cos, cosf)
TN_MATH_UNARY(Tan, tanf)
TN_MATH_UNARY(Asin, asinf)
TN_MATH_UNARY(Acos, acosf)
TN_MATH_UNARY(Atan, atanf)
TN_MATH_UNARY(Sinh, sinhf)
TN_MATH_UNARY(Cosh, coshf)
TN_MATH_UNARY(Asinh, asinhf)
TN_MATH_UNARY(Acosh, acoshf)
TN_MATH_UNARY(Atanh, atanhf)
TN_MATH_UNARY(Erf, erff)
#undef TN_MATH_UNARY

template <typename Op>
Status unaryKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.in(0), DType::Float32, "x"));
  TN_RETURN_IF_ERROR(checkDType(ctx, ctx.out(0), DType::Float32, "out"));
  TN_CHECK(ctx.in(0).size() == ctx.out(0).size(), Shape, ctx.op, ": output size differs from input");
  UnaryParams p;
  TN_RETURN_IF_ERROR(readUnaryParams(ctx, p));
  int64_t n = ctx.in(0).size();
  if (n == 0) return Status::ok();
  unaryMap<Op, float, float, UnaryParams><<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.in(0).data<float>(), ctx.out(0).data<float>(), n, p);
  return launchStatus(ctx.op.c_str());
}

TN_REGISTER_KERNEL(DeviceType::CUDA, "neg", unaryKernel<Neg>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "exp", unaryKernel<Exp>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "log", unaryKernel<Log>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "sqrt", unaryKernel<Sqrt>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "abs", unaryKernel<Abs>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "sign", unaryKernel<Sign>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "square", unaryKernel<Square>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "relu", unaryKernel<Relu>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "sigmoid", unaryKernel<Sigmoid>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "tanh", unaryKernel<Tanh>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "gelu", unaryKernel<Gelu>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "leaky_relu", unaryKernel<LeakyRelu>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "clip", unaryKernel<Clip>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "scale", unaryKernel<Scale>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "floor", unaryKernel<Floor>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "ceil", unaryKernel<Ceil>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "round", unaryKernel<Round>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "rsqrt", unaryKernel<Rsqrt>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "reciprocal", unaryKernel<Reciprocal>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "softplus", unaryKernel<Softplus>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "elu", unaryKernel<Elu>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "selu", unaryKernel<Selu>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "relu6", unaryKernel<Relu6>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "log1p", unaryKernel<Log1p>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "expm1", unaryKernel<Expm1>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "sin", unaryKernel<Sin>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "cos", unaryKernel<Cos>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "tan", unaryKernel<Tan>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "asin", unaryKernel<Asin>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "acos", unaryKernel<Acos>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "atan", unaryKernel<Atan>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "sinh", unaryKernel<Sinh>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "cosh", unaryKernel<Cosh>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "asinh", unaryKernel<Asinh>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "acosh", unaryKernel<Acosh>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "atanh", unaryKernel<Atanh>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "erf", unaryKernel<Erf>);

// ---- unary backward: dx = dy * f'(saved); saved is x or y as KERNELS.md names it ----
struct ReluGrad { __device__ static float f(float x, float g, const UnaryParams&) { return x > 0 ? g : 0.f; } };
struct LeakyReluGrad { __device__ static float f(float x, float g, const UnaryParams& p) { return x > 0 ? g : p.alpha * g; } };
struct SigmoidGrad { __device__ static float f(float y, float g, const UnaryParams&) { return g * y * (1.f - y); } };
struct TanhGrad { __device__ static float f(float y, float g, const UnaryParams&) { return g * (1.f - y * y); } };
struct GeluGrad { __device__ static float f(float x, float g, const UnaryParams&) { return g * scalar::geluGrad(x); } };
struct ClipGrad { __device__ static float f(float x, float g, const UnaryParams& p) { return x >= p.lo && x <= p.hi ? g : 0.f; } };
struct AbsGrad { __device__ static float f(float x, float g, const UnaryParams&) { return g * scalar::sign(x); } };

template <typename Op>
__global__ void unaryBackward(const float* __restrict__ saved, const float* __restrict__ dy, float* __restrict__ dx,
                              int64_t n, UnaryParams p) {
  TN_GRID_LOOP(i, n) dx[i] = Op::f(saved[i], dy[i], p);
}

template <typename Op>
Status unaryBackwardKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 2, 1));
  for (const TensorArg* t : {&ctx.in(0), &ctx.in(1), &ctx.out(0)})
    TN_RETURN_IF_ERROR(checkDType(ctx, *t, DType::Float32, "saved/dy/dx"));
  TN_CHECK(ctx.in(0).size() == ctx.in(1).size() && ctx.in(1).size() == ctx.out(0).size(), Shape, ctx.op,
           ": saved tensor, gradient and output sizes differ");
  UnaryParams p;
  TN_RETURN_IF_ERROR(readUnaryParams(ctx, p));
  int64_t n = ctx.out(0).size();
  if (n == 0) return Status::ok();
  unaryBackward<Op><<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.in(0).data<float>(), ctx.in(1).data<float>(),
                                                              ctx.out(0).data<float>(), n, p);
  return launchStatus(ctx.op.c_str());
}

TN_REGISTER_KERNEL(DeviceType::CUDA, "relu_backward", unaryBackwardKernel<ReluGrad>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "leaky_relu_backward", unaryBackwardKernel<LeakyReluGrad>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "sigmoid_backward", unaryBackwardKernel<SigmoidGrad>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "tanh_backward", unaryBackwardKernel<TanhGrad>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "gelu_backward", unaryBackwardKernel<GeluGrad>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "clip_backward", unaryBackwardKernel<ClipGrad>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "abs_backward", unaryBackwardKernel<AbsGrad>);

}  // namespace
}  // namespace cuda
}  // namespace tn
