// CUDA creation and copy kernels: copy, fill, arange, cast, random_uniform, random_normal, one_hot, dropout.
#include "../core/numeric_rules.h"
#include "../core/params/creation.h"
#include "../core/rng.h"
#include "cuda_launch.cuh"

namespace tn {
namespace cuda {
namespace {

Status copyKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  TN_CHECK(ctx.in(0).size() == ctx.out(0).size(), Shape, "copy: sizes differ (", shapeStr(ctx.in(0).shape), " vs ",
           shapeStr(ctx.out(0).shape), ")");
  size_t nbytes = ctx.in(0).size() * dtypeSize(ctx.in(0).dtype);
  if (nbytes)
    TN_CUDA_RETURN(cudaMemcpyAsync(ctx.out(0).storage->data(), ctx.in(0).storage->data(), nbytes,
                                   cudaMemcpyDeviceToDevice, streamOf(ctx)), "copy");
  return Status::ok();
}

template <typename T>
__global__ void fillValue(T* y, int64_t n, T value) {
  TN_GRID_LOOP(i, n) y[i] = value;
}

Status fillKernel(KernelContext& ctx) {
  double value;
  TN_RETURN_IF_ERROR(readFillParams(ctx, value));
  const TensorArg& y = ctx.out(0);
  int64_t n = y.size();
  if (n == 0) return Status::ok();
  if (y.dtype == DType::Float32)
    fillValue<float><<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(y.data<float>(), n, static_cast<float>(value));
  else
    fillValue<int32_t><<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(y.data<int32_t>(), n, rules::toInt32(value));
  return launchStatus("fill");
}

// y[i] = start + i*step, computed in double as on the CPU, then converted.
// y[i] = rules::arangeValue (double, no contraction), then converted as on the CPU.
__global__ void arangeF32(float* y, int64_t n, double start, double step) {
  TN_GRID_LOOP(i, n) y[i] = static_cast<float>(rules::arangeValue(start, step, i));
}
__global__ void arangeI32(int32_t* y, int64_t n, double start, double step) {
  TN_GRID_LOOP(i, n) y[i] = rules::toInt32(rules::arangeValue(start, step, i));
}

Status arangeKernel(KernelContext& ctx) {
  double start, step;
  TN_RETURN_IF_ERROR(readArangeParams(ctx, start, step));
  const TensorArg& y = ctx.out(0);
  int64_t n = y.size();
  if (n == 0) return Status::ok();
  if (y.dtype == DType::Float32)
    arangeF32<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(y.data<float>(), n, start, step);
  else
    arangeI32<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(y.data<int32_t>(), n, start, step);
  return launchStatus("arange");
}

// f32 -> i32 by rules::toInt32 (toward zero, NaN -> 0, saturating), exactly as on the CPU; i32 -> f32 rounds to nearest;
// anything -> bool is x != 0 (bool is int32 0/1).
__global__ void castToInt32(const float* x, int32_t* y, int64_t n) {
  TN_GRID_LOOP(i, n) y[i] = rules::toInt32(x[i]);
}
__global__ void castToFloat(const int32_t* x, float* y, int64_t n) {
  TN_GRID_LOOP(i, n) y[i] = static_cast<float>(x[i]);
}
template <typename From>
__global__ void castToBool(const From* x, int32_t* y, int64_t n) {
  TN_GRID_LOOP(i, n) y[i] = x[i] != From(0);
}

Status castKernel(KernelContext& ctx) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0);
  TN_CHECK(x.size() == y.size(), Shape, "cast: sizes differ (", shapeStr(x.shape), " vs ", shapeStr(y.shape), ")");
  int64_t n = x.size();
  if (n == 0) return Status::ok();
  cudaStream_t s = streamOf(ctx);
  if (x.dtype == y.dtype || (x.dtype == DType::Bool && y.dtype == DType::Int32)) {
    TN_CUDA_RETURN(cudaMemcpyAsync(y.storage->data(), x.storage->data(), n * 4, cudaMemcpyDeviceToDevice, s), "cast");
    return Status::ok();
  }
  if (y.dtype == DType::Bool) {
    if (x.dtype == DType::Float32) castToBool<float><<<gridFor(n), kBlock, 0, s>>>(x.data<float>(), y.data<int32_t>(), n);
    else castToBool<int32_t><<<gridFor(n), kBlock, 0, s>>>(x.data<int32_t>(), y.data<int32_t>(), n);
  } else if (x.dtype == DType::Float32) {
    castToInt32<<<gridFor(n), kBlock, 0, s>>>(x.data<float>(), y.data<int32_t>(), n);
  } else {
    castToFloat<<<gridFor(n), kBlock, 0, s>>>(x.data<int32_t>(), y.data<float>(), n);
  }
  return launchStatus("cast");
}

