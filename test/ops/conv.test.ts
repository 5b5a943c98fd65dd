// conv2d (filters [kh, kw, inC, outC]), maxPool2d, avgPool2d: forward against naive NHWC references, gradients by finite differences, argument errors.
import * as tn from '../../lib';
import { checkGradients, expectClose, randomArray, sizeOf } from '../helpers/gradcheck';

type Pads = [number, number, number, number];

/** The reference's own padding arithmetic (TF 'same': total = max((ceil(n/s)-1)*s + span - n, 0), extra at the end). */
function refPads(padding: tn.Padding | undefined, H: number, W: number, s: [number, number], span: [number, number]): Pads {
  if (padding === undefined || padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    const split = (n: number, st: number, k: number) => {
      const total = Math.max((Math.ceil(n / st) - 1) * st + k - n, 0);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    };
    return [...split(H, s[0], span[0]), ...split(W, s[1], span[1])] as Pads;
  }
  const [ph, pw] = typeof padding === 'number' ? [padding, padding] : padding;
  return [ph, ph, pw, pw];
}

const asPair = (v: number | [number, number] | undefined, d: number): [number, number] =>
  v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : v;

/** Direct 7-loop convolution in float64. */
function refConv2d(x: Float32Array, xs: number[], w: Float32Array, ws: number[], o: tn.Conv2dOptions) {
  const [N, H, W, C] = xs;
  const [kh, kw, , O] = ws;
  const [sh, sw] = asPair(o.stride, 1);
  const [dh, dw] = asPair(o.dilation, 1);
  const [pt, pb, pl, pr] = refPads(o.padding, H, W, [sh, sw], [(kh - 1) * dh + 1, (kw - 1) * dw + 1]);
  const OH = Math.floor((H + pt + pb - (kh - 1) * dh - 1) / sh) + 1;
  const OW = Math.floor((W + pl + pr - (kw - 1) * dw - 1) / sw) + 1;
  const y = new Float64Array(N * OH * OW * O);
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let f = 0; f < O; f++) {
          let acc = 0;
          for (let i = 0; i < kh; i++)
            for (let j = 0; j < kw; j++) {
              const ih = oh * sh - pt + i * dh;
              const iw = ow * sw - pl + j * dw;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              for (let c = 0; c < C; c++) acc += x[((n * H + ih) * W + iw) * C + c] * w[((i * kw + j) * C + c) * O + f];
            }
          y[((n * OH + oh) * OW + ow) * O + f] = acc;
        }
  return { y, shape: [N, OH, OW, O] };
}

/** Window max (padding ignored) or mean over in-bounds elements. */
function refPool(x: Float32Array, xs: number[], o: tn.Pool2dOptions, isMax: boolean) {
  const [N, H, W, C] = xs;
  const [kh, kw] = asPair(o.kernelSize, 1);
  const [sh, sw] = o.stride === undefined ? [kh, kw] : asPair(o.stride, 1);
  const [pt, pb, pl, pr] = refPads(o.padding, H, W, [sh, sw], [kh, kw]);
  const OH = Math.floor((H + pt + pb - kh) / sh) + 1;
  const OW = Math.floor((W + pl + pr - kw) / sw) + 1;
  const y = new Float64Array(N * OH * OW * C);
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let sum = 0;
          let count = 0;
          for (let i = 0; i < kh; i++)
            for (let j = 0; j < kw; j++) {
              const ih = oh * sh - pt + i;
              const iw = ow * sw - pl + j;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              const v = x[((n * H + ih) * W + iw) * C + c];
              best = Math.max(best, v);
              sum += v;
              count++;
            }
          y[((n * OH + oh) * OW + ow) * C + c] = isMax ? best : sum / count;
        }
  return { y, shape: [N, OH, OW, C] };
}

