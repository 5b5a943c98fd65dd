// Dev harness: runs every kernel on the CPU and on a second device with the same random inputs and compares outputs,
// including NaN/±inf/±0/denormal inputs and empty tensors, then (on a GPU with room) ops on a tensor of more than
// 2^31 elements checked against closed-form values.
// Usage: node native/cuda/dev/compare_with_cpu.js [addon path] [device] [--no-big]   (defaults:
// build-cuda/Release/tensornode.node, cuda:0). Exits 0 after printing "skipped" when the device is unusable; `cpu` as
// the device self-checks the harness. The last line is `RESULT {json}` (cases, failed, uncovered kernels) for tools.
'use strict';
const path = require('path');

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const addonPath = path.resolve(args[0] || 'build-cuda/Release/tensornode.node');
const device = args[1] || 'cuda:0';
const withBig = !process.argv.includes('--no-big');
const n = require(addonPath);
const cudaInfo = JSON.parse(n.backendInfo().cudaJson || '{"usable":false,"reason":"CUDA backend not compiled"}');
if (device !== 'cpu' && !cudaInfo.usable) {
  console.log(`skipped: ${device} unusable: ${cudaInfo.reason}`);
  console.log(`RESULT ${JSON.stringify({ skipped: true, reason: cudaInfo.reason })}`);
  process.exit(0);
}

const F = 0, I = 1, B = 2;  // dtype codes (lib/dtype.ts); bool is stored as int32 0/1
// Comparison kernels write bool.
const isCompare = (op) => ['equal', 'greater', 'greater_equal', 'less', 'less_equal', 'not_equal'].includes(op);
// Deterministic xorshift so failures reproduce.
let state = 0x2545f491;
function rand() {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state / 4294967296;
}
const numel = (s) => s.reduce((a, b) => a * b, 1);

// IEEE edge values mixed into 'special' inputs: NaN, ±inf, ±0, a denormal, huge and beyond-int32 magnitudes.
const SPECIAL_F = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -3e38, 3e9, -3e9, 2147483520];
const SPECIAL_I = [-2147483648, 2147483647, 0, -1, 1];

// kind: 'any' in [-2,2), 'pos' in [0.1,2.1), 'prob' in (0.02,0.98), 'ties' small integers, 'label<k>' ints in [0,k),
// 'special' any with one element in four an edge value, 'probnan' prob with one in five NaN.
function makeData(dtype, shape, kind = 'any') {
  const len = numel(shape);
  const out = dtype === F ? new Float32Array(len) : new Int32Array(len);
  for (let i = 0; i < len; ++i) {
    if (kind === 'special' && rand() < 0.25) {
      const pool = dtype === F ? SPECIAL_F : SPECIAL_I;
      out[i] = pool[Math.floor(rand() * pool.length)];
      continue;
    }
    if (kind === 'probnan') out[i] = rand() < 0.2 ? NaN : 0.02 + 0.96 * rand();
    else if (kind.startsWith('label')) out[i] = Math.floor(rand() * Number(kind.slice(5)));
    else if (kind === 'pos') out[i] = 0.1 + 2 * rand();
    else if (kind === 'prob') out[i] = 0.02 + 0.96 * rand();
    else if (kind === 'ties') out[i] = Math.floor(rand() * 3) - 1;
    else out[i] = dtype === F ? 4 * rand() - 2 : Math.floor(rand() * 20) - 10;
  }
  return out;
}

// Input spec: [dtype, shape, kind] or ['derive', op, [input indices], [dtype, shape], attrs] (computed on the CPU).
function materialize(specs) {
  const arrays = [];
  for (const s of specs) {
    if (s[0] === 'derive') {
      const [, op, idx, [dt, shape], attrs] = s;
      const ins = idx.map((k) => [arrays[k], specs[k][0] === 'derive' ? specs[k][3][0] : specs[k][0],
        specs[k][0] === 'derive' ? specs[k][3][1] : specs[k][1]]);
      arrays.push(runOn('cpu', op, ins, [[dt, shape]], attrs)[0]);
    } else {
      arrays.push(makeData(s[0], s[1], s[2]));
    }
  }
  return arrays;
}

