// rescaling, resizing, centerCrop, categoryEncoding and alphaDropout against @tensorflow/tfjs (outputs, dtypes,
// gradients where they have them), their configs and errors.
import * as tn from '../../../lib';
import { expectClose, randomArray } from '../../helpers/gradcheck';
import { compareLayer } from './layer_diff';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

test('rescaling: x * scale + offset as float32, from floats and from ints', () => {
  compareLayer({ make: (L) => L.rescaling({ scale: 1 / 255, offset: -0.5 }), inputShape: [2, 3, 3, 2], checkShape: true });
  compareLayer({ make: (L) => L.rescaling({ scale: 2 }), inputShape: [4, 3], intRange: 255 });
  expect(() => tn.layers.rescaling({ scale: NaN })).toThrow(/rescaling: 'scale' must be a finite number, got null/);
});

describe('resizing (tfjs: alignCorners = !cropToAspectRatio)', () => {
  test.each([
    ['bilinear', false, [2, 5, 4, 3], 7, 3],
    ['bilinear', true, [2, 5, 4, 3], 3, 6],
    ['nearest', false, [1, 4, 6, 2], 8, 3],
    ['nearest', true, [1, 4, 6, 2], 2, 9],
  ])('%s cropToAspectRatio %s on %j -> %dx%d', (interpolation, cropToAspectRatio, shape, height, width) => {
    // tfjs's computeOutputShape drops the batch dim (its bug); ours keeps it.
    // tfjs's resizeBilinear gradient fails on non-square images: forward only there.
    compareLayer({ make: (L) => L.resizing({ height, width, interpolation, cropToAspectRatio }), inputShape: shape as number[], checkShape: false, grads: interpolation === 'nearest' });
    expect(tn.layers.resizing({ height, width }).computeOutputShape([null, 5, 4, 3])).toEqual([null, height, width, 3]);
  });
  test('errors', () => {
    expect(() => tn.layers.resizing({ height: 2, width: 2, interpolation: 'bicubic' as never })).toThrow(/resizing: 'interpolation' must be 'bilinear' or 'nearest', got "bicubic"/);
    expect(() => tn.layers.resizing({ height: 0, width: 2 })).toThrow(/resizing: 'height' must be a positive integer up to 2147483647, got 0/);
    expect(() => tn.layers.resizing({ height: 2, width: 2 }).apply(tn.zeros([2, 3]))).toThrow(/expected images/);
  });
});

describe('centerCrop', () => {
  test.each([
    [[2, 8, 9, 3], 4, 5],
    [[2, 7, 6, 1], 6, 5],
    [[1, 9, 9, 2], 3, 3],
    [[2, 10, 11, 2], 1, 2],
    [[2, 4, 4, 2], 6, 3], // larger than the image in height: resized up (bilinear), as tfjs
  ])('%j -> %dx%d: pixels as tfjs (gradients where tfjs has them: not for cropAndResize)', (shape, height, width) => {
    const cropped = shape[1] >= height && shape[2] >= width;
    compareLayer({ make: (L) => L.centerCrop({ height, width }), inputShape: shape as number[], grads: !cropped });
  });
  test('the crop passes gradients to exactly the cropped pixels', () => {
    const x = tn.tensor(randomArray(2 * 6 * 7 * 1, 4), [2, 6, 7, 1], { requiresGrad: true });
    tn.sum(tn.layers.centerCrop({ height: 2, width: 3 }).apply(x)).backward();
    const g = x.grad!.dataSync();
    const ones = Array.from(g).reduce((n, v) => n + v, 0);
    expect(ones).toBe(2 * 2 * 3);
    expect(g[0 * 42 + 2 * 7 + 2]).toBe(1); // row 2, column 2 of the first image: the window's corner
  });
  test('int images keep their dtype', () => {
    compareLayer({ make: (L) => L.centerCrop({ height: 2, width: 3 }), inputShape: [2, 5, 6, 1], intRange: 200 });
  });
});

