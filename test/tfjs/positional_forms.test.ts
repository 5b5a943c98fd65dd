// tfjs's positional forms of conv2d (x, filter, strides, pad, dataFormat, dilations) and dropout (x, rate,
// noiseShape, seed), beside tensornode's options forms: values and gradients vs tfjs for conv2d; dropout's masks are
// not tfjs's numbers, so its rules are checked instead (scale, broadcast noise shape, seeds repeat).
import * as tn from '../../lib';
import { compareWithTfjs, expectBothThrow, f32 } from '../helpers/tfjs_diff';

type Case = [string, Parameters<typeof compareWithTfjs>[0]];

describe('conv2d positional, vs tfjs', () => {
  test.each<Case>([
    ['same, stride 1', { inputs: [f32([2, 7, 6, 3]), f32([3, 3, 3, 4])], fn: (m, x, w) => m.conv2d(x, w, 1, 'same') }],
    ['valid, strides [2, 1]', { inputs: [f32([2, 7, 6, 3]), f32([3, 2, 3, 4])], fn: (m, x, w) => m.conv2d(x, w, [2, 1], 'valid') }],
    // tfjs has no gradient for dilated conv2d: forward here (conv gradients are checked elsewhere by differences)
    ['dilations 2', { inputs: [f32([1, 9, 9, 2]), f32([3, 3, 2, 2])], fn: (m, x, w) => m.conv2d(x, w, 1, 'valid', 'NHWC', 2), grads: false }],
    ['explicit pad', { inputs: [f32([1, 5, 5, 2]), f32([2, 2, 2, 3])], fn: (m, x, w) => m.conv2d(x, w, 1, [[0, 0], [1, 0], [2, 1], [0, 0]]) }],
    ['one unbatched image', { inputs: [f32([6, 6, 2]), f32([3, 3, 2, 3])], fn: (m, x, w) => m.conv2d(x, w, 2, 'same') }],
    ['Tensor#conv2d', { inputs: [f32([2, 5, 5, 2]), f32([3, 3, 2, 2])], fn: (_m, x, w) => x.conv2d(w, 1, 'same') }],
  ])('%s', (_name, c) => compareWithTfjs(c));
  test('NCHW and dimRoundingMode are refused, as the other conv ops do; the options form still works', async () => {
    const x = tn.ones([1, 4, 4, 1]);
    const w = tn.ones([2, 2, 1, 1]);
    expect(() => tn.conv2d(x, w, 1, 'same', 'NCHW')).toThrow(/'dataFormat' must be 'NHWC'/);
    expect(() => tn.conv2d(x, w, 1, 'same', 'NHWC', 1, 'round')).toThrow(/'dimRoundingMode' is not supported/);
    expect(() => (tn.conv2d as (...a: unknown[]) => tn.Tensor)(x, w, 1)).toThrow(/'pad' is required/);
    const a = await tn.conv2d(x, w, { stride: 1, padding: 'same' }).data();
    const b = await tn.conv2d(x, w, 1, 'same').data();
    expect(Array.from(a)).toEqual(Array.from(b));
  });
  test('mismatched channels throw in both', () => {
    expectBothThrow([f32([1, 4, 4, 2]), f32([2, 2, 3, 1])], (m, x, w) => m.conv2d(x, w, 1, 'valid'), tn.ShapeError);
  });
});

describe('dropout positional (x, rate, noiseShape, seed)', () => {
  const x = tn.ones([4, 3, 5]);
  test('kept values are scaled by 1 / (1 - rate); a seed repeats the mask, a string seed too', async () => {
    const a = (await tn.dropout(x, 0.4, undefined, 7).data()) as Float32Array;
    expect(new Set(Array.from(a).map((v) => v.toFixed(5)))).toEqual(new Set(['0.00000', (1 / 0.6).toFixed(5)]));
    expect(Array.from(await tn.dropout(x, 0.4, undefined, 7).data())).toEqual(Array.from(a));
    expect(Array.from(await tn.dropout(x, 0.4, undefined, 'seed').data())).toEqual(Array.from(await tn.dropout(x, 0.4, undefined, 'seed').data()));
  });
  test('noiseShape [4, 1, 5]: one draw per (batch, feature), shared along the size-1 axis', async () => {
    const y = (await tn.dropout(x, 0.5, [4, 1, 5], 3).array()) as number[][][];
    for (const sample of y) for (let f = 0; f < 5; f++) expect(new Set(sample.map((row) => row[f])).size).toBe(1);
    expect(() => tn.dropout(x, 0.5, [4, 2, 5])).toThrow(/'noiseShape' \[4,2,5\]/);
  });
});

describe('rand(shape, randFunction, dtype), as tfjs', () => {
  test('values come from the function, in order; dtype honoured', () => {
    let i = 0;
    const next = (): number => i++;
    expect(Array.from(tn.rand([2, 3], next, 'int32').dataSync())).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tn.rand([2], () => 0.25).dtype).toBe('float32');
    const u = tn.rand([1000], { low: 2, high: 3, seed: 1 }).dataSync(); // tensornode's options form still works
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
  });
});