// ins: [typedArray, dtype, shape]; outs: [dtype, shape, initialTypedArray?]. Returns output typed arrays.
function runOn(dev, op, ins, outs, attrs) {
  const specs = [];
  for (const [arr, dt, shape] of ins) specs.push(n.fromHost(dev, arr), dt, shape);
  const given = [];
  for (const [dt, shape, init] of outs) {
    const st = init ? n.fromHost(dev, init) : null;
    given.push(st);
    specs.push(st, dt, shape);
  }
  const created = n.run(op, dev, specs, ins.length, attrs);
  let c = 0;
  const results = outs.map(([dt, shape], k) => {
    const st = given[k] || created[c++];
    const buf = n.readSync(st, 0, numel(shape) * 4);
    return dt === F ? new Float32Array(buf) : new Int32Array(buf);
  });
  // Storage handles are numbers with no GC backstop at this level: every one is disposed here.
  for (let i = 0; i < ins.length; i++) n.dispose(specs[i * 3]);
  for (const st of [...given, ...created]) if (st !== null) n.dispose(st);
  return results;
}

const img = [2, 7, 7, 3], filt = [4, 3, 3, 3];
const convAttrs = (pads, strides = [1, 1], dilations = [1, 1]) => ({ strides, pads, dilations });
const poolAttrs = (kernel, strides, pads) => ({ kernel, strides, pads });
const cases = [];
const add = (op, inputs, outputs, attrs = {}, tol = 1e-4) => cases.push({ op, inputs, outputs, attrs, tol });

add('copy', [[F, [3, 4]]], [[F, [3, 4]]]);
add('fill', [], [[F, [5]]], { value: 2.5 });
add('arange', [], [[I, [7]]], { start: 1, step: 3 });
add('cast', [[F, [10]]], [[I, [10]]]);
add('random_uniform', [], [[F, [1000]]], { seed: 7, low: -1, high: 2 });
add('random_normal', [], [[F, [1000]]], { seed: 7, mean: 0.5, std: 2 });
add('one_hot', [[I, [6], 'label5']], [[F, [6, 5]]]);
for (const op of ['add', 'sub', 'mul', 'maximum', 'minimum', 'equal', 'greater', 'greater_equal', 'less', 'less_equal']) {
  add(op, [[F, [2, 3, 4], 'ties'], [F, [3, 1], 'ties']], [[isCompare(op) ? B : F, [2, 3, 4]]]);
  add(op, [[I, [2, 3, 4]], [I, [4]]], [[isCompare(op) ? B : I, [2, 3, 4]]]);
}
add('div', [[F, [2, 3, 4]], [F, [3, 4], 'pos']], [[F, [2, 3, 4]]]);
add('pow', [[F, [2, 3, 4], 'pos'], [F, [1], 'any']], [[F, [2, 3, 4]]]);
add('maximum_backward', [[F, [2, 3, 4], 'ties'], [F, [3, 1], 'ties'], [F, [2, 3, 4]]], [[F, [2, 3, 4]], [F, [2, 3, 4]]]);
add('minimum_backward', [[F, [2, 3, 4], 'ties'], [F, [3, 1], 'ties'], [F, [2, 3, 4]]], [[F, [2, 3, 4]], [F, [2, 3, 4]]]);
for (const op of ['neg', 'exp', 'abs', 'sign', 'square', 'relu', 'sigmoid', 'tanh', 'gelu']) add(op, [[F, [5, 7]]], [[F, [5, 7]]]);
for (const op of ['log', 'sqrt']) add(op, [[F, [5, 7], 'pos']], [[F, [5, 7]]]);
add('leaky_relu', [[F, [5, 7]]], [[F, [5, 7]]], { alpha: 0.1 });
add('clip', [[F, [5, 7]]], [[F, [5, 7]]], { min: -0.5, max: 0.7 });
add('scale', [[F, [5, 7]]], [[F, [5, 7]]], { alpha: 2, beta: 1 });
for (const op of ['relu_backward', 'sigmoid_backward', 'tanh_backward', 'gelu_backward', 'abs_backward'])
  add(op, [[F, [5, 7]], [F, [5, 7]]], [[F, [5, 7]]]);
