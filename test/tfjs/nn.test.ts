// Differential tests against tfjs: the conv family, pooling, image resizing and normalization ops (values and grads).
import * as tn from '../../lib';
import { checkGradients } from '../helpers/gradcheck';
import { compareWithTfjs, expectBothThrow, f32, i32, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));
const tol = { rtol: 1e-4, atol: 1e-4 };

describe('convolutions vs tfjs', () => {
  run([
    ['conv1d valid', { inputs: [f32([2, 9, 3]), f32([3, 3, 4])], fn: (m, x, w) => m.conv1d(x, w, 1, 'valid'), ...tol }],
    ['conv1d same stride 2 dilation 1', { inputs: [f32([2, 9, 3]), f32([3, 3, 2])], fn: (m, x, w) => m.conv1d(x, w, 2, 'same'), ...tol }],
    // tfjs has no gradient for dilated convolutions: forward here, gradients by finite differences below.
    ['conv1d dilation 2, unbatched', { inputs: [f32([10, 2]), f32([3, 2, 2])], fn: (m, x, w) => m.conv1d(x, w, 1, 'same', 'NWC', 2), ...tol, grads: false }],
    ['conv2dTranspose same stride 2', { inputs: [f32([2, 3, 3, 4]), f32([3, 3, 5, 4])], fn: (m, x, w) => m.conv2dTranspose(x, w, [2, 6, 6, 5], 2, 'same'), ...tol }],
    ['conv2dTranspose valid stride 1', { inputs: [f32([1, 4, 5, 2]), f32([2, 3, 3, 2])], fn: (m, x, w) => m.conv2dTranspose(x, w, [1, 5, 7, 3], 1, 'valid'), ...tol }],
    ['conv2dTranspose unbatched, stride [2, 1]', { inputs: [f32([3, 4, 2]), f32([3, 2, 2, 2])], fn: (m, x, w) => m.conv2dTranspose(x, w, [7, 5, 2], [2, 1], 'valid'), ...tol }],
    ['depthwiseConv2d same', { inputs: [f32([2, 5, 5, 3]), f32([3, 3, 3, 2])], fn: (m, x, w) => m.depthwiseConv2d(x, w, 1, 'same'), ...tol }],
    ['depthwiseConv2d valid stride 2', { inputs: [f32([1, 7, 6, 4]), f32([3, 2, 4, 1])], fn: (m, x, w) => m.depthwiseConv2d(x, w, 2, 'valid'), ...tol }],
    ['depthwiseConv2d dilation 2', { inputs: [f32([1, 7, 7, 2]), f32([3, 3, 2, 2])], fn: (m, x, w) => m.depthwiseConv2d(x, w, 1, 'valid', 'NHWC', 2), ...tol, grads: false }],
    ['separableConv2d', { inputs: [f32([2, 6, 6, 3]), f32([3, 3, 3, 2]), f32([1, 1, 6, 4])], fn: (m, x, d, p) => m.separableConv2d(x, d, p, 1, 'same'), ...tol }],
    ['conv2d explicit padding', { inputs: [f32([1, 5, 5, 2]), f32([3, 3, 2, 3])], fn: (m, x, w) => m.depthwiseConv2d(x, m.slice(w, [0, 0, 0, 0], [3, 3, 2, 1]), 1, [[0, 0], [1, 2], [0, 1], [0, 0]]), ...tol }],
  ]);
  test('dilated conv1d / depthwiseConv2d gradients by finite differences', async () => {
    await checkGradients(([x, w]) => tn.conv1d(x, w, 1, 'same', 'NWC', 2), [{ shape: [1, 7, 2] }, { shape: [3, 2, 2] }]);
    await checkGradients(([x, w]) => tn.depthwiseConv2d(x, w, 1, 'valid', 'NHWC', 2), [{ shape: [1, 5, 5, 2] }, { shape: [2, 2, 2, 2] }]);
  });
});

describe('pooling vs tfjs', () => {
  run([
    ['maxPool valid', { inputs: [f32([2, 6, 6, 3])], fn: (m, x) => m.maxPool(x, 2, 2, 'valid') }],
    ['maxPool same 3x3 stride 2', { inputs: [f32([1, 7, 5, 2])], fn: (m, x) => m.maxPool(x, 3, 2, 'same') }],
    // tfjs's avgPool gradient divides by the full window even where 'same' padding shortened it (its forward does not):
    // forward here, the gradient by finite differences below.
    ['avgPool same', { inputs: [f32([2, 5, 5, 2])], fn: (m, x) => m.avgPool(x, [3, 2], [2, 1], 'same'), ...tol, grads: false }],
    ['avgPool unbatched', { inputs: [f32([6, 4, 3])], fn: (m, x) => m.avgPool(x, 2, 2, 'valid') }],
  ]);
  test('avgPool same gradient by finite differences', async () => {
    await checkGradients(([x]) => tn.avgPool(x, [3, 2], [2, 1], 'same'), [{ shape: [1, 5, 5, 1] }]);
  });
});

