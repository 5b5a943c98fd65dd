// Differential tests against tfjs: pool (with dilations), maxPoolWithArgmax, dilation2d, basicLSTMCell,
// multiRNNCell and tf.fused (matMul, conv2d, depthwiseConv2d with bias and every activation).
import * as tn from '../../lib';
import { checkGradients } from '../helpers/gradcheck';
import { compareWithTfjs, expectBothThrow, f32, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));

describe('pool vs tfjs', () => {
  run([
    ['max, no dilation, same', { inputs: [f32([2, 5, 6, 3])], fn: (m, x) => m.pool(x, [2, 3], 'max', 'same', 1, [2, 2]) }],
    ['avg, no dilation, valid', { inputs: [f32([1, 6, 5, 2])], fn: (m, x) => m.pool(x, 2, 'avg', 'valid', [1, 1], 2) }],
    ['max, dilation 2, valid', { inputs: [f32([2, 7, 6, 2])], fn: (m, x) => m.pool(x, [2, 2], 'max', 'valid', [2, 2], 1) }],
    ['avg, dilation [2, 3], valid', { inputs: [f32([1, 8, 9, 2])], fn: (m, x) => m.pool(x, [3, 2], 'avg', 'valid', [2, 3], 1) }],
    // With dilation and 'same', tfjs pools a zero-padded copy: the zeros count in the max and the mean.
    ['max, dilation 2, same (zeros padded in)', { inputs: [f32([1, 5, 6, 2])], fn: (m, x) => m.pool(x, [3, 3], 'max', 'same', 2, 1) }],
    ['avg, dilation 2, same (zeros padded in)', { inputs: [f32([2, 6, 5, 1])], fn: (m, x) => m.pool(x, [2, 3], 'avg', 'same', [2, 2], 1) }],
    ['rank 3, dilation', { inputs: [f32([7, 7, 2])], fn: (m, x) => m.pool(x, 2, 'avg', 'valid', 3) }],
    ['method', { inputs: [f32([1, 4, 4, 1])], fn: (_m, x) => x.pool([2, 2], 'max', 'valid', 1, 2) }],
  ]);
  test('strides and dilations both above 1 throw', () => {
    expectBothThrow([f32([1, 6, 6, 1])], (m, x) => m.pool(x, 2, 'max', 'valid', 2, 2), tn.ValueError, /either strides or dilations must be 1/);
  });
});

describe('maxPoolWithArgmax vs tfjs', () => {
  // tfjs has no gradient for maxPoolWithArgmax: the result's gradient (maxPool's) is checked by finite differences.
  const both = (includeBatch: boolean, pad: 'valid' | 'same', k: [number, number], s: [number, number]) => (m: typeof tn, x: tn.Tensor) => {
    const r = m.maxPoolWithArgmax(x, k, s, pad, includeBatch);
    return [r.result, r.indexes];
  };
  run([
    ['valid 2x2 stride 2', { inputs: [f32([2, 4, 6, 3])], fn: both(false, 'valid', [2, 2], [2, 2]), grads: false }],
    ['same 3x3 stride 2, batch in index', { inputs: [f32([2, 5, 5, 2])], fn: both(true, 'same', [3, 3], [2, 2]), grads: false }],
    ['overlapping 3x2 stride 1', { inputs: [f32([1, 5, 4, 2])], fn: both(true, 'valid', [3, 2], [1, 1]), grads: false }],
  ]);
  test('result gradient by finite differences', async () => {
    await checkGradients(([x]) => tn.maxPoolWithArgmax(x, 2, 2, 'same').result, [{ shape: [1, 5, 5, 2] }]);
  });
});

