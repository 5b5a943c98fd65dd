// Every public op on cuda:0 against the CPU backend: same seeded inputs, forward and backward, fp32 and TF32 bounds.
import * as tn from '../../lib';
import { randomArray } from '../helpers/gradcheck';
import { checkParity, expectExact, expectNear, FP32, fp32Sum, makeInputs, tf32Sum, toGpu, type InputSpec, type ParityCase } from './compare';
import { CPU, describeGpu, GPU, pinDefaultDeviceToCpu, reportGpuGate, selfTest } from './gpu_env';

reportGpuGate('parity.test.ts');
pinDefaultDeviceToCpu();

type Case = [string, ParityCase];
const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const pos = (shape: number[]): InputSpec => ({ shape, range: [0.1, 2.1] });
const ties = (shape: number[]): InputSpec => ({ shape, kind: 'ties' });
const run = (cases: Case[]): void => {
  test.each(cases)('%s', async (_name, c) => checkParity(c));
};

describeGpu('creation', () => {
  test('full / zeros / ones / arange / zerosLike / onesLike on the device', async () => {
    const pairs: [tn.Tensor, tn.Tensor][] = [
      [tn.full([3, 5], -2.75, { device: GPU }), tn.full([3, 5], -2.75, { device: CPU })],
      [tn.zeros([7], { device: GPU, dtype: 'int32' }), tn.zeros([7], { device: CPU, dtype: 'int32' })],
      [tn.ones([2, 2, 2], { device: GPU }), tn.ones([2, 2, 2], { device: CPU })],
      [tn.arange(3, 40, 3, { device: GPU }), tn.arange(3, 40, 3, { device: CPU })],
      [tn.arange(-5, 5, 1, { device: GPU, dtype: 'int32' }), tn.arange(-5, 5, 1, { device: CPU, dtype: 'int32' })],
      [tn.arange(0, 1, 0.1, { device: GPU }), tn.arange(0, 1, 0.1, { device: CPU })],
    ];
    const x = tn.rand([4, 3], { device: GPU, seed: 1 });
    pairs.push([tn.zerosLike(x), tn.zeros([4, 3], { device: CPU })], [tn.onesLike(x), tn.ones([4, 3], { device: CPU })]);
    for (const [g, c] of pairs) {
      expect(g.device).toBe(GPU);
      expect(g.dtype).toBe(c.dtype);
      expectNear(`${g}`, await g.data(), await c.data(), { rtol: 1e-6, atol: 1e-7 });
    }
    tn.dispose([pairs, x]);
  });

  test('rand with a seed gives the CPU numbers (same counter RNG)', async () => {
    const g = tn.rand([4099], { device: GPU, seed: 7, low: -1, high: 2 });
    const c = tn.rand([4099], { device: CPU, seed: 7, low: -1, high: 2 });
    const gv = await g.data();
    expectNear('rand', gv, await c.data(), { rtol: 1e-6, atol: 1e-6 });
    expect(Math.min(...gv)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...gv)).toBeLessThan(2);
    tn.dispose([g, c]);
  });

  test('randn with a seed gives the CPU numbers up to libm-vs-CUDA ulps', async () => {
    const g = tn.randn([4099], { device: GPU, seed: 11, mean: 0.5, std: 2 });
    const c = tn.randn([4099], { device: CPU, seed: 11, mean: 0.5, std: 2 });
    expectNear('randn', await g.data(), await c.data(), { rtol: 1e-5, atol: 1e-5 });
    tn.dispose([g, c]);
  });

  test('unseeded rand after setSeed draws the same numbers on both devices', async () => {
    tn.setSeed(99);
    const g = tn.rand([257], { device: GPU });
    tn.setSeed(99);
    const c = tn.rand([257], { device: CPU });
    expectNear('rand (global seed)', await g.data(), await c.data(), { rtol: 1e-6, atol: 1e-6 });
    tn.dispose([g, c]);
  });

  run([
    ['oneHot', { inputs: [f([9], { kind: 'labels', classes: 6 })], fn: ([i]) => tn.oneHot(i, 6), tol: 'exact' }],
    ['cast float32 -> int32 truncates toward zero', { inputs: [f([50], { range: [-9, 9] })], fn: ([x]) => tn.cast(x, 'int32'), forwardOnly: true }],
    ['cast int32 -> float32', { inputs: [f([50], { kind: 'int' })], fn: ([x]) => tn.cast(x, 'float32'), tol: 'exact' }],
    ['clone', { inputs: [f([3, 4])], fn: ([x]) => tn.clone(x), tol: 'exact' }],
    ['reshape', { inputs: [f([3, 4, 2])], fn: ([x]) => tn.mul(tn.reshape(x, [4, -1]), 2), tol: 'exact' }],
    ['flatten', { inputs: [f([2, 3, 4, 5])], fn: ([x]) => tn.square(tn.flatten(x)) }],
  ]);
});