const convCases: [string, number[], number[], tn.Conv2dOptions][] = [
  ['3x3 same', [2, 7, 6, 3], [3, 3, 3, 4], { padding: 'same' }],
  ['3x3 valid', [2, 7, 6, 3], [3, 3, 3, 5], {}],
  ['stride 2 same (asymmetric pads)', [2, 8, 9, 2], [3, 3, 2, 3], { stride: 2, padding: 'same' }],
  ['even kernel same (pad at the end)', [1, 6, 6, 2], [2, 2, 2, 2], { padding: 'same' }],
  ['dilation 2, padding [2, 1]', [2, 9, 8, 3], [3, 3, 3, 4], { dilation: 2, padding: [2, 1] }],
  ['dilation [2, 1] same, stride [1, 2]', [1, 9, 10, 2], [3, 2, 2, 3], { dilation: [2, 1], stride: [1, 2], padding: 'same' }],
  ['non-square kernel 2x5, stride [3, 1]', [1, 7, 9, 1], [2, 5, 1, 2], { stride: [3, 1], padding: 1 }],
  ['1x1 pointwise', [3, 5, 4, 6], [1, 1, 6, 7], {}],
  ['1x1 stride 2', [2, 5, 5, 3], [1, 1, 3, 2], { stride: 2 }],
  ['stride larger than kernel', [2, 7, 7, 2], [2, 2, 2, 3], { stride: 3 }],
  ['kernel as large as input', [2, 4, 5, 3], [4, 5, 3, 2], {}],
  ['batch of 5, odd sizes', [5, 5, 3, 4], [3, 3, 4, 3], { padding: 'same', stride: 2 }],
];

describe('conv2d forward', () => {
  test.each(convCases)('%s', async (_name, xs, ws, options) => {
    const xd = randomArray(sizeOf(xs), 11);
    const wd = randomArray(sizeOf(ws), 12);
    const y = tn.conv2d(tn.tensor(xd, xs), tn.tensor(wd, ws), options);
    const ref = refConv2d(xd, xs, wd, ws, options);
    expect(y.shape).toEqual(ref.shape);
    expectClose(await y.data(), ref.y, 1e-4, 1e-5);
  });

  test("'same' keeps ceil(size / stride)", () => {
    const y = tn.conv2d(tn.zeros([1, 11, 8, 2]), tn.zeros([4, 3, 2, 3]), { padding: 'same', stride: [2, 3] });
    expect(y.shape).toEqual([1, 6, 3, 3]);
  });
});

describe('conv2d gradients', () => {
  test.each(convCases.filter(([name]) => !name.startsWith('batch')))('%s', async (_name, xs, ws, options) => {
    await checkGradients(([x, w]) => tn.conv2d(x, w, options), [{ shape: xs }, { shape: ws }], { eps: 1e-2 });
  });

  test('only the inputs that require grad get one', () => {
    const x = tn.tensor(randomArray(2 * 5 * 5 * 2, 3), [2, 5, 5, 2]);
    const w = tn.tensor(randomArray(3 * 3 * 2 * 4, 4), [3, 3, 2, 4], { requiresGrad: true });
    tn.conv2d(x, w, { padding: 'same' }).backward(tn.ones([2, 5, 5, 4]));
    expect(x.grad).toBeFalsy();
    expect(w.grad?.shape).toEqual([3, 3, 2, 4]);
  });
});

// Large enough that the CPU kernel splits rows into several L2-sized tasks per thread (task edges fall inside images).
describe('conv2d on larger shapes', () => {
  const cases: [string, number[], number[], tn.Conv2dOptions][] = [
    ['batch 3, 64 channels, same', [3, 20, 30, 64], [3, 3, 64, 8], { padding: 'same' }],
    ['batch 1, stride 2, dilation 2', [1, 25, 40, 48], [3, 3, 48, 6], { stride: 2, dilation: 2, padding: 'same' }],
  ];
  test.each(cases)('%s: forward matches the reference; backward is the adjoint of forward', async (_name, xs, ws, options) => {
    const xd = randomArray(sizeOf(xs), 51);
    const wd = randomArray(sizeOf(ws), 52);
    const x = tn.tensor(xd, xs, { requiresGrad: true });
    const w = tn.tensor(wd, ws, { requiresGrad: true });
    const y = tn.conv2d(x, w, options);
    const ref = refConv2d(xd, xs, wd, ws, options);
    expectClose(await y.data(), ref.y, 1e-4, 1e-4);
    // y is linear in x and in w, so <dy, y> = <x, dx> = <w, dw> for the gradients of sum(y * dy).
    const dyd = randomArray(y.size, 53);
    y.backward(tn.tensor(dyd, y.shape));
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((acc, v, i) => acc + v * b[i], 0);
    const expected = dot(ref.y, dyd);
    expect(Math.abs(dot(xd, await x.grad!.data()) - expected)).toBeLessThan(1e-3 * Math.abs(expected) + 1e-2);
    expect(Math.abs(dot(wd, await w.grad!.data()) - expected)).toBeLessThan(1e-3 * Math.abs(expected) + 1e-2);
  });
});

