// The fused recurrent sequence kernels as one driver per cell, written once for both backends: per step one GEMM
// (h_{t-1} R) and one element pass; backward walks the steps in reverse with one GEMM (dz R^T) per step and a
// single large GEMM for dR. `Exec` supplies gemm (row-major, with leading dims), forEach(n, functor) and scratch.
#pragma once
#include "params.h"
#include "steps.h"

namespace tn {
namespace rnn {

// The previous state as a GEMM operand: h0 [B,U] at step 0, else row s-1 of h [B,T,U]; with a recurrent-dropout
// mask m [B,U], that state times m (written to the scratch hm).
template <class Exec>
Status prevState(Exec& ex, const Dims& d, const float* h0, const float* h, const float* m, float* hm, int64_t s,
                 const float*& out, int64_t& ld) {
  ld = s == 0 ? d.U : d.T * d.U;
  out = s == 0 ? h0 : h + (s - 1) * d.U;
  if (!m) return Status::ok();
  TN_RETURN_IF_ERROR(ex.forEach(d.B * d.U, MaskRows{hm, out, m, ld, d.U}));
  out = hm;
  ld = d.U;
  return Status::ok();
}

template <class Exec>
Status lstmForward(Exec& ex, const Dims& d, const float* xw, const float* h0, const float* c0, const float* R,
                   const float* m, float* y, float* gates) {
  const int64_t B = d.B, T = d.T, U = d.U, GU = 4 * U;
  float *h = y, *c = y + B * T * U, *hm = nullptr;
  if (m) TN_RETURN_IF_ERROR(ex.alloc(B * U, hm));
  for (int64_t s = 0; s < T; ++s) {
    int64_t ld = 0;
    const float* hp = nullptr;
    TN_RETURN_IF_ERROR(prevState(ex, d, h0, h, m, hm, s, hp, ld));
    TN_RETURN_IF_ERROR(ex.gemm(false, false, B, GU, U, 1.f, hp, ld, R, GU, 0.f, gates + s * GU, T * GU));
    TN_RETURN_IF_ERROR(ex.forEach(B * U, LstmForwardStep{gates, h, c, xw, h0, c0, T, U, s, inputStep(d, s), d.act, d.recAct}));
  }
  return Status::ok();
}

template <class Exec>
Status lstmBackward(Exec& ex, const Dims& d, const float* h0, const float* c0, const float* R, const float* gates,
                    const float* y, const float* dy, const float* m, float* dxw, float* dh0, float* dc0, float* dR) {
  const int64_t B = d.B, T = d.T, U = d.U, GU = 4 * U;
  const float *h = y, *c = y + B * T * U, *dh = dy, *dc = dy + B * T * U;
  float *hprev = nullptr;
  TN_RETURN_IF_ERROR(ex.alloc(B * T * U, hprev));
  TN_RETURN_IF_ERROR(ex.forEach(B * U, Fill{dh0, 0.f}));
  TN_RETURN_IF_ERROR(ex.forEach(B * U, Fill{dc0, 0.f}));
  // dh0 / dc0 carry the running gradients into step s; after step 0 they are the answers.
  for (int64_t s = T - 1; s >= 0; --s) {
    const int64_t t = inputStep(d, s);
    TN_RETURN_IF_ERROR(ex.forEach(B * U, LstmBackwardStep{gates, c, c0, dh, dc, dxw, dh0, dc0, T, U, s, t, d.act, d.recAct}));
    TN_RETURN_IF_ERROR(ex.gemm(false, true, B, U, GU, 1.f, dxw + t * GU, T * GU, R, GU, 0.f, dh0, U));
    if (m) TN_RETURN_IF_ERROR(ex.forEach(B * U, MulBy{dh0, m}));  // the GEMM saw h*m
  }
  TN_RETURN_IF_ERROR(ex.forEach(B * T * U, BuildPrev{hprev, h0, h, m, T, U, d.reverse}));
  return ex.gemm(true, false, U, GU, B * T, 1.f, hprev, U, dxw, GU, 0.f, dR, GU);
}

template <class Exec>
Status gruForward(Exec& ex, const Dims& d, const float* xw, const float* h0, const float* R, const float* rb,
                  const float* m, float* h, float* gates, float* rh) {
  const int64_t B = d.B, T = d.T, U = d.U, GU = 3 * U;
  float *p = nullptr, *hm = nullptr;
  TN_RETURN_IF_ERROR(ex.alloc(B * GU, p));
  if (m) TN_RETURN_IF_ERROR(ex.alloc(B * U, hm));
  for (int64_t s = 0; s < T; ++s) {
    const int64_t t = inputStep(d, s);
    int64_t ld = 0;
    const float* hp = nullptr;
    TN_RETURN_IF_ERROR(prevState(ex, d, h0, h, m, hm, s, hp, ld));
    if (d.resetAfter) {
      TN_RETURN_IF_ERROR(ex.forEach(B * GU, CopyRows{p, rb, GU, 0, GU}));  // p = rb, then p += hp R
      TN_RETURN_IF_ERROR(ex.gemm(false, false, B, GU, U, 1.f, hp, ld, R, GU, 1.f, p, GU));
      TN_RETURN_IF_ERROR(ex.forEach(B * U, GruForwardAfter{gates, rh, h, xw, p, h0, T, U, s, t, d.act, d.recAct}));
    } else {
      TN_RETURN_IF_ERROR(ex.gemm(false, false, B, 2 * U, U, 1.f, hp, ld, R, GU, 0.f, p, GU));
      TN_RETURN_IF_ERROR(ex.forEach(B * U, GruForwardGates{gates, rh, xw, p, h0, h, m, T, U, s, t, d.recAct}));
      TN_RETURN_IF_ERROR(ex.gemm(false, false, B, U, U, 1.f, rh + s * U, T * U, R + 2 * U, GU, 0.f, p + 2 * U, GU));
      TN_RETURN_IF_ERROR(ex.forEach(B * U, GruForwardCandidate{gates, h, xw, p, h0, T, U, s, t, d.act}));
    }
  }
  return Status::ok();
}

template <class Exec>
Status gruBackward(Exec& ex, const Dims& d, const float* h0, const float* R, const float* gates, const float* rh,
                   const float* h, const float* dy, const float* m, float* dxw, float* dh0, float* dR, float* drb) {
  const int64_t B = d.B, T = d.T, U = d.U, GU = 3 * U;
  float *hprev = nullptr, *dp = nullptr, *q = nullptr, *g = nullptr;
  TN_RETURN_IF_ERROR(ex.alloc(B * T * U, hprev));
  TN_RETURN_IF_ERROR(ex.alloc(B * U, g));
  TN_RETURN_IF_ERROR(ex.forEach(B * U, Fill{dh0, 0.f}));
  if (d.resetAfter) {
    TN_RETURN_IF_ERROR(ex.alloc(B * T * GU, dp));
  } else {
    TN_RETURN_IF_ERROR(ex.alloc(B * U, q));
  }
  // dh0 carries the gradient reaching h_{s-1}: the direct part dh*z from the step, plus the recurrent GEMMs'
  // part (gradient of the masked state hm = h*m, collected in g) times m.
  for (int64_t s = T - 1; s >= 0; --s) {
    const int64_t t = inputStep(d, s);
    TN_RETURN_IF_ERROR(ex.forEach(B * U, GruBackwardStep{gates, rh, h, h0, dy, dxw, dp, dh0, T, U, s, t, d.act, d.recAct, d.resetAfter}));
    if (d.resetAfter) {
      TN_RETURN_IF_ERROR(ex.gemm(false, true, B, U, GU, 1.f, dp + t * GU, T * GU, R, GU, 0.f, g, U));
    } else {
      // q = dah R_h^T (the gradient of r*hm), then dr and g = q*r, then g += [dz, dr] R_zr^T.
      TN_RETURN_IF_ERROR(ex.gemm(false, true, B, U, U, 1.f, dxw + t * GU + 2 * U, T * GU, R + 2 * U, GU, 0.f, q, U));
      TN_RETURN_IF_ERROR(ex.forEach(B * U, GruBackwardReset{gates, h, h0, q, m, dxw, g, T, U, s, t, d.recAct}));
      TN_RETURN_IF_ERROR(ex.gemm(false, true, B, U, 2 * U, 1.f, dxw + t * GU, T * GU, R, GU, 1.f, g, U));
    }
    TN_RETURN_IF_ERROR(ex.forEach(B * U, AddMasked{dh0, g, m}));
  }
  TN_RETURN_IF_ERROR(ex.forEach(B * T * U, BuildPrev{hprev, h0, h, m, T, U, d.reverse}));
  if (d.resetAfter) {
    TN_RETURN_IF_ERROR(ex.gemm(true, false, U, GU, B * T, 1.f, hprev, U, dp, GU, 0.f, dR, GU));
    return ex.forEach(GU, ColumnSum{drb, dp, B * T, GU});
  }
  TN_RETURN_IF_ERROR(ex.forEach(GU, Fill{drb, 0.f}));
  TN_RETURN_IF_ERROR(ex.gemm(true, false, U, 2 * U, B * T, 1.f, hprev, U, dxw, GU, 0.f, dR, GU));
  // The candidate's GEMM input was r*hm (rh, in step order); reorder it like dxw's rows when going backwards.
  const float* rhRows = rh;
  if (d.reverse) {
    float* re = nullptr;
    TN_RETURN_IF_ERROR(ex.alloc(B * T * U, re));
    for (int64_t s = 0; s < T; ++s) {
      TN_RETURN_IF_ERROR(ex.forEach(B * U, CopyRows{re + inputStep(d, s) * U, rh + s * U, T * U, T * U, U}));
    }
    rhRows = re;
  }
  return ex.gemm(true, false, U, U, B * T, 1.f, rhRows, U, dxw + 2 * U, GU, 0.f, dR + 2 * U, GU);
}

template <class Exec>
Status simpleForward(Exec& ex, const Dims& d, const float* xw, const float* h0, const float* R, const float* m,
                     float* h) {
  const int64_t B = d.B, T = d.T, U = d.U;
  float* hm = nullptr;
  if (m) TN_RETURN_IF_ERROR(ex.alloc(B * U, hm));
  for (int64_t s = 0; s < T; ++s) {
    int64_t ld = 0;
    const float* hp = nullptr;
    TN_RETURN_IF_ERROR(prevState(ex, d, h0, h, m, hm, s, hp, ld));
    TN_RETURN_IF_ERROR(ex.gemm(false, false, B, U, U, 1.f, hp, ld, R, U, 0.f, h + s * U, T * U));
    TN_RETURN_IF_ERROR(ex.forEach(B * U, SimpleForwardStep{h, xw, T, U, s, inputStep(d, s), d.act}));
  }
  return Status::ok();
}

template <class Exec>
Status simpleBackward(Exec& ex, const Dims& d, const float* h0, const float* R, const float* h, const float* dy,
                      const float* m, float* dxw, float* dh0, float* dR) {
  const int64_t B = d.B, T = d.T, U = d.U;
  float* hprev = nullptr;
  TN_RETURN_IF_ERROR(ex.alloc(B * T * U, hprev));
  TN_RETURN_IF_ERROR(ex.forEach(B * U, Fill{dh0, 0.f}));
  for (int64_t s = T - 1; s >= 0; --s) {
    const int64_t t = inputStep(d, s);
    TN_RETURN_IF_ERROR(ex.forEach(B * U, SimpleBackwardStep{h, dy, dh0, dxw, T, U, s, t, d.act}));
    TN_RETURN_IF_ERROR(ex.gemm(false, true, B, U, U, 1.f, dxw + t * U, T * U, R, U, 0.f, dh0, U));
    if (m) TN_RETURN_IF_ERROR(ex.forEach(B * U, MulBy{dh0, m}));
  }
  TN_RETURN_IF_ERROR(ex.forEach(B * T * U, BuildPrev{hprev, h0, h, m, T, U, d.reverse}));
  return ex.gemm(true, false, U, U, B * T, 1.f, hprev, U, dxw, U, 0.f, dR, U);
}

// Runs the kernel named by ctx.op after checking its arguments; the backends call this with their Exec.
template <class Exec>
Status runRnnKernel(Exec& ex, const KernelContext& ctx, Cell cell, bool backward) {
  Dims d;
  TN_RETURN_IF_ERROR(readRnnArgs(ctx, cell, backward, d));
  auto in = [&](int i) { return ctx.in(i).data<float>(); };
  const float* m = d.masked ? ctx.inputs.back().data<float>() : nullptr;
  auto out = [&](int i) { return ctx.out(i).data<float>(); };
  if (d.B == 0 || d.T == 0 || d.U == 0) {  // nothing to run: the outputs are empty, or (backward) zero gradients
    if (!backward) return Status::ok();
    for (size_t k = 0; k < ctx.outputs.size(); ++k) TN_RETURN_IF_ERROR(ex.forEach(ctx.out(k).size(), Fill{out(k), 0.f}));
    return Status::ok();
  }
  switch (cell) {
    case Cell::Lstm:
      return backward ? lstmBackward(ex, d, in(0), in(1), in(2), in(3), in(4), in(5), m, out(0), out(1), out(2), out(3))
                      : lstmForward(ex, d, in(0), in(1), in(2), in(3), m, out(0), out(1));
    case Cell::Gru:
      return backward ? gruBackward(ex, d, in(0), in(1), in(2), in(3), in(4), in(5), m, out(0), out(1), out(2), out(3))
                      : gruForward(ex, d, in(0), in(1), in(2), in(3), m, out(0), out(1), out(2));
    default:
      return backward ? simpleBackward(ex, d, in(0), in(1), in(2), in(3), m, out(0), out(1), out(2))
                      : simpleForward(ex, d, in(0), in(1), in(2), m, out(0));
  }
}

}  // namespace rnn
}  // namespace tn