describeGpu('elementwise binaries with broadcasting', () => {
  const shapes: [string, number[], number[]][] = [
    ['same shape', [4, 5], [4, 5]],
    ['row vector', [3, 4, 5], [5]],
    ['column', [3, 4, 5], [4, 1]],
    ['both broadcast', [3, 1, 5], [1, 4, 1]],
    ['scalar tensor', [6, 7], []],
    ['large', [64, 257], [257]],
  ];
  const cases: Case[] = [];
  for (const [label, sa, sb] of shapes) {
    cases.push([`add ${label}`, { inputs: [f(sa), f(sb)], fn: ([a, b]) => tn.add(a, b), gradTol: fp32Sum(64) }]);
    cases.push([`sub ${label}`, { inputs: [f(sa), f(sb)], fn: ([a, b]) => tn.sub(a, b), gradTol: fp32Sum(64) }]);
    cases.push([`mul ${label}`, { inputs: [f(sa), f(sb)], fn: ([a, b]) => tn.mul(a, b), gradTol: fp32Sum(64) }]);
    cases.push([`div ${label}`, { inputs: [f(sa), pos(sb)], fn: ([a, b]) => tn.div(a, b), gradTol: fp32Sum(64) }]);
    cases.push([`pow ${label}`, { inputs: [pos(sa), f(sb, { range: [-2, 2] })], fn: ([a, b]) => tn.pow(a, b), gradTol: fp32Sum(64) }]);
    cases.push([`maximum ${label} (ties)`, { inputs: [ties(sa), ties(sb)], fn: ([a, b]) => tn.maximum(a, b), gradTol: fp32Sum(64) }]);
    cases.push([`minimum ${label} (ties)`, { inputs: [ties(sa), ties(sb)], fn: ([a, b]) => tn.minimum(a, b), gradTol: fp32Sum(64) }]);
  }
  run(cases);
  run([
    ['add with a number', { inputs: [f([5, 6])], fn: ([x]) => tn.add(x, 2.5) }],
    ['number minus tensor', { inputs: [f([5, 6])], fn: ([x]) => tn.sub(1.5, x) }],
    ['number over tensor', { inputs: [pos([5, 6])], fn: ([x]) => tn.div(3, x) }],
    ['pow with a number exponent', { inputs: [pos([5, 6])], fn: ([x]) => tn.pow(x, 1.7) }],
    ['int32 add', { inputs: [f([3, 4], { kind: 'int' }), f([4], { kind: 'int' })], fn: ([a, b]) => tn.add(a, b), tol: 'exact' }],
    ['int32 sub', { inputs: [f([3, 4], { kind: 'int' }), f([3, 1], { kind: 'int' })], fn: ([a, b]) => tn.sub(a, b), tol: 'exact' }],
    ['int32 mul', { inputs: [f([3, 4], { kind: 'int' }), f([4], { kind: 'int' })], fn: ([a, b]) => tn.mul(a, b), tol: 'exact' }],
    ['int32 maximum', { inputs: [f([3, 4], { kind: 'int' }), f([1], { kind: 'int' })], fn: ([a, b]) => tn.maximum(a, b), tol: 'exact' }],
    ['int32 minimum', { inputs: [f([3, 4], { kind: 'int' }), f([4], { kind: 'int' })], fn: ([a, b]) => tn.minimum(a, b), tol: 'exact' }],
  ]);
});