add('leaky_relu_backward', [[F, [5, 7]], [F, [5, 7]]], [[F, [5, 7]]], { alpha: 0.2 });
add('clip_backward', [[F, [5, 7]], [F, [5, 7]]], [[F, [5, 7]]], { min: -0.5, max: 0.7 });
for (const op of ['reduce_sum', 'reduce_mean', 'reduce_max', 'reduce_min']) {
  add(op, [[F, [3, 4, 5]]], [[F, [4]]], { axes: [0, 2] });
  add(op, [[F, [3, 4, 500]]], [[F, [3, 4]]], { axes: [2] });
  add(op, [[F, [300, 4, 5]]], [[F, [4, 5]]], { axes: [0] });
}
add('reduce_select_backward', [[F, [3, 4, 5], 'ties'], ['derive', 'reduce_max', [0], [F, [3, 5]], { axes: [1] }], [F, [3, 5]]],
  [[F, [3, 4, 5]]], { axes: [1] });
add('argmax', [[F, [3, 4, 5], 'ties']], [[I, [3, 5]]], { axis: 1 });
for (const axis of [1, -1]) {
  const mid = axis === 1 ? [3, 40, 5] : [3, 4, 300];
  add('softmax', [[F, mid]], [[F, mid]], { axis });
  add('log_softmax', [[F, mid]], [[F, mid]], { axis });
  add('softmax_backward', [[F, mid, 'prob'], [F, mid]], [[F, mid]], { axis });
  add('log_softmax_backward', [[F, mid], [F, mid]], [[F, mid]], { axis });
}
add('matmul', [[F, [2, 3, 4]], [F, [4, 5]]], [[F, [2, 3, 5]]], {}, 1e-3);
add('matmul', [[F, [2, 4, 3]], [F, [2, 5, 4]]], [[F, [2, 3, 5]]], { transposeA: 1, transposeB: 1 }, 1e-3);
add('matmul', [[F, [2, 1, 3, 4]], [F, [1, 3, 4, 5]]], [[F, [2, 3, 3, 5]]], {}, 1e-3);
add('matmul', [[F, [3, 4]], [F, [2, 4, 5]]], [[F, [2, 3, 5]]], {}, 1e-3);
add('transpose', [[F, [2, 3, 4]]], [[F, [4, 2, 3]]], { perm: [2, 0, 1] });
add('concat', [[F, [2, 3]], [F, [2, 2]]], [[F, [2, 5]]], { axis: 1 });
add('slice', [[I, [4, 5]]], [[I, [2, 3]]], { begin: [1, 2] });
add('pad', [[F, [2, 3]]], [[F, [4, 5]]], { before: [1, 0], value: 9 });
for (const [pads, strides, k] of [[[1, 1, 1, 1], [1, 1], 3], [[0, 1, 0, 1], [1, 1], 2], [[1, 1, 1, 1], [2, 2], 3]]) {
  const kf = [4, k, k, 3];
  const oh = Math.floor((7 + pads[0] + pads[1] - k) / strides[0]) + 1;
  const out = [2, oh, oh, 4];
  const attrs = convAttrs(pads, strides);
  add('conv2d', [[F, img], [F, kf]], [[F, out]], attrs, 1e-3);
  add('conv2d_backward_input', [[F, out], [F, kf]], [[F, img]], attrs, 1e-3);
  add('conv2d_backward_filter', [[F, img], [F, out]], [[F, kf]], attrs, 1e-3);
}
add('conv2d', [[F, img], [F, filt]], [[F, [2, 3, 3, 4]]], convAttrs([0, 0, 0, 0], [1, 1], [2, 2]), 1e-3);
for (const [kernel, strides, pads] of [[[2, 2], [2, 2], [0, 0, 0, 0]], [[3, 3], [2, 2], [1, 1, 1, 1]], [[2, 2], [2, 2], [0, 1, 0, 1]]]) {
  const oh = Math.floor((6 + pads[0] + pads[1] - kernel[0]) / strides[0]) + 1;
  const x = [2, 6, 6, 3], y = [2, oh, oh, 3], attrs = poolAttrs(kernel, strides, pads);
  add('max_pool2d', [[F, x]], [[F, y]], attrs);
  add('avg_pool2d', [[F, x]], [[F, y]], attrs);
  add('max_pool2d_backward', [[F, x, 'ties'], ['derive', 'max_pool2d', [0], [F, y], attrs], [F, y]], [[F, x]], attrs);
  add('avg_pool2d_backward', [[F, y]], [[F, x]], attrs);
}
add('dropout', [[F, [1000]]], [[F, [1000]], [F, [1000]]], { rate: 0.3, seed: 5 }, 0);
add('softmax_cross_entropy', [[F, [4, 6]], [I, [4], 'label6']], [[F, [4]], [F, [4, 6]]]);
add('softmax_cross_entropy', [[F, [4, 6]], [F, [4, 6], 'prob']], [[F, [4]], [F, [4, 6]]]);
add('softmax_cross_entropy_backward', [[F, [4, 6], 'prob'], [I, [4], 'label6'], [F, [4]]], [[F, [4, 6]]]);
add('softmax_cross_entropy_backward', [[F, [4, 6], 'prob'], [F, [4, 6], 'prob'], [F, [4]]], [[F, [4, 6]]]);
add('binary_cross_entropy', [[F, [20], 'prob'], [F, [20], 'prob']], [[F, [20]]]);
add('binary_cross_entropy', [[F, [20]], [F, [20], 'prob']], [[F, [20]]], { fromLogits: 1 });
add('binary_cross_entropy_backward', [[F, [20], 'prob'], [F, [20], 'prob'], [F, [20]]], [[F, [20]]]);
add('binary_cross_entropy_backward', [[F, [20]], [F, [20], 'prob'], [F, [20]]], [[F, [20]]], { fromLogits: 1 });
add('squared_error', [[F, [20]], [F, [20]]], [[F, [20]]]);
add('squared_error_backward', [[F, [20]], [F, [20]], [F, [20]]], [[F, [20]]]);
// Optimizer outputs are updated in place: 'init' gives them starting values.
add('sgd_update', [[F, [50]]], [[F, [50], 'init'], [F, [50], 'init']], { lr: 0.1, momentum: 0.9, nesterov: 1, weightDecay: 0.01, step: 3 });
add('adam_update', [[F, [50]]], [[F, [50], 'init'], [F, [50], 'init'], [F, [50], 'initpos']], { lr: 0.01, step: 4, weightDecay: 0.1, decoupled: 1 });
add('adagrad_update', [[F, [50]]], [[F, [50], 'init'], [F, [50], 'initpos']], { lr: 0.1, step: 2, lrDecay: 0.01 });
add('rmsprop_update', [[F, [50]]], [[F, [50], 'init'], [F, [50], 'initpos'], [F, [50], 'init'], [F, [50], 'init']],
  { lr: 0.01, momentum: 0.5, centered: 0 });