describe('categoryEncoding', () => {
  test.each([
    ['multiHot', [4, 3]],
    ['count', [4, 5]],
    ['oneHot', [6]],
    ['oneHot', [6, 1]],
    ['count', [5]],
  ])('%s on %j', (outputMode, shape) => {
    compareLayer({ make: (L) => L.categoryEncoding({ numTokens: 6, outputMode }), inputShape: shape as number[], intRange: 6, checkShape: false });
    const sym: (number | null)[] = [null, ...(shape as number[]).slice(1)];
    const want = outputMode === 'oneHot' && sym[sym.length - 1] !== 1 ? [...sym, 6] : [...sym.slice(0, -1), 6];
    expect(tn.layers.categoryEncoding({ numTokens: 6, outputMode: outputMode as never }).computeOutputShape(sym)).toEqual(want);
  });
  test("multiHot on one list of tokens is 0/1 (tfjs' CPU bincount ignores binaryOutput for rank 1 and counts)", () => {
    const y = tn.layers.categoryEncoding({ numTokens: 4 }).apply(tn.tensor([1, 1, 3, 1], [4], { dtype: 'int32' }));
    expect(Array.from(y.dataSync())).toEqual([0, 1, 0, 1]);
  });
  test('tokens out of range and bad options are typed errors', () => {
    const l = tn.layers.categoryEncoding({ numTokens: 3 });
    expect(() => l.apply(tn.tensor([0, 3], [2], { dtype: 'int32' }))).toThrow(/categoryEncoding '.*': token 3 is outside \[0, 3\)/);
    expect(() => tn.layers.categoryEncoding({ numTokens: 3, outputMode: 'tfIdf' as never })).toThrow(/'outputMode' must be 'oneHot', 'multiHot' or 'count', got "tfIdf"/);
    expect(() => l.apply(tn.zeros([2, 2, 2], { dtype: 'int32' } as Any))).toThrow(/at most 2/);
  });
});

describe('alphaDropout', () => {
  test('identity in inference; in training the tfjs affine map of kept/dropped units', () => {
    const l = tn.layers.alphaDropout({ rate: 0.3, seed: 4 });
    const x = tn.tensor(randomArray(4000, 3, -2, 2), [4000]);
    expect(l.apply(x)).toBe(x);
    const y = l.apply(x, { training: true }).dataSync();
    const xs = x.dataSync();
    const alphaP = -1.6732632423543772 * 1.0507009873554805;
    const a = ((1 - 0.3) * (1 + 0.3 * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * 0.3;
    let dropped = 0;
    for (let i = 0; i < xs.length; i++) {
      const kept = Math.abs(y[i] - (a * xs[i] + b)) < 1e-5;
      const drop = Math.abs(y[i] - (a * alphaP + b)) < 1e-5;
      expect(kept || drop).toBe(true);
      if (!kept) dropped++;
    }
    expect(dropped / xs.length).toBeGreaterThan(0.25);
    expect(dropped / xs.length).toBeLessThan(0.35);
  });
  test("keeps mean 0 and variance 1 of standardized inputs (what it is for; tfjs 4.x's sign slip does not)", () => {
    const n = 40000;
    const u1 = randomArray(n, 8, 1e-7, 1);
    const u2 = randomArray(n, 9, 0, 1);
    const x = Array.from(u1, (u, i) => Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * u2[i]));
    const stats = (v: ArrayLike<number>) => {
      const m = Array.from(v).reduce((s, e) => s + e, 0) / v.length;
      return [m, Array.from(v).reduce((s, e) => s + (e - m) ** 2, 0) / v.length];
    };
    const before = stats(x);
    const after = stats(tn.layers.alphaDropout({ rate: 0.2, seed: 1 }).apply(tn.tensor(x), { training: true }).dataSync());
    expectClose(after, before, 0, 0.03);
  });
  test('config and errors', () => {
    expect(tn.layers.alphaDropout({ rate: 0.1, noiseShape: [1, 3] }).getConfig()).toMatchObject({ rate: 0.1, noiseShape: [1, 3] });
    expect(() => tn.layers.alphaDropout({ rate: 1 })).toThrow(/alphaDropout: 'rate' must be a number in \[0, 1\), got 1/);
  });
});

test('each preprocessing layer round-trips through its config', () => {
  const made = [
    tn.layers.rescaling({ scale: 0.5, offset: 1 }),
    tn.layers.resizing({ height: 3, width: 4, interpolation: 'nearest', cropToAspectRatio: true }),
    tn.layers.centerCrop({ height: 2, width: 5 }),
    tn.layers.categoryEncoding({ numTokens: 9, outputMode: 'count' }),
    tn.layers.alphaDropout({ rate: 0.25, seed: 3 }),
  ];
  for (const l of made) expect(tn.layers.deserializeLayer(JSON.parse(JSON.stringify(l.toJSON()))).getConfig()).toEqual(l.getConfig());
});