describeGpu('comparisons', () => {
  const ops: [string, (a: tn.Tensor, b: tn.Tensor) => tn.Tensor][] = [
    ['equal', tn.equal],
    ['greater', tn.greater],
    ['greaterEqual', tn.greaterEqual],
    ['less', tn.less],
    ['lessEqual', tn.lessEqual],
  ];
  const cases: Case[] = [];
  for (const [name, op] of ops) {
    cases.push([`${name} float (ties, broadcast)`, { inputs: [ties([2, 3, 4]), ties([3, 1])], fn: ([a, b]) => op(a, b), tol: 'exact', forwardOnly: true }]);
    cases.push([`${name} int32`, { inputs: [f([2, 3, 4], { kind: 'int' }), f([4], { kind: 'int' })], fn: ([a, b]) => op(a, b), tol: 'exact', forwardOnly: true }]);
  }
  run(cases);
});

describeGpu('unaries', () => {
  const s = [7, 33];
  run([
    ['neg', { inputs: [f(s)], fn: ([x]) => tn.neg(x), tol: 'exact' }],
    ['exp', { inputs: [f(s, { range: [-5, 5] })], fn: ([x]) => tn.exp(x) }],
    ['log', { inputs: [pos(s)], fn: ([x]) => tn.log(x) }],
    ['sqrt', { inputs: [pos(s)], fn: ([x]) => tn.sqrt(x) }],
    ['square', { inputs: [f(s)], fn: ([x]) => tn.square(x) }],
    ['abs', { inputs: [f(s)], fn: ([x]) => tn.abs(x) }],
    ['sign (with zeros)', { inputs: [ties(s)], fn: ([x]) => tn.sign(x), tol: 'exact' }],
    ['relu', { inputs: [f(s)], fn: ([x]) => tn.relu(x) }],
    ['leakyRelu', { inputs: [f(s)], fn: ([x]) => tn.leakyRelu(x, 0.1) }],
    ['sigmoid', { inputs: [f(s, { range: [-8, 8] })], fn: ([x]) => tn.sigmoid(x) }],
    ['tanh', { inputs: [f(s, { range: [-4, 4] })], fn: ([x]) => tn.tanh(x) }],
    ['gelu', { inputs: [f(s, { range: [-4, 4] })], fn: ([x]) => tn.gelu(x) }],
    ['clip', { inputs: [f(s)], fn: ([x]) => tn.clip(x, -0.5, 0.7) }],
    ['scale', { inputs: [f(s)], fn: ([x]) => tn.scale(x, 2, 1) }],
    ['a chain of unaries (large)', { inputs: [f([1000, 37])], fn: ([x]) => tn.tanh(tn.add(tn.square(x), tn.sigmoid(x))) }],
  ]);
});