add('adamax_update', [[F, [50]]], [[F, [50], 'init'], [F, [50], 'init'], [F, [50], 'initpos']],
  { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-7, decay: 0.01, step: 3 });
add('adadelta_update', [[F, [50]]], [[F, [50], 'init'], [F, [50], 'initpos'], [F, [50], 'initpos']], { lr: 1, rho: 0.95, eps: 1e-7 });

// ---- IEEE edge values (NaN must propagate the same way, infinities must match exactly) ----
const S = 'special';
for (const op of ['neg', 'exp', 'abs', 'sign', 'square', 'relu', 'sigmoid', 'tanh', 'gelu', 'log', 'sqrt'])
  add(op, [[F, [6, 50], S]], [[F, [6, 50]]]);
add('leaky_relu', [[F, [6, 50], S]], [[F, [6, 50]]], { alpha: 0.1 });
add('clip', [[F, [6, 50], S]], [[F, [6, 50]]], { min: -0.5, max: 0.7 });
add('cast', [[F, [400], S]], [[I, [400]]]);
add('cast', [[I, [100], S]], [[F, [100]]]);
for (const op of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'equal', 'greater', 'less_equal'])
  add(op, [[F, [4, 30], S], [F, [4, 30], S]], [[isCompare(op) ? B : F, [4, 30]]]);
