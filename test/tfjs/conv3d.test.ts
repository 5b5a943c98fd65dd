// Differential tests against tfjs: conv3d, maxPool3d, avgPool3d (NDHWC), forward and gradients.
import * as tn from '../../lib';
import { checkGradients } from '../helpers/gradcheck';
import { compareWithTfjs, expectBothThrow, f32, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));

describe('conv3d vs tfjs', () => {
  run([
    ['valid', { inputs: [f32([2, 4, 5, 5, 2]), f32([2, 3, 2, 2, 3])], fn: (m, x, f) => m.conv3d(x, f, 1, 'valid') }],
    ['same, strides [2, 1, 2]', { inputs: [f32([1, 5, 6, 5, 2]), f32([3, 2, 3, 2, 2])], fn: (m, x, f) => m.conv3d(x, f, [2, 1, 2], 'same') }],
    ['rank 4 input', { inputs: [f32([4, 4, 4, 1]), f32([2, 2, 2, 1, 2])], fn: (m, x, f) => m.conv3d(x, f, 2, 'valid') }],
    // tfjs computes no conv3d gradient for dilations > 1: forward only here, finite differences below.
    ['dilations 2, same', { inputs: [f32([1, 6, 5, 6, 1]), f32([2, 2, 2, 1, 2])], fn: (m, x, f) => m.conv3d(x, f, 1, 'same', 'NDHWC', 2), grads: false }],
  ]);
  test('dilated gradient by finite differences', async () => {
    await checkGradients(([x, f]) => tn.conv3d(x, f, 1, 'same', 'NDHWC', [2, 1, 2]), [{ shape: [1, 4, 3, 4, 1] }, { shape: [2, 2, 2, 1, 2] }]);
  });
  test('bad arguments throw', () => {
    expectBothThrow([f32([1, 3, 3, 3, 2]), f32([2, 2, 2, 3, 1])], (m, x, f) => m.conv3d(x, f, 1, 'valid'), tn.ShapeError, /input channels/);
    expectBothThrow([f32([1, 4, 4, 4, 1]), f32([2, 2, 2, 1, 1])], (m, x, f) => m.conv3d(x, f, 2, 'valid', 'NDHWC', 2), tn.ValueError, /either strides or dilations/);
  });
});

describe('3-D pooling vs tfjs', () => {
  // With padding, tfjs's CPU gradients disagree with its own forward (AvgPool3DGrad divides by the full window,
  // MaxPool3DGrad misplaces maxima of padded windows): forward only there; those gradients by finite differences.
  run([
    ['maxPool3d valid', { inputs: [f32([2, 4, 4, 5, 2])], fn: (m, x) => m.maxPool3d(x, 2, 2, 'valid') }],
    ['maxPool3d same', { inputs: [f32([1, 5, 4, 5, 2])], fn: (m, x) => m.maxPool3d(x, [3, 2, 3], [2, 1, 2], 'same'), grads: false }],
    ['maxPool3d rank 4', { inputs: [f32([3, 4, 4, 1])], fn: (m, x) => m.maxPool3d(x, [2, 2, 2], 1, 'valid') }],
    ['avgPool3d valid', { inputs: [f32([2, 4, 5, 4, 2])], fn: (m, x) => m.avgPool3d(x, 2, [2, 2, 1], 'valid') }],
    ['avgPool3d same (padding not counted)', { inputs: [f32([1, 5, 5, 4, 2])], fn: (m, x) => m.avgPool3d(x, [3, 3, 2], [2, 2, 1], 'same'), grads: false }],
    ['avgPool3d explicit pad', { inputs: [f32([1, 4, 4, 4, 1])], fn: (m, x) => m.avgPool3d(x, 3, 1, 1), grads: false }],
  ]);
  test('padded-window gradients by finite differences', async () => {
    await checkGradients(([x]) => tn.maxPool3d(x, [3, 2, 3], [2, 1, 2], 'same'), [{ shape: [1, 5, 4, 5, 1] }]);
    await checkGradients(([x]) => tn.avgPool3d(x, [3, 3, 2], [2, 2, 1], 'same'), [{ shape: [1, 5, 5, 4, 1] }]);
    await checkGradients(([x]) => tn.avgPool3d(x, 3, 1, 1), [{ shape: [1, 3, 3, 3, 1] }]);
  });
  test('NCDHW is refused as in tfjs', () => {
    expectBothThrow([f32([1, 2, 2, 2, 1])], (m, x) => m.maxPool3d(x, 1, 1, 'valid', undefined, 'NCDHW'), tn.ValueError, /NDHWC/);
  });
});