describeGpu('reductions', () => {
  const reducers: [string, (x: tn.Tensor, axis?: number | number[], keep?: boolean) => tn.Tensor][] = [
    ['sum', tn.sum],
    ['mean', tn.mean],
    ['max', tn.max],
    ['min', tn.min],
  ];
  const layouts: [string, number[], number | number[] | undefined, boolean][] = [
    ['all axes', [6, 7, 8], undefined, false],
    ['axis 0', [300, 4, 5], 0, false],
    ['axis -1', [3, 4, 500], -1, false],
    ['axes [0, 2] keepDims', [3, 4, 5], [0, 2], true],
    ['middle axis', [5, 129, 3], 1, false],
    ['long row', [2, 70000], 1, false],
  ];
  const cases: Case[] = [];
  for (const [name, op] of reducers) {
    for (const [label, shape, axis, keep] of layouts) {
      const k = shape.reduce((a, b) => a * b, 1);
      cases.push([`${name} ${label}`, { inputs: [f(shape)], fn: ([x]) => op(x, axis, keep), tol: name === 'sum' ? fp32Sum(k) : FP32 }]);
    }
    if (name === 'max' || name === 'min') {
      // Ties share the gradient evenly (KERNELS.md reduce_select_backward).
      cases.push([`${name} with ties`, { inputs: [ties([4, 6, 5])], fn: ([x]) => op(x, 1), tol: 'exact' }]);
    }
  }
  run(cases);
  run([
    ['argmax last axis', { inputs: [f([7, 300])], fn: ([x]) => tn.argmax(x), tol: 'exact', forwardOnly: true }],
    ['argmax axis 0', { inputs: [f([300, 7])], fn: ([x]) => tn.argmax(x, 0), tol: 'exact', forwardOnly: true }],
    ['argmax ties: first index', { inputs: [ties([3, 40, 5])], fn: ([x]) => tn.argmax(x, 1), tol: 'exact', forwardOnly: true }],
  ]);
});

describeGpu('softmax and logSoftmax', () => {
  const layouts: [string, number[], number, [number, number]][] = [
    ['last axis', [5, 11], -1, [-3, 3]],
    ['middle axis', [3, 40, 5], 1, [-3, 3]],
    ['long rows', [4, 3000], -1, [-3, 3]],
    ['large logits (stability)', [6, 50], -1, [-60, 60]],
  ];
  const cases: Case[] = [];
  for (const [label, shape, axis, range] of layouts) {
    cases.push([`softmax ${label}`, { inputs: [f(shape, { range })], fn: ([x]) => tn.softmax(x, axis) }]);
    cases.push([`logSoftmax ${label}`, { inputs: [f(shape, { range })], fn: ([x]) => tn.logSoftmax(x, axis), gradTol: fp32Sum(shape[shape.length - 1]) }]);
  }
  run(cases);
});

type MatmulShape = [string, number[], number[], boolean, boolean];
const matmulShapes: MatmulShape[] = [
  ['plain', [7, 13], [13, 5], false, false],
  ['transposeA', [13, 7], [13, 5], true, false],
  ['transposeB', [7, 13], [5, 13], false, true],
  ['both transposed', [13, 7], [5, 13], true, true],
  ['odd sizes', [33, 65], [65, 17], false, false],
  ['batched', [3, 9, 10], [3, 10, 11], false, false],
  ['batch broadcast [2,1,...] x [3,...]', [2, 1, 5, 6], [3, 6, 4], false, false],
  ['shared right matrix', [4, 6, 8], [8, 3], false, false],
  ['shared left matrix, transposed', [8, 6], [4, 3, 8], true, true],
  ['large K', [8, 4096], [4096, 8], false, false],
  ['vector product', [1, 1000], [1000, 1], false, false],
  ['bigger square', [257, 300], [300, 129], false, false],
];
/** The longest sum in a matmul's forward or backward: K forward, M or N (times the broadcast batch) backward. */
function matmulK([, a, b]: MatmulShape): number {
  const batch = Math.max(a.slice(0, -2).reduce((p, d) => p * d, 1), b.slice(0, -2).reduce((p, d) => p * d, 1));
  return Math.max(...a.slice(-2), ...b.slice(-2)) * batch;
}

describeGpu('matmul (fp32)', () => {
  run(matmulShapes.map((m): Case => {
    const [label, a, b, ta, tb] = m;
    return [label, { inputs: [f(a), f(b)], fn: ([x, y]) => tn.matmul(x, y, { transposeA: ta, transposeB: tb }), tol: fp32Sum(matmulK(m)) }];
  }));
});

