// Differential tests against tfjs for tf.image beyond resizing: flips, colour conversions, threshold, cropAndResize,
// transform, rotateWithOffset and the non-max-suppression family (sync and async).
import * as tn from '../../lib';
import { checkGradients } from '../helpers/gradcheck';
import { compareWithTfjs, expectBothThrow, f32, i32, tf, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));

describe('flips and colour vs tfjs', () => {
  // tfjs registers no gradient for flipLeftRight: forward only; ours is reverse's.
  run([
    ['flipLeftRight', { inputs: [f32([2, 3, 4, 2])], fn: (m, x) => m.image.flipLeftRight(x), grads: false }],
    ['grayscaleToRGB', { inputs: [f32([2, 3, 4, 1])], fn: (m, x) => m.image.grayscaleToRGB(x) }],
    ['grayscaleToRGB rank 2', { inputs: [f32([5, 1])], fn: (m, x) => m.image.grayscaleToRGB(x) }],
    // tfjs cannot differentiate rgbToGrayscale (no Einsum gradient): ours by finite differences below.
    ['rgbToGrayscale', { inputs: [f32([2, 3, 4, 3], [0, 1])], fn: (m, x) => m.image.rgbToGrayscale(x), grads: false }],
    ['rgbToGrayscale rank 3 int32', { inputs: [i32([4, 5, 3], [0, 256])], fn: (m, x) => m.image.rgbToGrayscale(x) }],
  ]);
  test('gradients by finite differences', async () => {
    await checkGradients(([x]) => tn.image.rgbToGrayscale(x), [{ shape: [2, 3, 3] }]);
    await checkGradients(([x]) => tn.image.flipLeftRight(x), [{ shape: [1, 2, 3, 2] }]);
  });
  test('wrong channel counts and dtypes throw', () => {
    expectBothThrow([i32([1, 2, 5, 1])], (m, x) => m.image.flipLeftRight(x), tn.DTypeError, /float32/);
    expectBothThrow([f32([2, 4]), i32([2])], (m, b, s) => m.image.nonMaxSuppression(b, s, 1), tn.DTypeError, /float32/);
    expectBothThrow([f32([2, 2, 3])], (m, x) => m.image.grayscaleToRGB(x), tn.ShapeError, /last dimension of 1/);
    expectBothThrow([f32([2, 2, 2])], (m, x) => m.image.rgbToGrayscale(x), tn.ShapeError, /last dimension of 3/);
    expectBothThrow([f32([2, 2, 3])], (m, x) => m.image.flipLeftRight(x), tn.ShapeError, /rank 4/);
  });
});

describe('threshold vs tfjs', () => {
  run([
    ['binary rgb float', { inputs: [f32([6, 7, 3], [0, 255])], fn: (m, x) => m.image.threshold(x) }],
    ['binary inverted, 0.3', { inputs: [i32([6, 5, 3], [0, 256])], fn: (m, x) => m.image.threshold(x, 'binary', true, 0.3) }],
    ['binary one channel', { inputs: [f32([5, 5, 1], [0, 255])], fn: (m, x) => m.image.threshold(x, 'binary', false, 0.6) }],
    ['otsu rgb', { inputs: [i32([8, 9, 3], [0, 256])], fn: (m, x) => m.image.threshold(x, 'otsu') }],
    ['otsu one channel, inverted', { inputs: [i32([10, 10, 1], [0, 256])], fn: (m, x) => m.image.threshold(x, 'otsu', true) }],
    ['otsu bimodal', {
      inputs: [i32([4, 6, 1], [0, 1], { data: [10, 12, 11, 200, 210, 205, 9, 13, 199, 201, 202, 14, 10, 11, 12, 198, 220, 215, 30, 25, 190, 180, 20, 22] })],
      fn: (m, x) => m.image.threshold(x, 'otsu'),
    }],
  ]);
});

