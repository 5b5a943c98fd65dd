// Dev harness: runs every kernel on the CPU and on a second device with the same random inputs and compares outputs.
// Usage: node native/cuda/dev/compare_with_cpu.js [addon path] [device]   (defaults: build-cuda/Release/tensornode.node,
// cuda:0). Exits 0 after printing "skipped" when the device is unusable; `cpu` as the device self-checks the harness.
'use strict';
const path = require('path');

const addonPath = path.resolve(process.argv[2] || 'build-cuda/Release/tensornode.node');
const device = process.argv[3] || 'cuda:0';
const n = require(addonPath);
if (device !== 'cpu') {
  const info = JSON.parse(n.backendInfo().cudaJson || '{"usable":false,"reason":"CUDA backend not compiled"}');
  if (!info.usable) {
    console.log(`skipped: ${device} unusable: ${info.reason}`);
    process.exit(0);
  }
}

const F = 0, I = 1;
// Deterministic xorshift so failures reproduce.
let state = 0x2545f491;
function rand() {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state / 4294967296;
}
const numel = (s) => s.reduce((a, b) => a * b, 1);

// kind: 'any' in [-2,2), 'pos' in [0.1,2.1), 'prob' in (0.02,0.98), 'ties' small integers, 'label<k>' ints in [0,k).
function makeData(dtype, shape, kind = 'any') {
  const len = numel(shape);
  const out = dtype === F ? new Float32Array(len) : new Int32Array(len);
  for (let i = 0; i < len; ++i) {
    if (kind.startsWith('label')) out[i] = Math.floor(rand() * Number(kind.slice(5)));
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
  return outs.map(([dt, shape], k) => {
    const st = given[k] || created[c++];
    const buf = n.readSync(st, 0, numel(shape) * 4);
    return dt === F ? new Float32Array(buf) : new Int32Array(buf);
  });
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
  add(op, [[F, [2, 3, 4], 'ties'], [F, [3, 1], 'ties']], [[F, [2, 3, 4]]]);
  add(op, [[I, [2, 3, 4]], [I, [4]]], [[op.includes('equal') || op.includes('less') || op.includes('greater') ? F : I, [2, 3, 4]]]);
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

function compare(a, b, tol) {
  let worst = 0, at = -1;
  for (let i = 0; i < a.length; ++i) {
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
process.exit(failed ? 1 : 0);