type ConvCase = [string, number[], number[], tn.Conv2dOptions];
const convCases: ConvCase[] = [
  ['3x3 valid', [2, 9, 9, 3], [3, 3, 3, 4], {}],
  ["3x3 'same'", [2, 9, 9, 3], [3, 3, 3, 4], { padding: 'same' }],
  ["4x4 'same' (asymmetric pads)", [2, 9, 9, 3], [4, 4, 3, 4], { padding: 'same' }],
  ["3x3 stride 2 'same' on an even size (asymmetric)", [2, 8, 8, 3], [3, 3, 3, 5], { stride: 2, padding: 'same' }],
  ['explicit padding [1, 2]', [2, 7, 8, 3], [3, 3, 3, 4], { padding: [1, 2] }],
  ["dilation 2 'same'", [2, 11, 11, 2], [3, 3, 2, 3], { dilation: 2, padding: 'same' }],
  ['dilation [2, 1] stride [1, 2]', [2, 10, 11, 3], [3, 3, 3, 4], { dilation: [2, 1], stride: [1, 2] }],
  ['non-square image and kernel, stride [2, 1]', [2, 10, 7, 3], [3, 2, 3, 5], { stride: [2, 1] }],
  ['1x1', [3, 6, 6, 8], [1, 1, 8, 5], {}],
  ["wider: 32 -> 64 channels 'same'", [4, 16, 16, 32], [3, 3, 32, 64], { padding: 'same' }],
];
/** The longest sum in conv forward/backward: kh*kw*C forward, N*OH*OW for the filter gradient, O*kh*kw for dx. */
function convK([, x, w]: ConvCase): number {
  return Math.max(w[0] * w[1] * w[2], x[0] * x[1] * x[2], w[3] * w[0] * w[1]); // w is [kh, kw, C, O]
}

describeGpu('conv2d (fp32)', () => {
  run(convCases.map((c): Case => {
    const [label, x, w, opts] = c;
    return [label, { inputs: [f(x), f(w)], fn: ([a, b]) => tn.conv2d(a, b, opts), tol: fp32Sum(convK(c)) }];
  }));
});

describeGpu('pooling', () => {
  const pools: [string, number[], tn.Pool2dOptions, [number, number]?][] = [
    ['2x2 stride 2 valid', [2, 8, 8, 3], { kernelSize: 2 }],
    ["2x2 stride 2 'same' on an odd size (asymmetric pad)", [2, 7, 7, 3], { kernelSize: 2, padding: 'same' }],
    ["3x3 stride 2 'same' (symmetric)", [2, 7, 7, 3], { kernelSize: 3, stride: 2, padding: 'same' }],
    ["3x3 stride 2 'same' on an even size (asymmetric)", [2, 6, 6, 3], { kernelSize: 3, stride: 2, padding: 'same' }],
    ['3x3 stride 1 pad 1 (cuDNN path)', [2, 6, 6, 4], { kernelSize: 3, stride: 1, padding: 1 }],
    ['3x3 pad 1 on all-negative input (padding must never win)', [2, 6, 6, 4], { kernelSize: 3, stride: 1, padding: 1 }, [-3, -1]],
    ['non-square window [2, 3] stride [1, 2]', [2, 7, 9, 3], { kernelSize: [2, 3], stride: [1, 2] }],
    ['overlapping 3x3 stride 1 valid', [1, 12, 12, 16], { kernelSize: 3, stride: 1 }],
  ];
  const cases: Case[] = [];
  for (const [label, shape, opts, range] of pools) {
    cases.push([`maxPool2d ${label}`, { inputs: [f(shape, { range })], fn: ([x]) => tn.maxPool2d(x, opts) }]);
    cases.push([`avgPool2d ${label}`, { inputs: [f(shape, { range })], fn: ([x]) => tn.avgPool2d(x, opts) }]);
  }
  // Ties inside windows: the gradient goes to the first maximum of each window on both backends.
  cases.push(['maxPool2d with ties (first max gets the gradient)', { inputs: [ties([2, 6, 6, 3])], fn: ([x]) => tn.maxPool2d(x, { kernelSize: 2 }) }]);
  cases.push(['maxPool2d with ties, overlapping windows and padding', { inputs: [ties([2, 7, 7, 3])], fn: ([x]) => tn.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }) }]);
  run(cases);
});