describe('cropAndResize vs tfjs', () => {
  const boxes = [0.1, 0.2, 0.8, 0.9, 0.5, 0.0, 1.0, 0.5, -0.2, 0.3, 0.6, 1.3, 0.7, 0.6, 0.2, 0.1];
  const boxInputs = () => [f32([2, 6, 7, 3]), f32([4, 4], [0, 1], { data: boxes, grad: false }), i32([4], [0, 2], { data: [0, 1, 1, 0] })];
  run([
    ['bilinear (flipped and out-of-image boxes)', { inputs: boxInputs(), fn: (m, im, b, i) => m.image.cropAndResize(im, b, i, [3, 4]), grads: false }],
    ['bilinear extrapolation value', { inputs: boxInputs(), fn: (m, im, b, i) => m.image.cropAndResize(im, b, i, [5, 2], 'bilinear', -3), grads: false }],
    ['nearest', { inputs: boxInputs(), fn: (m, im, b, i) => m.image.cropAndResize(im, b, i, [4, 3], 'nearest', 0.5), grads: false }],
    ['crop size 1', { inputs: boxInputs(), fn: (m, im, b, i) => m.image.cropAndResize(im, b, i, [1, 1]), grads: false }],
    ['int32 image', { inputs: [i32([1, 4, 4, 1], [0, 100]), f32([1, 4], [0, 1], { data: [0, 0, 1, 1], grad: false }), i32([1], [0, 1], { data: [0] })], fn: (m, im, b, i) => m.image.cropAndResize(im, b, i, [3, 3]) }],
  ]);
  test('image gradient by finite differences (tfjs has none)', async () => {
    const b = tn.tensor([[0.1, 0.2, 0.8, 0.9], [0.5, 0.0, 1.0, 0.5]]);
    const i = tn.tensor([0, 0], undefined, { dtype: 'int32' });
    await checkGradients(([im]) => tn.image.cropAndResize(im, b, i, [3, 4]), [{ shape: [1, 5, 5, 2] }]);
  });
  test('box indices outside the batch throw (tfjs leaves those crops zero)', () => {
    const im = tn.ones([2, 3, 3, 1]);
    const b = tn.tensor([[0, 0, 1, 1]]);
    expect(() => tn.image.cropAndResize(im, b, tn.tensor([2], undefined, { dtype: 'int32' }), [2, 2])).toThrow(/boxInd\[0\] = 2 is outside \[0, 2\)/);
    expect(() => tn.image.cropAndResize(im, b, tn.tensor([0], undefined, { dtype: 'int32' }), [0, 2])).toThrow(tn.ValueError);
  });
});

describe('transform and rotateWithOffset vs tfjs', () => {
  // tfjs's CPU transform writes only the first image of a batch (it returns inside its batch loop): compared on
  // one image; every image of a batch is transformed here (as TensorFlow does), checked below.
  const T = [0.9, -0.3, 1.2, 0.25, 1.1, -0.8, 0.01, -0.02];
  const cases: [string, string, string][] = [
    ['nearest', 'constant', 'n-c'], ['bilinear', 'constant', 'b-c'], ['nearest', 'reflect', 'n-r'], ['bilinear', 'reflect', 'b-r'],
    ['nearest', 'wrap', 'n-w'], ['bilinear', 'wrap', 'b-w'], ['nearest', 'nearest', 'n-n'], ['bilinear', 'nearest', 'b-n'],
  ];
  run(cases.map(([interp, fill]): Case => [`transform ${interp} ${fill}`, {
    inputs: [f32([1, 6, 7, 2]), f32([1, 8], [0, 1], { data: T })],
    fn: (m, im, t) => m.image.transform(im, t, interp, fill, 0.5),
    grads: false,
  }]));
  run([
    ['transform output shape', { inputs: [f32([1, 5, 5, 1]), f32([1, 8], [0, 1], { data: [1.5, 0, -1, 0, 0.7, 0.5, 0, 0] })], fn: (m, im, t) => m.image.transform(im, t, 'bilinear', 'constant', 0, [4, 8]), grads: false }],
    ['rotateWithOffset', { inputs: [f32([2, 6, 5, 3])], fn: (m, im) => m.image.rotateWithOffset(im, 0.7), grads: false }],
    ['rotateWithOffset fill and centre', { inputs: [f32([1, 7, 6, 2])], fn: (m, im) => m.image.rotateWithOffset(im, -2.1, 0.25, [0.3, 0.6]), grads: false }],
    ['rotateWithOffset rgba fill', { inputs: [f32([1, 5, 5, 4])], fn: (m, im) => m.image.rotateWithOffset(im, 1.3, [10, 20, 30]), grads: false }],
  ]);
  test('a batch: every image gets its own transform', () => {
    const im = tn.randn([2, 4, 5, 1], { seed: 3 });
    const t = tn.tensor([[1, 0, 1, 0, 1, 0, 0, 0], [1, 0, 0, 0, 1, 1, 0, 0]]);
    const out = tn.image.transform(im, t);
    const one = (k: number) => tn.image.transform(tn.slice(im, [k, 0, 0, 0], [1, 4, 5, 1]), tn.slice(t, [k, 0], [1, 8]));
    expect(Array.from(out.dataSync())).toEqual([...one(0).dataSync(), ...one(1).dataSync()]);
  });
  test('image gradients by finite differences (tfjs has none)', async () => {
    const t = tn.tensor([[0.9, -0.3, 1.2, 0.25, 1.1, -0.8, 0.01, -0.02]]);
    await checkGradients(([im]) => tn.image.transform(im, t, 'bilinear', 'reflect'), [{ shape: [1, 4, 5, 2] }]);
    await checkGradients(([im]) => tn.image.rotateWithOffset(im, 0.5), [{ shape: [1, 4, 4, 1] }]);
  });
  test('bad transforms throw', () => {
    expectBothThrow([f32([1, 3, 3, 1]), f32([1, 6])], (m, im, t) => m.image.transform(im, t), tn.ShapeError, /transforms/);
  });
});