add('maximum_backward', [[F, [4, 30], S], [F, [4, 30], S], [F, [4, 30]]], [[F, [4, 30]], [F, [4, 30]]]);
for (const op of ['reduce_sum', 'reduce_mean', 'reduce_max', 'reduce_min']) {
  add(op, [[F, [8, 64], S]], [[F, [8]]], { axes: [1] });
  add(op, [[F, [64, 8], S]], [[F, [8]]], { axes: [0] });
}
add('argmax', [[F, [8, 64], S]], [[I, [8]]], { axis: 1 });
add('softmax', [[F, [8, 16], S]], [[F, [8, 16]]], { axis: 1 });
// conv2d's fused epilogue: a bias input and an activation (relu, tanh).
for (const activation of [4, 1]) add('conv2d', [[F, img], [F, filt], [F, [4]]], [[F, [2, 7, 7, 4]]], { ...convAttrs([1, 1, 1, 1]), activation });
// Fused bias + activation (0 linear, 1 tanh, 2 sigmoid, 4 relu); the backward's bias gradient sums 1,000+ rows.
for (const activation of [0, 1, 2, 4]) {
  add('bias_act', [[F, [6, 5, 5, 8]], [F, [8]]], [[F, [6, 5, 5, 8]]], { activation });
  add('bias_act_backward', [[F, [40, 33, 7]], [F, [40, 33, 7]]], [[F, [40, 33, 7]], [F, [7]]], { activation }, 1e-3);
}
add('log_softmax', [[F, [8, 16], S]], [[F, [8, 16]]], { axis: 1 });
add('max_pool2d', [[F, [2, 6, 6, 3], S]], [[F, [2, 3, 3, 3]]], poolAttrs([2, 2], [2, 2], [0, 0, 0, 0]));
add('avg_pool2d', [[F, [2, 6, 6, 3], S]], [[F, [2, 3, 3, 3]]], poolAttrs([2, 2], [2, 2], [0, 0, 0, 0]));
add('binary_cross_entropy', [[F, [40], 'probnan'], [F, [40], 'prob']], [[F, [40]]]);
add('binary_cross_entropy', [[F, [40], S], [F, [40], 'prob']], [[F, [40]]], { fromLogits: 1 });
add('binary_cross_entropy_backward', [[F, [40], 'probnan'], [F, [40], 'prob'], [F, [40]]], [[F, [40]]]);
add('softmax_cross_entropy', [[F, [4, 6], S], [I, [4], 'label6']], [[F, [4]], [F, [4, 6]]]);
add('squared_error', [[F, [40], S], [F, [40], S]], [[F, [40]]]);
add('dropout', [[F, [200], S]], [[F, [200]], [F, [200]]], { rate: 0.5, seed: 9 }, 0);