describeGpu('layout', () => {
  run([
    ['transpose 2-D', { inputs: [f([7, 13])], fn: ([x]) => tn.transpose(x), tol: 'exact' }],
    ['transpose 3-D perm [2, 0, 1]', { inputs: [f([2, 3, 4])], fn: ([x]) => tn.transpose(x, [2, 0, 1]), tol: 'exact' }],
    ['transpose 4-D NHWC -> NCHW', { inputs: [f([2, 5, 6, 3])], fn: ([x]) => tn.transpose(x, [0, 3, 1, 2]), tol: 'exact' }],
    ['concat axis 0', { inputs: [f([2, 3]), f([4, 3]), f([1, 3])], fn: (xs) => tn.concat(xs, 0), tol: 'exact' }],
    ['concat axis 1', { inputs: [f([2, 3, 2]), f([2, 1, 2]), f([2, 5, 2])], fn: (xs) => tn.concat(xs, 1), tol: 'exact' }],
    ['concat axis -1', { inputs: [f([3, 2]), f([3, 5])], fn: (xs) => tn.concat(xs, -1), tol: 'exact' }],
    ['slice', { inputs: [f([6, 7, 3])], fn: ([x]) => tn.slice(x, [1, 2, 0], [3, -1, 2]), tol: 'exact' }],
    ['slice int32', { inputs: [f([4, 5], { kind: 'int' })], fn: ([x]) => tn.slice(x, [1, 2], [2, 3]), tol: 'exact', forwardOnly: true }],
    ['pad with a value', { inputs: [f([2, 3, 4])], fn: ([x]) => tn.pad(x, [[1, 0], [0, 2], [3, 1]], 9), tol: 'exact' }],
  ]);
});

describeGpu('dropout', () => {
  test('same seed, same mask on both devices; the gradient is the mask', async () => {
    const spec = [f([64, 50])];
    const { cpu, gpu } = makeInputs(spec, 31, true);
    const yc = tn.dropout(cpu[0], 0.3, { seed: 5 });
    const yg = tn.dropout(gpu[0], 0.3, { seed: 5 });
    const [vc, vg] = await Promise.all([yc.data(), yg.data()]);
    const kept = (v: ArrayLike<number>) => Array.from(v, (x) => (x !== 0 ? 1 : 0));
    expectExact('dropout mask', kept(vg), kept(vc));
    const dropped = kept(vc).filter((k) => k === 0).length / vc.length;
    expect(dropped).toBeGreaterThan(0.2);
    expect(dropped).toBeLessThan(0.4);
    expectNear('dropout values', vg, vc, { rtol: 1e-6, atol: 0 });
    const up = tn.tensor(randomArray(yc.size, 3, 0.5, 1.5), yc.shape, { device: CPU });
    const upG = toGpu(up);
    yc.backward(up);
    yg.backward(upG);
    expectNear('dropout gradient', await gpu[0].grad!.data(), await cpu[0].grad!.data(), { rtol: 1e-6, atol: 0 });
    tn.dispose([cpu, gpu, yc, yg, up, upG, cpu[0].grad, gpu[0].grad]);
  });

  test('unseeded dropout after setSeed drops the same elements on both devices', async () => {
    const x = tn.tensor(randomArray(1000, 8, 0.5, 1), [1000], { device: CPU });
    const xg = toGpu(x);
    tn.setSeed(1234);
    const yc = tn.dropout(x, 0.5);
    tn.setSeed(1234);
    const yg = tn.dropout(xg, 0.5);
    expectNear('dropout (global seed)', await yg.data(), await yc.data(), { rtol: 1e-6, atol: 0 });
    tn.dispose([x, xg, yc, yg]);
  });
});