describe('non-max suppression vs tfjs', () => {
  // Overlapping boxes (some with swapped corners), scores with a tie.
  const boxes = [0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, -0.1, 1, 0.9, 0, 10, 1, 11, 0, 10.1, 1, 11.1, 1, 101, 0, 100, 0.5, 0.5, 0.7, 0.7, 0.2, 0.2, 0.9, 0.9];
  const scores = [0.9, 0.75, 0.6, 0.95, 0.5, 0.3, 0.6, 0.85];
  const inputs = () => [f32([8, 4], [0, 1], { data: boxes }), f32([8], [0, 1], { data: scores })];
  run([
    ['nonMaxSuppression', { inputs: inputs(), fn: (m, b, s) => m.image.nonMaxSuppression(b, s, 6) }],
    ['nonMaxSuppression iou 0.3, score 0.55', { inputs: inputs(), fn: (m, b, s) => m.image.nonMaxSuppression(b, s, 10, 0.3, 0.55) }],
    ['nonMaxSuppression max 2', { inputs: inputs(), fn: (m, b, s) => m.image.nonMaxSuppression(b, s, 2, 0.9) }],
    ['withScore hard', { inputs: inputs(), fn: (m, b, s) => { const r = m.image.nonMaxSuppressionWithScore(b, s, 8, 0.5); return [r.selectedIndices, r.selectedScores]; }, grads: false }],
    ['withScore soft sigma 0.5', { inputs: inputs(), fn: (m, b, s) => { const r = m.image.nonMaxSuppressionWithScore(b, s, 8, 1, 0.05, 0.5); return [r.selectedIndices, r.selectedScores]; }, grads: false }],
    ['padded', { inputs: inputs(), fn: (m, b, s) => { const r = m.image.nonMaxSuppressionPadded(b, s, 7, 0.4, 0.4, true); return [r.selectedIndices, r.validOutputs]; } }],
    ['padded, no padding', { inputs: inputs(), fn: (m, b, s) => { const r = m.image.nonMaxSuppressionPadded(b, s, 7, 0.4, 0.4); return [r.selectedIndices, r.validOutputs]; } }],
    ['random boxes', {
      inputs: [f32([30, 4], [0, 1]), f32([30], [0, 1])],
      fn: (m, b, s) => { const r = m.image.nonMaxSuppressionWithScore(b, s, 12, 0.2, 0.1, 0.3); return [r.selectedIndices, r.selectedScores]; },
      grads: false,
    }],
  ]);
  test('async versions agree with tfjs', async () => {
    const T = tf();
    const [tb, ts] = [T.tensor2d(boxes, [8, 4]), T.tensor1d(scores)];
    const [nb, ns] = [tn.tensor(boxes, [8, 4]), tn.tensor(scores)];
    const same = (a: tn.Tensor, b: { dtype: string; dataSync(): ArrayLike<number> }) => {
      expect(a.dtype).toBe(b.dtype);
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    };
    same(await tn.image.nonMaxSuppressionAsync(nb, ns, 5, 0.4), await T.image.nonMaxSuppressionAsync(tb, ts, 5, 0.4));
    const [mine, theirs] = [await tn.image.nonMaxSuppressionWithScoreAsync(nb, ns, 6, 0.8, 0, 0.4), await T.image.nonMaxSuppressionWithScoreAsync(tb, ts, 6, 0.8, 0, 0.4)];
    same(mine.selectedIndices, theirs.selectedIndices);
    expect(Array.from(mine.selectedScores.dataSync()).map((v) => v.toFixed(6))).toEqual(Array.from(theirs.selectedScores.dataSync() as Float32Array).map((v) => v.toFixed(6)));
    const [p, q] = [await tn.image.nonMaxSuppressionPaddedAsync(nb, ns, 8, 0.5, 0, true), await T.image.nonMaxSuppressionPaddedAsync(tb, ts, 8, 0.5, 0, true)];
    same(p.selectedIndices, q.selectedIndices);
    same(p.validOutputs, q.validOutputs);
    T.dispose([tb, ts]);
  });
  test('bad arguments throw', () => {
    expectBothThrow([f32([3, 4]), f32([3])], (m, b, s) => m.image.nonMaxSuppression(b, s, 2, 1.5), tn.ValueError, /iouThreshold/);
    expectBothThrow([f32([3, 3]), f32([3])], (m, b, s) => m.image.nonMaxSuppression(b, s, 2), tn.ShapeError, /boxes/);
    expectBothThrow([f32([3, 4]), f32([2])], (m, b, s) => m.image.nonMaxSuppression(b, s, 2), tn.ShapeError, /scores/);
    expectBothThrow([f32([3, 4]), f32([3])], (m, b, s) => m.image.nonMaxSuppressionWithScore(b, s, 2, 0.5, 0, 2), tn.ValueError, /softNmsSigma/);
  });
});
