// gpu:check step: float32 matmul and conv2d (forward, backward data, backward filter) on cuda:0 at large K against a
// float64 reference, with cuDNN benchmark mode off and on. With TF32 off the error must stay at float32 level; the
// same check with TF32 on must see the larger error, which proves the check can catch a TF32 leak.
// Usage: node tools/gpu-check/precision.js   (TENSORNODE_ADDON picks the build). Last line: RESULT {json}.
// GPU_CHECK_DEVICE=cpu self-checks the references on the CPU backend (the TF32 detector checks are then left out).
'use strict';
const path = require('path');

const tn = require(path.join(__dirname, '..', '..', 'dist', 'lib'));

const GPU = process.env.GPU_CHECK_DEVICE || 'cuda:0';
const selfCheck = GPU === 'cpu';
const info = tn.backendInfo().cuda;
if (!info.usable && !selfCheck) {
  console.log(`skipped: CUDA unusable: ${info.reason}`);
  console.log(`RESULT ${JSON.stringify({ skipped: true, reason: info.reason })}`);
  process.exit(0);
}
// Error relative to the root-sum-square of each output's products. float32 accumulation over K = 16384 terms stays
// near 1e-5 of it; TF32 rounds every operand to 10 mantissa bits, about 4e-4 of it whatever K is.
const LIMIT = 1e-4;

// Deterministic inputs in [-1, 1) (xorshift), so a failure reproduces.
function randoms(len, seed) {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(len);
  for (let i = 0; i < len; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

/** Largest |got - ref| / rss over all outputs, where ref and rss come from `terms(o, add)` summed in float64. */
function worstError(got, count, terms) {
  let worst = 0;
  for (let o = 0; o < count; o++) {
    let sum = 0, sq = 0;
    terms(o, (p) => { sum += p; sq += p * p; });
    const err = Math.abs(got[o] - sum) / Math.sqrt(sq || 1);
    if (!(err <= worst)) worst = err;
  }
  return worst;
}

async function matmulError() {
  const M = 128, K = 16384, N = 128;
  const a = randoms(M * K, 1), b = randoms(K * N, 2);
  const y = tn.matmul(tn.tensor(a, [M, K], { device: GPU }), tn.tensor(b, [K, N], { device: GPU }));
  const got = await y.data();
  return worstError(got, M * N, (o, add) => {
    const i = Math.floor(o / N), j = o % N;
    for (let k = 0; k < K; k++) add(a[i * K + k] * b[k * N + j]);
  });
}

// conv2d 'valid', stride 1, x [n,h,w,c], filter [kh,kw,c,o] (tfjs layout): y[n,oh,ow,o] = sum_{i,j,c} x[n,oh+i,ow+j,c] w[i,j,c,o].
async function convErrors(dims, seed, want) {
  const { n, h, w: wd, c, o, k } = dims;
  const oh = h - k + 1, ow = wd - k + 1;
  const xs = randoms(n * h * wd * c, seed), ws = randoms(k * k * c * o, seed + 1), dys = randoms(n * oh * ow * o, seed + 2);
  const x = tn.tensor(xs, [n, h, wd, c], { device: GPU, requiresGrad: true });
  const w = tn.tensor(ws, [k, k, c, o], { device: GPU, requiresGrad: true });
  const y = tn.conv2d(x, w);
  tn.sum(tn.mul(y, tn.tensor(dys, [n, oh, ow, o], { device: GPU }))).backward();
  const [gy, gdx, gdw] = await Promise.all([y.data(), x.grad.data(), w.grad.data()]);
  const X = (b, r, q, ch) => xs[((b * h + r) * wd + q) * c + ch];
  const W = (f, i, j, ch) => ws[((i * k + j) * c + ch) * o + f];
  const DY = (b, r, q, f) => dys[((b * oh + r) * ow + q) * o + f];
  const fwd = !want.includes('fwd') ? NaN : worstError(gy, n * oh * ow * o, (idx, add) => {
    const f = idx % o, q = Math.floor(idx / o) % ow, r = Math.floor(idx / (o * ow)) % oh, b = Math.floor(idx / (o * ow * oh));
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let ch = 0; ch < c; ch++) add(X(b, r + i, q + j, ch) * W(f, i, j, ch));
  });
  const bwdData = !want.includes('bwdData') ? NaN : worstError(gdx, n * h * wd * c, (idx, add) => {
    const ch = idx % c, q = Math.floor(idx / c) % wd, r = Math.floor(idx / (c * wd)) % h, b = Math.floor(idx / (c * wd * h));
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      const yr = r - i, yq = q - j;
      if (yr < 0 || yr >= oh || yq < 0 || yq >= ow) continue;
      for (let f = 0; f < o; f++) add(DY(b, yr, yq, f) * W(f, i, j, ch));
    }
  });
  const bwdFilter = !want.includes('bwdFilter') ? NaN : worstError(gdw, o * k * k * c, (idx, add) => {
    const f = idx % o, ch = Math.floor(idx / o) % c, j = Math.floor(idx / (o * c)) % k, i = Math.floor(idx / (o * c * k));
    for (let b = 0; b < n; b++) for (let r = 0; r < oh; r++) for (let q = 0; q < ow; q++) add(X(b, r + i, q + j, ch) * DY(b, r, q, f));
  });
  tn.dispose([x, w, y, x.grad, w.grad]);
  return { fwd, bwdData, bwdFilter };
}

async function main() {
  const checks = [];
  const record = (name, err, expectLeak = false) => {
    const ok = expectLeak ? err > LIMIT : err <= LIMIT;
    checks.push({ name, err: Number(err.toExponential(3)), limit: LIMIT, expect: expectLeak ? 'above (TF32 on)' : 'below', ok });
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: error ${err.toExponential(2)} (${expectLeak ? 'must exceed' : 'limit'} ${LIMIT})`);
  };
  // Large K through the channel sum (forward and backward data) and through the positions (backward filter).
  const wide = { n: 2, h: 8, w: 8, c: 2048, o: 16, k: 3 };
  const tall = { n: 64, h: 34, w: 34, c: 8, o: 8, k: 3 };
  for (const bench of [false, true]) {
    tn.setCudnnBenchmark(bench);
    const mode = `cudnn benchmark ${bench ? 'on' : 'off'}`;
    tn.setTF32(false);
    if (!bench) record('matmul [128,16384]x[16384,128] fp32', await matmulError());
    const a = await convErrors(wide, 10, ['fwd', 'bwdData']);
    record(`conv2d forward, K=${9 * wide.c}, fp32, ${mode}`, a.fwd);
    record(`conv2d backward data, K=${9 * wide.o}, fp32, ${mode}`, a.bwdData);
    const b = await convErrors(tall, 20, ['bwdFilter']);
    record(`conv2d backward filter, K=${tall.n * 32 * 32}, fp32, ${mode}`, b.bwdFilter);
    if (!bench && !selfCheck) {
      // The check must be able to fail: with TF32 on, the same products lose enough bits to exceed the limit.
      tn.setTF32(true);
      record('matmul with TF32 on (detector check)', await matmulError(), true);
      record(`conv2d forward with TF32 on (detector check), ${mode}`, (await convErrors(wide, 10, ['fwd'])).fwd, true);
      tn.setTF32(false);
    }
  }
  tn.setCudnnBenchmark(false);
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`RESULT ${JSON.stringify({ checks, failed })}`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.log(`ERROR ${e.stack || e}`);
  console.log(`RESULT ${JSON.stringify({ failed: 1, error: String(e.message || e) })}`);
  process.exitCode = 1;
});
