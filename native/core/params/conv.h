// Window geometry of the conv2d and pool2d kernels, shared by CPU and CUDA: reads strides/pads/dilations and re-checks
// NHWC shapes.
#pragma once
#include <cstdint>
#include <vector>

#include "../kernel.h"

namespace tn {

// One 2-D sliding window over an NHWC image batch: N images of H x W x C, producing OH x OW positions.
struct WindowGeometry {
  int64_t N = 0, H = 0, W = 0, C = 0;
  int64_t kh = 1, kw = 1;
  int64_t sh = 1, sw = 1;
  int64_t padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
  int64_t dh = 1, dw = 1;
  int64_t OH = 0, OW = 0;
};

// OH = floor((H + top + bottom - d*(k-1) - 1)/s) + 1 (KERNELS.md); returns a value <= 0 when the window does not fit.
inline int64_t windowOutputSize(int64_t in, int64_t padA, int64_t padB, int64_t k, int64_t stride, int64_t dilation) {
  int64_t span = dilation * (k - 1) + 1;
  int64_t room = in + padA + padB - span;
  return room < 0 ? 0 : room / stride + 1;
}

// Largest stride/pad/dilation/window accepted: keeps every product in the index arithmetic far from int64 overflow.
constexpr int64_t kMaxWindowAttr = int64_t(1) << 30;

// Reads a list attr of exactly `count` integers, each in [minValue, kMaxWindowAttr].
inline Status readIntList(const KernelContext& ctx, const char* name, size_t count, int64_t minValue,
                          std::vector<int64_t>& out) {
  TN_RETURN_IF_ERROR(ctx.attrs.getInts(name, out));
  TN_CHECK(out.size() == count, Value, ctx.op, ": attribute '", name, "' must hold ", count, " integers, got ",
           out.size());
  for (int64_t v : out)
    TN_CHECK(v >= minValue && v <= kMaxWindowAttr, Value, ctx.op, ": attribute '", name, "' entries must be in [",
             minValue, ", ", kMaxWindowAttr, "], got ", v);
  return Status::ok();
}

// Fills strides, pads and (when `withDilations`) dilations from the attrs; kernel sizes are set by the caller.
inline Status readWindowAttrs(const KernelContext& ctx, bool withDilations, WindowGeometry& g) {
  std::vector<int64_t> strides, pads, dilations{1, 1};
  TN_RETURN_IF_ERROR(readIntList(ctx, "strides", 2, 1, strides));
  TN_RETURN_IF_ERROR(readIntList(ctx, "pads", 4, 0, pads));
  if (withDilations) TN_RETURN_IF_ERROR(readIntList(ctx, "dilations", 2, 1, dilations));
  g.sh = strides[0];
  g.sw = strides[1];
  g.padTop = pads[0];
  g.padBottom = pads[1];
  g.padLeft = pads[2];
  g.padRight = pads[3];
  g.dh = dilations[0];
  g.dw = dilations[1];
  return Status::ok();
}

// Checks a rank-4 f32 NHWC argument.
inline Status checkImage(const KernelContext& ctx, const TensorArg& t, const char* argName) {
  TN_CHECK(t.rank() == 4, Shape, ctx.op, ": ", argName, " must have rank 4 (NHWC), got shape ", shapeStr(t.shape));
  return checkDType(ctx, t, DType::Float32, argName);
}

// Sets N,H,W,C from the image `x`, computes OH/OW and checks that the window fits the padded input.
inline Status finishGeometry(const KernelContext& ctx, const Shape& x, WindowGeometry& g) {
  g.N = x[0];
  g.H = x[1];
  g.W = x[2];
  g.C = x[3];
  g.OH = windowOutputSize(g.H, g.padTop, g.padBottom, g.kh, g.sh, g.dh);
  g.OW = windowOutputSize(g.W, g.padLeft, g.padRight, g.kw, g.sw, g.dw);
  TN_CHECK(g.OH > 0 && g.OW > 0, Shape, ctx.op, ": the ", g.kh, "x", g.kw, " window (dilation ", g.dh, "x", g.dw,
           ") is larger than the padded input ", g.H + g.padTop + g.padBottom, "x", g.W + g.padLeft + g.padRight);
  return Status::ok();
}

// Checks that `t` has exactly shape `want`, naming the argument.
inline Status checkShapeIs(const KernelContext& ctx, const TensorArg& t, const Shape& want, const char* argName) {
  TN_CHECK(t.shape == want, Shape, ctx.op, ": ", argName, " must have shape ", shapeStr(want), ", got ",
           shapeStr(t.shape));
  return Status::ok();
}

// Pooling: reads kernel/strides/pads and checks x (image) and y (pooled) shapes: y = [N, OH, OW, C].
inline Status readPoolGeometry(const KernelContext& ctx, const TensorArg& x, const char* xName, const TensorArg& y,
                               const char* yName, WindowGeometry& g) {
  TN_RETURN_IF_ERROR(checkImage(ctx, x, xName));
  TN_RETURN_IF_ERROR(checkImage(ctx, y, yName));
  std::vector<int64_t> kernel;
  TN_RETURN_IF_ERROR(readIntList(ctx, "kernel", 2, 1, kernel));
  g.kh = kernel[0];
  g.kw = kernel[1];
  TN_RETURN_IF_ERROR(readWindowAttrs(ctx, false, g));
  TN_RETURN_IF_ERROR(finishGeometry(ctx, x.shape, g));
  return checkShapeIs(ctx, y, Shape{g.N, g.OH, g.OW, g.C}, yName);
}

// max_pool2d / avg_pool2d: x -> y.
inline Status readPoolForwardArgs(const KernelContext& ctx, WindowGeometry& g) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  return readPoolGeometry(ctx, ctx.in(0), "x", ctx.out(0), "y", g);
}

// avg_pool2d_backward: dy -> dx (x's shape).
inline Status readAvgPoolBackwardArgs(const KernelContext& ctx, WindowGeometry& g) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 1, 1));
  return readPoolGeometry(ctx, ctx.out(0), "dx", ctx.in(0), "dy", g);
}

// max_pool2d_backward: (x, y, dy) -> dx; checks x, y and dy's dtype (the shapes of dy and dx are the caller's).
inline Status readMaxPoolBackwardArgs(const KernelContext& ctx, WindowGeometry& g) {
  TN_RETURN_IF_ERROR(checkArity(ctx, 3, 1));
  TN_RETURN_IF_ERROR(readPoolGeometry(ctx, ctx.in(0), "x", ctx.in(1), "y", g));
  return checkDType(ctx, ctx.in(2), DType::Float32, "dy");
}

}  // namespace tn