describe('image resizing vs tfjs', () => {
  // Forward vs tfjs in every mode; gradients vs tfjs for square bilinear resizes (tfjs's ResizeBilinear gradient swaps
  // H and W on non-square images, and its nearest-neighbour gradient rounds differently from its forward), and by
  // finite differences for all of them below.
  const modes: [string, boolean, boolean][] = [['default', false, false], ['alignCorners', true, false], ['halfPixelCenters', false, true]];
  const cases: Case[] = [];
  for (const [mode, ac, hp] of modes) {
    cases.push([`resizeBilinear up ${mode}`, { inputs: [f32([2, 4, 3, 2])], fn: (m, x) => m.image.resizeBilinear(x, [7, 5], ac, hp), ...tol, grads: false }]);
    // (tfjs's bilinear gradient also ignores halfPixelCenters: that mode's gradient is checked by finite differences only.)
    cases.push([`resizeBilinear square ${mode}`, { inputs: [f32([2, 4, 4, 2])], fn: (m, x) => m.image.resizeBilinear(x, [7, 7], ac, hp), ...tol, grads: !hp }]);
    cases.push([`resizeBilinear down ${mode}`, { inputs: [f32([1, 8, 9, 1])], fn: (m, x) => m.image.resizeBilinear(x, [3, 4], ac, hp), ...tol, grads: false }]);
    cases.push([`resizeNearestNeighbor up ${mode}`, { inputs: [f32([2, 3, 4, 2])], fn: (m, x) => m.image.resizeNearestNeighbor(x, [7, 6], ac, hp), grads: false }]);
    cases.push([`resizeNearestNeighbor down ${mode}`, { inputs: [f32([1, 9, 8, 1])], fn: (m, x) => m.image.resizeNearestNeighbor(x, [4, 3], ac, hp), grads: false }]);
  }
  test.each(modes)('resize gradients by finite differences (%s)', async (_mode, ac, hp) => {
    await checkGradients(([x]) => tn.image.resizeBilinear(x, [5, 4], ac, hp), [{ shape: [1, 3, 4, 1] }]);
    await checkGradients(([x]) => tn.image.resizeBilinear(x, [2, 3], ac, hp), [{ shape: [1, 4, 5, 1] }]);
    await checkGradients(([x]) => tn.image.resizeNearestNeighbor(x, [5, 6], ac, hp), [{ shape: [1, 3, 4, 1] }]);
  });
  cases.push(['resizeNearestNeighbor int32 unbatched', { inputs: [i32([3, 3, 1])], fn: (m, x) => m.image.resizeNearestNeighbor(x, [5, 4]) }]);
  cases.push(['resizeBilinear int32 -> float32', { inputs: [i32([1, 3, 3, 1])], fn: (m, x) => m.image.resizeBilinear(x, [5, 4]) }]);
  run(cases);
});

describe('normalization vs tfjs', () => {
  run([
    ['batchNorm 4-D with scale and offset', { inputs: [f32([2, 3, 3, 4]), f32([4]), f32([4], [0.2, 2]), f32([4]), f32([4])], fn: (m, x, mu, v, o, s) => m.batchNorm(x, mu, v, o, s, 0.01), ...tol }],
    // tfjs's batchNorm gradient fails without scale/offset: forward here, gradients by finite differences below.
    ['batchNorm 2-D without scale/offset', { inputs: [f32([5, 3]), f32([3]), f32([3], [0.2, 2])], fn: (m, x, mu, v) => m.batchNorm(x, mu, v), ...tol, grads: false }],
    ['localResponseNormalization defaults', { inputs: [f32([2, 3, 3, 8])], fn: (m, x) => m.localResponseNormalization(x), ...tol }],
    ['localResponseNormalization radius 2', { inputs: [f32([1, 2, 2, 6])], fn: (m, x) => m.localResponseNormalization(x, 2, 2, 0.5, 0.75), ...tol }],
  ]);
  test('batchNorm without scale/offset: gradients by finite differences', async () => {
    await checkGradients(([x, mu, v]) => tn.batchNorm(x, mu, v), [{ shape: [4, 3] }, { shape: [3] }, { shape: [3], range: [0.3, 2] }]);
  });
});

describe('bad arguments throw typed errors naming op and argument', () => {
  test('conv family', () => {
    expectBothThrow([f32([1, 5, 5, 3]), f32([3, 3, 2, 1])], (m, x, w) => m.depthwiseConv2d(x, w, 1, 'same'), tn.ShapeError, /depthwiseConv2d: 'filter' \[3,3,2,1\] expects 2 input channels/);
    expectBothThrow([f32([9, 3]), f32([3, 2, 4])], (m, x, w) => m.conv1d(x, w, 1, 'valid'), tn.ShapeError, /conv1d: 'filter' \[3,2,4\] \(\[k, inC, outC\]\) expects 2 input channels/);
    expect(() => tn.conv2dTranspose(tn.ones([1, 3, 3, 2]), tn.ones([3, 3, 4, 2]), [1, 9, 9, 4], 1, 'valid')).toThrow(/conv2dTranspose: a 3x3 convolution with strides \[1,1\] and pads \[0,0,0,0\] maps outputShape \[1,9,9,4\] to 7x7/);
    expect(() => tn.maxPool(tn.ones([4, 4]), 2, 2, 'valid')).toThrow(/maxPool: argument 'x' must have rank 3 or 4/);
    expect(() => tn.depthwiseConv2d(tn.ones([1, 4, 4, 1]), tn.ones([2, 2, 1, 1]), 1, 'same', 'NCHW')).toThrow(/depthwiseConv2d: 'dataFormat' must be 'NHWC'/);
    expect(() => tn.image.resizeBilinear(tn.ones([1, 4, 4, 1]), [0, 2])).toThrow(/resizeBilinear: 'size'/);
    expect(() => tn.batchNorm(tn.ones([2, 3]), tn.ones([2, 3, 1]), tn.ones([3]))).toThrow(/batchNorm: 'mean' \[2,3,1\] must have rank 1 or x's rank 2/);
  });
});