describe('dilation2d vs tfjs', () => {
  run([
    ['valid', { inputs: [f32([2, 5, 6, 3]), f32([2, 3, 3])], fn: (m, x, f) => m.dilation2d(x, f, 1, 'valid') }],
    ['same, strides 2', { inputs: [f32([1, 6, 7, 2]), f32([3, 2, 2])], fn: (m, x, f) => m.dilation2d(x, f, 2, 'same') }],
    ['same, dilations 2', { inputs: [f32([1, 7, 6, 2]), f32([2, 2, 2])], fn: (m, x, f) => m.dilation2d(x, f, 1, 'same', [2, 2]) }],
    ['rank 3', { inputs: [f32([5, 5, 2]), f32([2, 2, 2])], fn: (m, x, f) => m.dilation2d(x, f, [1, 2], 'valid') }],
    ['method', { inputs: [f32([1, 4, 4, 1]), f32([2, 2, 1])], fn: (_m, x, f) => x.dilation2d(f, 1, 'same') }],
  ]);
  test('bad depth and format throw', () => {
    expectBothThrow([f32([1, 4, 4, 2]), f32([2, 2, 3])], (m, x, f) => m.dilation2d(x, f, 1, 'valid'), tn.ShapeError, /depth/);
    expectBothThrow([f32([1, 4, 4, 2]), f32([2, 2, 2])], (m, x, f) => m.dilation2d(x, f, 1, 'valid', 1, 'NCHW'), tn.ValueError, /NHWC/);
  });
});

describe('LSTM cells vs tfjs', () => {
  run([
    ['basicLSTMCell', {
      inputs: [f32([3, 4]), f32([3, 5]), f32([3, 5]), f32([9, 20]), f32([20])],
      fn: (m, data, c, h, k, b) => m.basicLSTMCell(m.scalar(1), k, b, data, c, h),
    }],
    ['basicLSTMCell, number forgetBias', {
      inputs: [f32([2, 3]), f32([2, 2]), f32([2, 2]), f32([5, 8]), f32([8])],
      fn: (m, data, c, h, k, b) => m.basicLSTMCell(0.5, k, b, data, c, h),
    }],
    ['multiRNNCell, two layers', {
      inputs: [f32([2, 3]), f32([2, 4]), f32([2, 4]), f32([7, 16]), f32([16]), f32([2, 4]), f32([2, 4]), f32([8, 16]), f32([16])],
      fn: (m, data, c1, h1, k1, b1, c2, h2, k2, b2) => {
        const fb = m.scalar(1);
        const cells = [
          (x: tn.Tensor, c: tn.Tensor, h: tn.Tensor) => m.basicLSTMCell(fb, k1, b1, x, c, h),
          (x: tn.Tensor, c: tn.Tensor, h: tn.Tensor) => m.basicLSTMCell(fb, k2, b2, x, c, h),
        ];
        const [cs, hs] = m.multiRNNCell(cells, data, [c1, c2], [h1, h2]);
        return [...cs, ...hs];
      },
    }],
  ]);
});