const poolCases: [string, number[], tn.Pool2dOptions][] = [
  ['2x2 default stride', [2, 6, 6, 3], { kernelSize: 2 }],
  ['3x3 stride 2 same (odd input)', [1, 7, 9, 4], { kernelSize: 3, stride: 2, padding: 'same' }],
  ['3x2 stride [1, 2] padding [1, 1]', [3, 5, 8, 2], { kernelSize: [3, 2], stride: [1, 2], padding: [1, 1] }],
  ['overlapping 3x3 stride 1 same', [2, 5, 5, 3], { kernelSize: 3, stride: 1, padding: 'same' }],
  ['stride larger than window', [2, 7, 7, 2], { kernelSize: 2, stride: 3 }],
];

describe.each([
  ['maxPool2d', tn.maxPool2d, true],
  ['avgPool2d', tn.avgPool2d, false],
] as const)('%s', (_name, pool, isMax) => {
  test.each(poolCases)('forward: %s', async (_case, xs, options) => {
    const xd = randomArray(sizeOf(xs), 21);
    const y = pool(tn.tensor(xd, xs), options);
    const ref = refPool(xd, xs, options, isMax);
    expect(y.shape).toEqual(ref.shape);
    expectClose(await y.data(), ref.y, 1e-5, 1e-6);
  });

  test.each(poolCases)('gradient: %s', async (_case, xs, options) => {
    // Distinct values at least 0.05 apart (shuffled), so a finite-difference step never changes which element is the max.
    const n = sizeOf(xs);
    const order = Array.from(randomArray(n, 31), (r, i) => [r, i]).sort((a, b) => a[0] - b[0]);
    const data = new Float32Array(n);
    order.forEach(([, i], rank) => (data[i] = (rank - n / 2) * 0.05));
    await checkGradients(([x]) => pool(x, options), [{ shape: xs, data }], { eps: 1e-2 });
  });
});

describe('pool semantics', () => {
  test('maxPool2d: ties send the gradient to the first maximum in the window, once', async () => {
    const x = tn.tensor([5, 5, 5, 1], [1, 2, 2, 1], { requiresGrad: true });
    tn.maxPool2d(x, { kernelSize: 2 }).backward(tn.tensor([3], [1, 1, 1, 1]));
    expect(Array.from(await x.grad!.data())).toEqual([3, 0, 0, 0]);
  });

  test('maxPool2d: padding never wins over negative inputs', async () => {
    const y = tn.maxPool2d(tn.tensor([-4, -3, -2, -1], [1, 2, 2, 1]), { kernelSize: 3, stride: 1, padding: 1 });
    expect(Array.from(await y.data())).toEqual([-1, -1, -1, -1]);
  });

  test('avgPool2d: border windows divide by their in-bounds count', async () => {
    const y = tn.avgPool2d(tn.tensor([1, 2, 3, 4], [1, 2, 2, 1]), { kernelSize: 2, stride: 1, padding: 'same' });
    // windows: {1,2,3,4}, {2,4}, {3,4}, {4}
    expectClose(await y.data(), [2.5, 3, 3.5, 4]);
  });
});