// ---- empty tensors (every family must accept them and write nothing, or zeros where the op defines them) ----
const E = [0, 5];
add('copy', [[F, E]], [[F, E]]);
add('fill', [], [[I, E]], { value: 3 });
add('cast', [[F, E]], [[I, E]]);
add('random_uniform', [], [[F, E]], { seed: 1, low: 0, high: 1 });
add('add', [[F, E], [F, [5]]], [[F, E]]);
add('exp', [[F, E]], [[F, E]]);
add('relu_backward', [[F, E], [F, E]], [[F, E]]);
add('reduce_sum', [[F, [3, 0]]], [[F, [3]]], { axes: [1] });
add('reduce_sum', [[F, [0, 3]]], [[F, [0]]], { axes: [1] });
add('reduce_mean', [[F, [0, 3]]], [[F, [3]]], { axes: [0] });
add('softmax', [[F, E]], [[F, E]], { axis: 1 });
add('matmul', [[F, [0, 3]], [F, [3, 4]]], [[F, [0, 4]]]);
add('matmul', [[F, [2, 0]], [F, [0, 3]]], [[F, [2, 3]]]);
add('transpose', [[F, E]], [[F, [5, 0]]], { perm: [1, 0] });
add('concat', [[F, [2, 0]], [F, [2, 3]]], [[F, [2, 3]]], { axis: 1 });
add('slice', [[F, [4, 5]]], [[F, [0, 5]]], { begin: [2, 0] });
add('pad', [[F, E]], [[F, [2, 5]]], { before: [1, 0], value: 4 });
add('conv2d', [[F, [0, 7, 7, 3]], [F, filt]], [[F, [0, 5, 5, 4]]], convAttrs([0, 0, 0, 0]));
add('conv2d_backward_filter', [[F, [0, 7, 7, 3]], [F, [0, 5, 5, 4]]], [[F, filt]], convAttrs([0, 0, 0, 0]));
add('max_pool2d', [[F, [0, 6, 6, 3]]], [[F, [0, 3, 3, 3]]], poolAttrs([2, 2], [2, 2], [0, 0, 0, 0]));
add('avg_pool2d_backward', [[F, [0, 3, 3, 3]]], [[F, [0, 6, 6, 3]]], poolAttrs([2, 2], [2, 2], [0, 0, 0, 0]));
add('one_hot', [[I, [0]]], [[F, [0, 4]]]);
add('argmax', [[F, [0, 4]]], [[I, [0]]], { axis: 1 });
add('sgd_update', [[F, [0]]], [[F, [0], 'init'], [F, [0], 'init']], { lr: 0.1, momentum: 0.9, step: 2 });

function compare(a, b, tol) {
  let worst = 0, at = -1;
  for (let i = 0; i < a.length; ++i) {
    if (Object.is(a[i], b[i]) || a[i] === b[i]) continue;  // identical, equal infinities, or NaN on both sides
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    const err = Math.abs(a[i] - b[i]) / (1 + Math.abs(a[i]));
    if (!(err <= worst)) { worst = err; at = i; }
  }
  return { ok: worst <= tol, worst, at };
}

let failed = 0;
const covered = new Set();
for (const c of cases) {
  covered.add(c.op);
  const arrays = materialize(c.inputs);
  const ins = arrays.map((arr, k) => {
    const s = c.inputs[k];
    return s[0] === 'derive' ? [arr, s[3][0], s[3][1]] : [arr, s[0], s[1]];
  });
  const outs = c.outputs.map(([dt, shape, init]) => [dt, shape, init ? makeData(dt, shape, init === 'initpos' ? 'pos' : 'any') : undefined]);
  const label = `${c.op} ${JSON.stringify(c.attrs)} ${c.inputs.map((s) => JSON.stringify(s[0] === 'derive' ? s[3][1] : s[1])).join(' ')}`;
  try {
    const want = runOn('cpu', c.op, ins, outs, c.attrs);
    const got = runOn(device, c.op, ins, outs, c.attrs);
    want.forEach((w, k) => {
      const r = compare(w, got[k], c.tol);
      if (!r.ok) {
        ++failed;
        console.log(`FAIL ${label} output ${k}: max rel err ${r.worst.toExponential(2)} at ${r.at} (cpu ${w[r.at]}, ${device} ${got[k][r.at]})`);
      }
    });
  } catch (e) {
    ++failed;
    console.log(`ERROR ${label}: ${e.message}`);
  }
}
const missing = n.kernels('cpu').filter((k) => !covered.has(k));
if (missing.length) console.log(`not covered by this harness: ${missing.join(' ')}`);
console.log(`${cases.length - failed}/${cases.length} cases match the CPU on ${device}`);
const big = withBig && device !== 'cpu' ? bigTensorChecks() : { skipped: 'not requested' };
if (big.failed) failed += big.failed;
console.log(`RESULT ${JSON.stringify({ cases: cases.length, failed, uncovered: missing, big })}`);
process.exit(failed ? 1 : 0);

