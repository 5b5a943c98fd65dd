// The per-step element functors of the fused recurrent kernels (row copies, cell updates, gradient steps). Each is
// called as f(i) for i in [0, n): a CPU parallel loop runs them on the host, a CUDA grid-stride kernel on the device.
#pragma once
#include <cstdint>

#include "cells.h"

namespace tn {
namespace rnn {

// dst row r (stride dstLd) = src row r (stride srcLd), `cols` floats per row; i over rows*cols.
struct CopyRows {
  float* dst;
  const float* src;
  int64_t dstLd, srcLd, cols;
  TN_HD void operator()(int64_t i) const { dst[(i / cols) * dstLd + i % cols] = src[(i / cols) * srcLd + i % cols]; }
};

struct Fill {
  float* p;
  float v;
  TN_HD void operator()(int64_t i) const { p[i] = v; }
};

// The recurrent-dropout mask [B,U] (one per sequence, as tfjs) at element i of a [B,U] state; 1 without a mask.
TN_HD float maskAt(const float* m, int64_t i) { return m ? m[i] : 1.f; }

// The state before each step as the GEMM saw it (times the mask), laid out like dxw's rows:
// hp[b, tIn(s)] = (s == 0 ? h0[b] : h[b, s-1]) * m[b]; i over B*T*U.
struct BuildPrev {
  float* hp;
  const float* h0;
  const float* h;
  const float* m;
  int64_t T, U;
  bool reverse;
  TN_HD void operator()(int64_t i) const {
    const int64_t u = i % U, s = (i / U) % T, b = i / (U * T);
    const int64_t t = reverse ? T - 1 - s : s;
    hp[(b * T + t) * U + u] = (s == 0 ? h0[b * U + u] : h[(b * T + s - 1) * U + u]) * maskAt(m, b * U + u);
  }
};

// dst[b,u] = src[b*ld + u] * m[b,u]: the masked previous state as a GEMM operand; i over B*U.
struct MaskRows {
  float* dst;
  const float* src;
  const float* m;
  int64_t ld, U;
  TN_HD void operator()(int64_t i) const { dst[i] = src[(i / U) * ld + i % U] * m[i]; }
};

// acc[i] += g[i] * m[i] (m may be null: plain add); i over B*U.
struct AddMasked {
  float* acc;
  const float* g;
  const float* m;
  TN_HD void operator()(int64_t i) const { acc[i] += g[i] * maskAt(m, i); }
};

// v[i] *= m[i]; i over B*U.
struct MulBy {
  float* v;
  const float* m;
  TN_HD void operator()(int64_t i) const { v[i] *= m[i]; }
};

// Column sums of a [rows, cols] matrix into out[cols]; i over cols.
struct ColumnSum {
  float* out;
  const float* m;
  int64_t rows, cols;
  TN_HD void operator()(int64_t j) const {
    float s = 0.f;
    for (int64_t r = 0; r < rows; ++r) s += m[r * cols + j];
    out[j] = s;
  }
};

// The previous state of row b at step s: h0 at the first step, else the sequence at s-1.
TN_HD float prevAt(const float* first, const float* seq, int64_t b, int64_t s, int64_t T, int64_t U, int64_t u) {
  return s == 0 ? first[b * U + u] : seq[(b * T + s - 1) * U + u];
}

// ---- LSTM ----
struct LstmForwardStep {
  float* gates;      // [B,T,4U], row s holds h R on entry (the GEMM's output)
  float* h;          // [B,T,U]
  float* c;          // [B,T,U]
  const float* xw;   // [B,T,4U], added from row tIn
  const float *h0, *c0;
  int64_t T, U, s, tIn;
  int a, ra;
  TN_HD void operator()(int64_t i) const {
    const int64_t b = i / U, u = i % U, row = b * T + s;
    float* g = gates + row * 4 * U;
    const float* x = xw + (b * T + tIn) * 4 * U;
    for (int k = 0; k < 4; ++k) g[k * U + u] += x[k * U + u];
    lstmForward(g, u, U, prevAt(c0, c, b, s, T, U, u), a, ra, c[row * U + u], h[row * U + u]);
  }
};

struct LstmBackwardStep {
  const float *gates, *c, *c0, *dh, *dc;  // dh, dc: output gradients [B,T,U]
  float* dxw;                             // [B,T,4U], written at row tIn
  float *dhn, *dcn;                       // [B,U]: gradients from step s+1 in, to step s-1 out (dhn: the direct part is added by the GEMM)
  int64_t T, U, s, tIn;
  int a, ra;
  TN_HD void operator()(int64_t i) const {
    const int64_t b = i / U, u = i % U, row = b * T + s;
    const float gh = dh[row * U + u] + dhn[i], gc = dc[row * U + u] + dcn[i];
    dcn[i] = lstmBackward(gates + row * 4 * U, dxw + (b * T + tIn) * 4 * U, u, U, c[row * U + u],
                          prevAt(c0, c, b, s, T, U, u), gh, gc, a, ra);
  }
};

// ---- GRU (gate order z, r, h as Keras/tfjs; h = z*hp + (1-z)*hh) ----
// resetAfter: p = hp R + rb [B,3U]; hh = act(xh + r*(p_h)).
struct GruForwardAfter {
  float* gates;     // [B,T,3U] row s: z, r, hh out
  float* rh;        // [B,T,U]: p_h (needed for dr)
  float* h;         // [B,T,U]
  const float* xw;  // [B,T,3U] row tIn: x W + b
  const float *p, *h0;
  int64_t T, U, s, tIn;
  int a, ra;
  TN_HD void operator()(int64_t i) const {
    const int64_t b = i / U, u = i % U, row = b * T + s;
    float* g = gates + row * 3 * U;
    const float* x = xw + (b * T + tIn) * 3 * U;
    const float* pr = p + b * 3 * U;
    const float z = act(ra, x[u] + pr[u]), r = act(ra, x[U + u] + pr[U + u]), ph = pr[2 * U + u];
    const float hh = act(a, x[2 * U + u] + r * ph);
    const float hp = prevAt(h0, h, b, s, T, U, u);
    g[u] = z;
    g[U + u] = r;
    g[2 * U + u] = hh;
    rh[row * U + u] = ph;
    h[row * U + u] = z * hp + (1.f - z) * hh;
  }
};

// resetBefore, part 1: z, r from p = (hp*m) R[:, :2U]; rh = r*hp*m (the input of the candidate's GEMM).
struct GruForwardGates {
  float* gates;
  float* rh;
  const float *xw, *p, *h0, *h, *m;
  int64_t T, U, s, tIn;
  int ra;
  TN_HD void operator()(int64_t i) const {
    const int64_t b = i / U, u = i % U, row = b * T + s;
    float* g = gates + row * 3 * U;
    const float* x = xw + (b * T + tIn) * 3 * U;
    const float* pr = p + b * 3 * U;
    const float z = act(ra, x[u] + pr[u]), r = act(ra, x[U + u] + pr[U + u]);
    g[u] = z;
    g[U + u] = r;
    rh[row * U + u] = r * prevAt(h0, h, b, s, T, U, u) * maskAt(m, i);
  }
};

// resetBefore, part 2: hh = act(xh + (r*hp) R_h) with p[:, 2U:] = (r*hp) R_h.
struct GruForwardCandidate {
  float* gates;
  float* h;
  const float *xw, *p, *h0;
  int64_t T, U, s, tIn;
  int a;
  TN_HD void operator()(int64_t i) const {
    const int64_t b = i / U, u = i % U, row = b * T + s;
    float* g = gates + row * 3 * U;
    const float hh = act(a, xw[(b * T + tIn) * 3 * U + 2 * U + u] + p[b * 3 * U + 2 * U + u]);
    const float z = g[u];
    g[2 * U + u] = hh;
    h[row * U + u] = z * prevAt(h0, h, b, s, T, U, u) + (1.f - z) * hh;
  }
};

// Backward, both variants: dz and dh-candidate pre-activation grads; the direct part of dhp (dh*z) into dhn.
// resetAfter also finishes dr and writes dp = [dz, dr, dah*r] (the gradient of p = hp R + rb).
struct GruBackwardStep {
  const float *gates, *rh, *h, *h0, *dy;
  float* dxw;  // [B,T,3U] row tIn
  float* dp;   // resetAfter: [B,T,3U] row tIn; else unused
  float* dhn;
  int64_t T, U, s, tIn;
  int a, ra;
  bool after;
  TN_HD void operator()(int64_t i) const {
    const int64_t b = i / U, u = i % U, row = b * T + s, out = (b * T + tIn) * 3 * U;
    const float* g = gates + row * 3 * U;
    const float z = g[u], r = g[U + u], hh = g[2 * U + u];
    const float hp = prevAt(h0, h, b, s, T, U, u);
    const float dh = dy[row * U + u] + dhn[i];
    const float dz = dh * (hp - hh) * actGrad(ra, z);
    const float dah = dh * (1.f - z) * actGrad(a, hh);
    dxw[out + u] = dz;
    dxw[out + 2 * U + u] = dah;
    dhn[i] = dh * z;
    if (after) {
      const float ph = rh[row * U + u];
      const float dr = dah * ph * actGrad(ra, r);
      dxw[out + U + u] = dr;
      dp[out + u] = dz;
      dp[out + U + u] = dr;
      dp[out + 2 * U + u] = dah * r;
    }
  }
};

// resetBefore: with q = dah R_h^T (the gradient of r*hm, hm = hp*m), dr = q*hm*ra'(r) and d(hm) = q*r (into dhm).
struct GruBackwardReset {
  const float *gates, *h, *h0, *q, *m;
  float* dxw;
  float* dhm;
  int64_t T, U, s, tIn;
  int ra;
  TN_HD void operator()(int64_t i) const {
    const int64_t b = i / U, u = i % U, row = b * T + s;
    const float r = gates[row * 3 * U + U + u];
    const float hm = prevAt(h0, h, b, s, T, U, u) * maskAt(m, i);
    dxw[(b * T + tIn) * 3 * U + U + u] = q[i] * hm * actGrad(ra, r);
    dhm[i] = q[i] * r;
  }
};

// ---- simple RNN: h = act(x W + b + hp R) ----
struct SimpleForwardStep {
  float* h;          // row s holds h_{t-1} R on entry
  const float* xw;   // row tIn: x W + b
  int64_t T, U, s, tIn;
  int a;
  TN_HD void operator()(int64_t i) const {
    const int64_t b = i / U, u = i % U;
    float& v = h[(b * T + s) * U + u];
    v = act(a, v + xw[(b * T + tIn) * U + u]);
  }
};

struct SimpleBackwardStep {
  const float *h, *dy, *dhn;
  float* dxw;
  int64_t T, U, s, tIn;
  int a;
  TN_HD void operator()(int64_t i) const {
    const int64_t b = i / U, u = i % U, row = b * T + s;
    dxw[(b * T + tIn) * U + u] = (dy[row * U + u] + dhn[i]) * actGrad(a, h[row * U + u]);
  }
};

}  // namespace rnn
}  // namespace tn