describe('argument errors (thrown synchronously)', () => {
  const x = tn.tensor(randomArray(2 * 5 * 5 * 3, 41), [2, 5, 5, 3]);
  const w = tn.tensor(randomArray(3 * 3 * 3 * 4, 42), [3, 3, 3, 4]);

  test('conv2d: wrong rank', () => {
    expect(() => tn.conv2d(tn.zeros([5, 5, 3]), w)).toThrow(tn.ShapeError);
    expect(() => tn.conv2d(tn.zeros([5, 5, 3]), w)).toThrow(/conv2d: argument 'x' must have rank 4, got shape \[5,5,3\]/);
    expect(() => tn.conv2d(x, tn.zeros([4, 3, 3]))).toThrow(/argument 'filter' must have rank 4/);
  });

  test('conv2d: channel mismatch names both shapes', () => {
    expect(() => tn.conv2d(x, tn.zeros([3, 3, 2, 4]))).toThrow(tn.ShapeError);
    expect(() => tn.conv2d(x, tn.zeros([3, 3, 2, 4]))).toThrow(/'filter' \[3,3,2,4\] expects 2 input channels .* 'x' \[2,5,5,3\] has 3/);
  });

  test('conv2d: bad padding', () => {
    expect(() => tn.conv2d(x, w, { padding: 'full' as tn.Padding })).toThrow(tn.ValueError);
    expect(() => tn.conv2d(x, w, { padding: 'full' as tn.Padding })).toThrow(/'padding' must be 'valid', 'same'/);
    expect(() => tn.conv2d(x, w, { padding: -1 })).toThrow(tn.ValueError);
    expect(() => tn.conv2d(x, w, { padding: [1, 2, 3] as unknown as tn.Padding })).toThrow(tn.ValueError);
  });

  test('conv2d: kernel larger than the padded input', () => {
    expect(() => tn.conv2d(x, tn.zeros([7, 3, 3, 1]))).toThrow(tn.ShapeError);
    expect(() => tn.conv2d(x, tn.zeros([7, 3, 3, 1]))).toThrow(/larger than the padded input 5x5/);
    expect(() => tn.conv2d(x, w, { dilation: 3 })).toThrow(/extent 7x7/);
    expect(() => tn.conv2d(x, tn.zeros([7, 3, 3, 1]), { padding: 1 })).not.toThrow();
  });

  test('conv2d: non-positive or fractional stride and dilation', () => {
    expect(() => tn.conv2d(x, w, { stride: -1 })).toThrow(tn.ValueError);
    expect(() => tn.conv2d(x, w, { stride: 0 })).toThrow(/'stride' must be an integer >= 1/);
    expect(() => tn.conv2d(x, w, { stride: [1, 1.5] })).toThrow(tn.ValueError);
    expect(() => tn.conv2d(x, w, { dilation: 0 })).toThrow(/'dilation'/);
  });

  test('conv2d: dtype and argument kind', () => {
    expect(() => tn.conv2d(tn.zeros([2, 5, 5, 3], { dtype: 'int32' }), w)).toThrow(tn.DTypeError);
    expect(() => tn.conv2d(x, null as unknown as tn.Tensor)).toThrow(tn.ValueError);
  });

  test('pools: rank, window, padding and stride checks', () => {
    expect(() => tn.maxPool2d(tn.zeros([5, 5, 3]), { kernelSize: 2 })).toThrow(tn.ShapeError);
    expect(() => tn.avgPool2d(x, { kernelSize: 6 })).toThrow(/avgPool2d: the 6x6 window .* larger than the padded input 5x5/);
    expect(() => tn.maxPool2d(x, { kernelSize: 2, padding: 2 })).toThrow(/must be smaller than the 2x2 window/);
    expect(() => tn.maxPool2d(x, { kernelSize: 2, stride: -2 })).toThrow(tn.ValueError);
    expect(() => tn.maxPool2d(x, { kernelSize: 0 })).toThrow(/'kernelSize' must be an integer >= 1/);
    expect(() => tn.avgPool2d(x, { kernelSize: 2, padding: 'SAME' as tn.Padding })).toThrow(tn.ValueError);
    expect(() => tn.maxPool2d(x, undefined as unknown as tn.Pool2dOptions)).toThrow(tn.ValueError);
  });
});