// Elementwise, reduction and layout kernels on 2^31 + 5 floats (8 GiB), where 32-bit indexing would wrap: checked
// against closed-form values, since the CPU would take long. Skipped on GPUs with less than 24 GB.
function bigTensorChecks() {
  const total = (cudaInfo.devices || [])[0] ? cudaInfo.devices[0].totalMemory : 0;
  if (total < 24e9) return { skipped: `device has ${total} bytes; needs 24 GB` };
  const len = 2 ** 31 + 5;
  const t0 = Date.now();
  let bad = 0;
  const check = (what, got, want, tol = 0) => {
    const ok = Math.abs(got - want) <= tol * Math.abs(want);
    if (!ok) { ++bad; console.log(`FAIL big tensor ${what}: got ${got}, want ${want}`); }
  };
  try {
    const [x] = n.run('random_uniform', device, [null, F, [len]], 0, { seed: 3, low: 1, high: 2 });
    const [y] = n.run('scale', device, [x, F, [len], null, F, [len]], 1, { alpha: 2, beta: -3 });  // y = 2x - 3 in [-1, 1)
    const tail = new Float32Array(n.readSync(y, (len - 3) * 4, 12));
    const xt = new Float32Array(n.readSync(x, (len - 3) * 4, 12));
    for (let k = 0; k < 3; ++k) check(`scale at ${len - 3 + k}`, tail[k], Math.fround(2 * xt[k] - 3), 1e-6);
    const [mx] = n.run('reduce_max', device, [x, F, [len], null, F, []], 1, { axes: [0] });
    const [mn] = n.run('reduce_min', device, [x, F, [len], null, F, []], 1, { axes: [0] });
    const [mean] = n.run('reduce_mean', device, [x, F, [len], null, F, []], 1, { axes: [0] });
    const vmax = new Float32Array(n.readSync(mx, 0, 4))[0], vmin = new Float32Array(n.readSync(mn, 0, 4))[0];
    check('reduce_max', vmax, 2, 1e-6);
    check('reduce_min', vmin, 1, 1e-6);
    check('reduce_mean of U[1,2)', new Float32Array(n.readSync(mean, 0, 4))[0], 1.5, 1e-3);
    // The last element, written where index 2^31+4 lives: fill then slice it back.
    const [last] = n.run('slice', device, [y, F, [len], null, F, [5]], 1, { begin: [len - 5] });
    const sl = new Float32Array(n.readSync(last, 0, 20));
    const direct = new Float32Array(n.readSync(y, (len - 5) * 4, 20));
    for (let k = 0; k < 5; ++k) check(`slice at ${len - 5 + k}`, sl[k], direct[k]);
    for (const s of [x, y, mx, mn, mean, last]) n.dispose(s);
    n.sync(device);
  } catch (e) {
    ++bad;
    console.log(`ERROR big tensor: ${e.message}`);
  }
  console.log(`big tensor (${len} elements): ${bad ? 'FAILED' : 'ok'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { elements: len, failed: bad, seconds: (Date.now() - t0) / 1000 };
}