describeGpu('losses', () => {
  run([
    ['softmaxCrossEntropy, int labels, mean', { inputs: [f([16, 10], { range: [-4, 4] }), f([16], { kind: 'labels', classes: 10 })], fn: ([z, t]) => tn.softmaxCrossEntropy(z, t) }],
    ['softmaxCrossEntropy, int labels, sum', { inputs: [f([16, 10], { range: [-4, 4] }), f([16], { kind: 'labels', classes: 10 })], fn: ([z, t]) => tn.softmaxCrossEntropy(z, t, { reduction: 'sum' }), tol: fp32Sum(16) }],
    ['softmaxCrossEntropy, int labels, none, many classes', { inputs: [f([9, 1000], { range: [-4, 4] }), f([9], { kind: 'labels', classes: 1000 })], fn: ([z, t]) => tn.softmaxCrossEntropy(z, t, { reduction: 'none' }) }],
    ['softmaxCrossEntropy, one-hot labels', { inputs: [f([12, 7], { range: [-4, 4] }), f([12], { kind: 'labels', classes: 7 })], fn: ([z, t]) => tn.softmaxCrossEntropy(z, tn.oneHot(t, 7)) }],
    // Soft labels that require grad: the label gradient (-log_softmax * dl) is compared too.
    ['softmaxCrossEntropy, soft labels with gradient', { inputs: [f([12, 7], { range: [-4, 4] }), f([12, 7], { range: [0, 1] })], fn: ([z, t]) => tn.softmaxCrossEntropy(z, t, { reduction: 'none' }) }],
    ['binaryCrossEntropy, probabilities', { inputs: [f([8, 5], { range: [0.02, 0.98] }), f([8, 5], { range: [0, 1] })], fn: ([p, t]) => tn.binaryCrossEntropy(p, t) }],
    ['binaryCrossEntropy, probabilities, none', { inputs: [f([8, 5], { range: [0.02, 0.98] }), f([8, 5], { range: [0, 1] })], fn: ([p, t]) => tn.binaryCrossEntropy(p, t, { reduction: 'none' }) }],
    ['binaryCrossEntropy, fromLogits', { inputs: [f([8, 5], { range: [-6, 6] }), f([8, 5], { range: [0, 1] })], fn: ([x, t]) => tn.binaryCrossEntropy(x, t, { fromLogits: true }) }],
    ['binaryCrossEntropy, fromLogits, sum', { inputs: [f([8, 5], { range: [-6, 6] }), f([8, 5], { range: [0, 1] })], fn: ([x, t]) => tn.binaryCrossEntropy(x, t, { fromLogits: true, reduction: 'sum' }), tol: fp32Sum(40) }],
    ['mse', { inputs: [f([10, 6]), f([10, 6])], fn: ([a, b]) => tn.mse(a, b) }],
    ['mse, none', { inputs: [f([10, 6]), f([10, 6])], fn: ([a, b]) => tn.mse(a, b, { reduction: 'none' }) }],
  ]);
});