// Same counter-based draws as the CPU (core/rng.h): element i of a seed is identical on both backends.
template <bool kNormal>
__global__ void randomValues(float* y, int64_t n, uint64_t seed, float a, float b) {
  TN_GRID_LOOP(i, n) {
    // uniformValue/normalValue round each operation (no FMA contraction), as the CPU does.
    y[i] = kNormal ? normalValue(seed, static_cast<uint64_t>(i), a, b) : uniformValue(seed, static_cast<uint64_t>(i), a, b);
  }
}

template <bool kNormal>
Status randomKernel(KernelContext& ctx) {
  RandomParams prm;
  TN_RETURN_IF_ERROR(readRandomParams(ctx, kNormal, prm));
  int64_t n = ctx.out(0).size();
  if (n == 0) return Status::ok();
  randomValues<kNormal><<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(ctx.out(0).data<float>(), n, prm.seed, prm.a, prm.b);
  return launchStatus(ctx.op.c_str());
}

// Writes off everywhere, then on at each index; an index outside [0, depth) is reported (ValueError at the next read).
template <typename T>
__global__ void oneHotScatter(const int32_t* idx, T* y, int64_t n, int64_t depth, T on, DeviceReport* report) {
  TN_GRID_LOOP(i, n) {
    int32_t v = idx[i];
    if (v < 0 || v >= depth) reportError(report, kCheckOneHotIndex, v, static_cast<int>(depth), i);
    else y[i * depth + v] = on;
  }
}

template <typename T>
Status oneHotLaunch(const KernelContext& ctx, const OneHotParams& p) {
  const TensorArg &idx = ctx.in(0), &y = ctx.out(0);
  cudaStream_t s = streamOf(ctx);
  fillValue<T><<<gridFor(y.size()), kBlock, 0, s>>>(y.data<T>(), y.size(), static_cast<T>(p.off));
  oneHotScatter<T><<<gridFor(idx.size()), kBlock, 0, s>>>(idx.data<int32_t>(), y.data<T>(), idx.size(), p.depth,
                                                          static_cast<T>(p.on), deviceReportOf(ctx));
  return launchStatus("one_hot");
}

Status oneHotKernel(KernelContext& ctx) {
  OneHotParams p;
  TN_RETURN_IF_ERROR(readOneHotParams(ctx, p));
  if (ctx.out(0).size() == 0) return Status::ok();
  if (ctx.out(0).dtype == DType::Float32) return oneHotLaunch<float>(ctx, p);
  return oneHotLaunch<int32_t>(ctx, p);
}

// mask = uniformAt(seed, i) >= rate ? 1/(1-rate) : 0 in float32, bit-identical to the CPU kernel; y = x*mask.
__global__ void dropoutApply(const float* x, float* y, float* mask, int64_t n, uint64_t seed, float rate, float scale) {
  TN_GRID_LOOP(i, n) {
    float m = uniformAt(seed, static_cast<uint64_t>(i)) >= rate ? scale : 0.f;
    mask[i] = m;
    y[i] = x[i] * m;
  }
}

Status dropoutKernel(KernelContext& ctx) {
  DropoutParams prm;
  TN_RETURN_IF_ERROR(readDropoutParams(ctx, prm));
  const TensorArg &x = ctx.in(0), &y = ctx.out(0), &mask = ctx.out(1);
  int64_t n = x.size();
  if (n == 0) return Status::ok();
  dropoutApply<<<gridFor(n), kBlock, 0, streamOf(ctx)>>>(x.data<float>(), y.data<float>(), mask.data<float>(), n,
                                                         prm.seed, prm.rate, prm.scale);
  return launchStatus("dropout");
}

}  // namespace

TN_REGISTER_KERNEL(DeviceType::CUDA, "copy", copyKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "fill", fillKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "arange", arangeKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "cast", castKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "random_uniform", randomKernel<false>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "random_normal", randomKernel<true>);
TN_REGISTER_KERNEL(DeviceType::CUDA, "one_hot", oneHotKernel);
TN_REGISTER_KERNEL(DeviceType::CUDA, "dropout", dropoutKernel);

}  // namespace cuda
}  // namespace tn
