// Argument checks of the fused recurrent kernels, shared by the CPU and CUDA backends.
#include "params.h"

#include "cells.h"

namespace tn {
namespace rnn {
namespace {

Status expectShape(const KernelContext& ctx, const TensorArg& t, const Shape& want, const char* name) {
  TN_RETURN_IF_ERROR(checkDType(ctx, t, DType::Float32, name));
  TN_CHECK(t.shape == want, Shape, ctx.op, ": '", name, "' must have shape ", shapeStr(want), ", got ", shapeStr(t.shape));
  return Status::ok();
}

Status readAct(const KernelContext& ctx, const char* name, int& out) {
  int64_t v = out;
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr(name, v));
  TN_CHECK(v >= 0 && v < kNumActs, Value, ctx.op, ": attr '", name, "' must be an activation code in [0, ", kNumActs,
           "), got ", v);
  out = static_cast<int>(v);
  return Status::ok();
}

}  // namespace

// Forward inputs / outputs:
//   simple_rnn: (xw, h0, R) -> (y [B,T,U])
//   lstm:       (xw, h0, c0, R) -> (y [2,B,T,U] = h and c sequences, gates [B,T,4U])
//   gru:        (xw, h0, R, rb [3U]) -> (y [B,T,U], gates [B,T,3U], rh [B,T,U])
// (Each may take one more input, the recurrent-dropout mask [B,U], after the others.)
// Backward inputs / outputs:
//   simple_rnn: (h0, R, y, dy) -> (dxw, dh0, dR)
//   lstm:       (h0, c0, R, gates, y, dy) -> (dxw, dh0, dc0, dR)
//   gru:        (h0, R, gates, rh, y, dy) -> (dxw, dh0, dR, drb)
Status readRnnArgs(const KernelContext& ctx, Cell cell, bool backward, Dims& d) {
  d.G = cell == Cell::Lstm ? 4 : cell == Cell::Gru ? 3 : 1;
  const size_t nIn = cell == Cell::Simple ? (backward ? 4 : 3) : cell == Cell::Lstm ? (backward ? 6 : 4) : (backward ? 6 : 4);
  const size_t nOut = cell == Cell::Simple ? (backward ? 3 : 1) : cell == Cell::Lstm ? (backward ? 4 : 2) : (backward ? 4 : 3);
  // One optional extra input: the recurrent-dropout mask [B,U] (h_{t-1}*m enters the recurrent GEMM, as tfjs).
  d.masked = ctx.inputs.size() == nIn + 1;
  if (d.masked) {
    TN_RETURN_IF_ERROR(checkArity(ctx, nIn + 1, nOut));
  } else {
    TN_RETURN_IF_ERROR(checkArity(ctx, nIn, nOut));
  }
  TN_RETURN_IF_ERROR(readAct(ctx, "activation", d.act));
  TN_RETURN_IF_ERROR(readAct(ctx, "recurrentActivation", d.recAct));
  int64_t rev = 0, ra = 0;
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("reverse", rev));
  TN_RETURN_IF_ERROR(ctx.attrs.getIntOr("resetAfter", ra));
  d.reverse = rev != 0;
  d.resetAfter = ra != 0;
  // The sequence shape comes from xw (forward) or dxw (backward).
  const TensorArg& seq = backward ? ctx.out(0) : ctx.in(0);
  TN_CHECK(seq.rank() == 3, Shape, ctx.op, ": '", backward ? "dxw" : "xw", "' must be [batch, steps, ", d.G,
           "*units], got ", shapeStr(seq.shape));
  TN_CHECK(seq.dim(2) % d.G == 0, Shape, ctx.op, ": the last dim of ", shapeStr(seq.shape), " is not ", d.G, "*units");
  d.B = seq.dim(0);
  d.T = seq.dim(1);
  d.U = seq.dim(2) / d.G;
  const int64_t B = d.B, T = d.T, U = d.U, GU = d.G * d.U;
  const Shape state{B, U}, rk{U, GU}, gates{B, T, GU}, bt{B, T, U};
  const Shape y = cell == Cell::Lstm ? Shape{2, B, T, U} : bt;
  if (d.masked) TN_RETURN_IF_ERROR(expectShape(ctx, ctx.inputs.back(), state, "recurrentMask"));
  if (!backward) {
    int k = 1;
    TN_RETURN_IF_ERROR(expectShape(ctx, seq, gates, "xw"));
    TN_RETURN_IF_ERROR(expectShape(ctx, ctx.in(k++), state, "h0"));
    if (cell == Cell::Lstm) TN_RETURN_IF_ERROR(expectShape(ctx, ctx.in(k++), state, "c0"));
    TN_RETURN_IF_ERROR(expectShape(ctx, ctx.in(k++), rk, "R"));
    if (cell == Cell::Gru) TN_RETURN_IF_ERROR(expectShape(ctx, ctx.in(k++), Shape{GU}, "rb"));
    TN_RETURN_IF_ERROR(expectShape(ctx, ctx.out(0), y, "y"));
    if (cell != Cell::Simple) TN_RETURN_IF_ERROR(expectShape(ctx, ctx.out(1), gates, "gates"));
    if (cell == Cell::Gru) TN_RETURN_IF_ERROR(expectShape(ctx, ctx.out(2), bt, "rh"));
    return Status::ok();
  }
  int k = 0;
  TN_RETURN_IF_ERROR(expectShape(ctx, ctx.in(k++), state, "h0"));
  if (cell == Cell::Lstm) TN_RETURN_IF_ERROR(expectShape(ctx, ctx.in(k++), state, "c0"));
  TN_RETURN_IF_ERROR(expectShape(ctx, ctx.in(k++), rk, "R"));
  if (cell != Cell::Simple) TN_RETURN_IF_ERROR(expectShape(ctx, ctx.in(k++), gates, "gates"));
  if (cell == Cell::Gru) TN_RETURN_IF_ERROR(expectShape(ctx, ctx.in(k++), bt, "rh"));
  TN_RETURN_IF_ERROR(expectShape(ctx, ctx.in(k++), y, "y"));
  TN_RETURN_IF_ERROR(expectShape(ctx, ctx.in(k++), y, "dy"));
  k = 0;
  TN_RETURN_IF_ERROR(expectShape(ctx, ctx.out(k++), gates, "dxw"));
  TN_RETURN_IF_ERROR(expectShape(ctx, ctx.out(k++), state, "dh0"));
  if (cell == Cell::Lstm) TN_RETURN_IF_ERROR(expectShape(ctx, ctx.out(k++), state, "dc0"));
  TN_RETURN_IF_ERROR(expectShape(ctx, ctx.out(k++), rk, "dR"));
  if (cell == Cell::Gru) TN_RETURN_IF_ERROR(expectShape(ctx, ctx.out(k++), Shape{GU}, "drb"));
  return Status::ok();
}

}  // namespace rnn
}  // namespace tn