describeGpu('optimizer updates (sgd/adam/adamw/adagrad/rmsprop kernels through the optimizers API)', () => {
  const configs: [string, () => tn.optim.Optimizer][] = [
    ['sgd', () => tn.optimizers.sgd({ learningRate: 0.1 })],
    ['sgd momentum + weight decay', () => tn.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, weightDecay: 0.01 })],
    ['sgd nesterov + dampening 0', () => tn.optimizers.sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true })],
    ['adam', () => tn.optimizers.adam({ learningRate: 0.01 })],
    ['adam + L2 weight decay', () => tn.optimizers.adam({ learningRate: 0.01, weightDecay: 0.02 })],
    ['adamw', () => tn.optimizers.adamw({ learningRate: 0.01, weightDecay: 0.05 })],
    ['adagrad + lrDecay', () => tn.optimizers.adagrad({ learningRate: 0.1, lrDecay: 0.1, weightDecay: 0.01 })],
    ['rmsprop', () => tn.optimizers.rmsprop({ learningRate: 0.01 })],
    ['rmsprop centered + momentum', () => tn.optimizers.rmsprop({ learningRate: 0.01, centered: true, momentum: 0.9, weightDecay: 0.01 })],
    ['adam with clipValue and clipNorm', () => tn.optimizers.adam({ learningRate: 0.01, clipValue: 0.5, clipNorm: 1 })],
    ['sgd with globalClipNorm', () => tn.optimizers.sgd({ learningRate: 0.1, globalClipNorm: 0.5 })],
  ];
  test.each(configs)('%s: 6 steps on two parameters', async (_name, make) => {
    const shapes = [[37], [5, 4]];
    const pc = shapes.map((s, i) => tn.tensor(randomArray(s.reduce((a, b) => a * b, 1), 500 + i), s, { device: CPU }));
    const pg = pc.map(toGpu);
    const oc = make();
    const og = make();
    for (let step = 1; step <= 6; step++) {
      const gc = shapes.map((s, i) => tn.tensor(randomArray(s.reduce((a, b) => a * b, 1), 900 + 10 * step + i, -2, 2), s, { device: CPU }));
      const gg = gc.map(toGpu);
      oc.applyGradients(pc.map((param, i) => ({ param, grad: gc[i] })));
      og.applyGradients(pg.map((param, i) => ({ param, grad: gg[i] })));
      tn.dispose([gc, gg]);
    }
    for (let i = 0; i < shapes.length; i++) {
      expect(pg[i].device).toBe(GPU);
      expectNear(`parameter ${i}`, await pg[i].data(), await pc[i].data(), FP32);
    }
    const sc = oc.getState().slots;
    const sg = og.getState().slots;
    expect(Object.keys(sg).sort()).toEqual(Object.keys(sc).sort());
    for (const k of Object.keys(sc)) {
      expect(sg[k].device).toBe(GPU);
      expectNear(`state ${k}`, await sg[k].data(), await sc[k].data(), FP32);
    }
    oc.dispose();
    og.dispose();
    tn.dispose([pc, pg]);
  });
});

/** Runs a parity check with TF32 on, always switching it back off. */
async function withTF32(fn: () => Promise<void>): Promise<void> {
  tn.setTF32(true);
  try {
    await fn();
  } finally {
    tn.setTF32(false);
  }
}

describeGpu('TF32 (setTF32(true)) for matmul and conv2d', () => {
  afterAll(() => tn.setTF32(false));

  test.each(matmulShapes)('matmul %s', async (...m) => {
    const [, a, b, ta, tb] = m;
    await withTF32(() => checkParity({ inputs: [f(a), f(b)], fn: ([x, y]) => tn.matmul(x, y, { transposeA: ta, transposeB: tb }), tol: tf32Sum(matmulK(m)) }));
  });

  test.each(convCases)('conv2d %s', async (...c) => {
    const [, x, w, opts] = c;
    await withTF32(() => checkParity({ inputs: [f(x), f(w)], fn: ([a, b]) => tn.conv2d(a, b, opts), tol: tf32Sum(convK(c)) }));
  });

  const realGpuTest = selfTest ? test.skip : test;
  realGpuTest('the switch takes effect: TF32 changes a 512^3 product, and off restores fp32 results', async () => {
    const { cpu, gpu } = makeInputs([f([512, 512]), f([512, 512])], 77, false);
    const exact = await tn.matmul(cpu[0], cpu[1]).data();
    let tf32: ArrayLike<number> = [];
    await withTF32(async () => {
      expect(tn.backendInfo().cuda.tf32).toBe(true);
      tf32 = await tn.matmul(gpu[0], gpu[1]).data();
    });
    expect(tn.backendInfo().cuda.tf32).toBe(false);
    const fp32 = await tn.matmul(gpu[0], gpu[1]).data();
    let maxTf32 = 0;
    for (let i = 0; i < exact.length; i++) maxTf32 = Math.max(maxTf32, Math.abs(tf32[i] - exact[i]));
    // TF32 keeps 10 mantissa bits: over 512 products some element must differ from the fp32 result.
    expect(maxTf32).toBeGreaterThan(1e-5);
    expectNear('matmul after setTF32(false)', fp32, exact, fp32Sum(512));
    expectNear('matmul with TF32', tf32, exact, tf32Sum(512));
    tn.dispose([cpu, gpu]);
  });
});