describe('tf.fused vs tfjs', () => {
  const acts = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid'] as const;
  run(acts.map((activation): Case => [`matMul + bias, ${activation}`, {
    inputs: [f32([3, 4], [-2, 2]), f32([4, 5], [-2, 2]), f32([5])],
    fn: (m, a, b, bias) => m.fused.matMul({ a, b, bias, activation, leakyreluAlpha: 0.1 }),
  }]));
  run([
    ['matMul transposes, prelu', {
      inputs: [f32([2, 4, 3]), f32([2, 5, 4]), f32([5])],
      fn: (m, a, b, alpha) => m.fused.matMul({ a, b, transposeA: true, transposeB: true, activation: 'prelu', preluActivationWeights: alpha }),
    }],
    ['matMul no bias, default activation', { inputs: [f32([3, 2]), f32([2, 3])], fn: (m, a, b) => m.fused.matMul({ a, b }) }],
  ]);
  run(acts.map((activation): Case => [`conv2d + bias, ${activation}`, {
    inputs: [f32([2, 6, 5, 3], [-2, 2]), f32([3, 2, 3, 4], [-1, 1]), f32([4])],
    fn: (m, x, filter, bias) => m.fused.conv2d({ x, filter, strides: [1, 2], pad: 'same', bias, activation, leakyreluAlpha: 0.25 }),
  }]));
  test("leakyrelu's alpha defaults to 0.2 in conv2d too (tfjs's CPU kernel multiplies by undefined: NaN)", () => {
    const [x, filter] = [tn.randn([1, 4, 4, 2], { seed: 1 }), tn.randn([2, 2, 2, 3], { seed: 2 })];
    const args = { x, filter, strides: 1, pad: 'valid' as const, activation: 'leakyrelu' as const };
    expect(Array.from(tn.fused.conv2d(args).dataSync())).toEqual(Array.from(tn.fused.conv2d({ ...args, leakyreluAlpha: 0.2 }).dataSync()));
    expect(Array.from(tn.fused.depthwiseConv2d(args).dataSync())).toEqual(Array.from(tn.fused.depthwiseConv2d({ ...args, leakyreluAlpha: 0.2 }).dataSync()));
  });
  run([
    ['conv2d rank 3, dilations, prelu', {
      inputs: [f32([7, 7, 2]), f32([2, 2, 2, 3]), f32([3])],
      // tfjs computes no gradient for a dilated fused conv2d: forward only here, gradient by finite differences below.
      fn: (m, x, filter, alpha) => m.fused.conv2d({ x, filter, strides: 1, pad: 'valid', dilations: 2, activation: 'prelu', preluActivationWeights: alpha }),
      grads: false,
    }],
    ['conv2d explicit pad, no bias', {
      inputs: [f32([1, 5, 5, 2]), f32([3, 3, 2, 2])],
      fn: (m, x, filter) => m.fused.conv2d({ x, filter, strides: 2, pad: [[0, 0], [1, 2], [2, 1], [0, 0]], activation: 'relu' }),
    }],
    ['depthwiseConv2d + bias, relu', {
      inputs: [f32([2, 6, 6, 3]), f32([3, 3, 3, 2]), f32([6])],
      fn: (m, x, filter, bias) => m.fused.depthwiseConv2d({ x, filter, strides: 1, pad: 'same', bias, activation: 'relu' }),
    }],
    ['depthwiseConv2d strides 2, leakyrelu', {
      inputs: [f32([1, 7, 6, 2]), f32([2, 2, 2, 1]), f32([2])],
      fn: (m, x, filter, bias) => m.fused.depthwiseConv2d({ x, filter, strides: 2, pad: 'valid', bias, activation: 'leakyrelu', leakyreluAlpha: 0.3 }),
    }],
  ]);
  test('dilated fused conv2d gradient by finite differences', async () => {
    await checkGradients(
      ([x, f, a]) => tn.fused.conv2d({ x, filter: f, strides: 1, pad: 'valid', dilations: 2, activation: 'prelu', preluActivationWeights: a }),
      [{ shape: [1, 6, 6, 2] }, { shape: [2, 2, 2, 2] }, { shape: [2] }],
    );
  });
  test('bad arguments throw typed errors', () => {
    expectBothThrow([f32([1, 5, 5, 2]), f32([2, 2, 2, 2])], (m, x, filter) => m.fused.conv2d({ x, filter, strides: 2, pad: 'valid', dilations: 2 }), tn.ValueError, /either strides or dilations/);
    expectBothThrow([f32([2, 3]), f32([2, 3])], (m, a, b) => m.fused.matMul({ a, b }), tn.ShapeError);
    expect(() => tn.fused.matMul({ a: tn.ones([2, 2]), b: tn.ones([2, 2]), activation: 'prelu' })).toThrow(/preluActivationWeights/);
    expect(() => tn.fused.matMul({ a: tn.ones([2, 2]), b: tn.ones([2, 2]), activation: 'swish' as never })).toThrow(tn.ValueError);
    expect(() => tn.fused.conv2d({ x: tn.ones([1, 3, 3, 1]), filter: tn.ones([1, 1, 1, 1]), strides: 1, pad: 'valid', dataFormat: 'NCHW' })).toThrow(/NHWC/);
  });
});
