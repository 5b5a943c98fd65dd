// Differential tests against tfjs: conv3dTranspose (NDHWC) forward; gradients by finite differences (tfjs has none);
// its argument checks.
import * as tn from '../../lib';
import { checkGradients } from '../helpers/gradcheck';
import { compareWithTfjs, expectBothThrow, f32, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];

describe('conv3dTranspose vs tfjs', () => {
  test.each<Case>([
    ['valid, stride 1', { inputs: [f32([2, 3, 2, 3, 3]), f32([2, 2, 2, 2, 3])], fn: (m, x, f) => m.conv3dTranspose(x, f, [2, 4, 3, 4, 2], 1, 'valid') }],
    ['valid, strides [2, 1, 2]', { inputs: [f32([1, 3, 3, 2, 2]), f32([3, 2, 2, 3, 2])], fn: (m, x, f) => m.conv3dTranspose(x, f, [1, 7, 4, 4, 3], [2, 1, 2], 'valid') }],
    ['same, stride 2', { inputs: [f32([2, 2, 3, 2, 1]), f32([3, 3, 2, 2, 1])], fn: (m, x, f) => m.conv3dTranspose(x, f, [2, 4, 6, 4, 2], 2, 'same') }],
    ['same, odd output (extra padding at the back)', { inputs: [f32([1, 2, 2, 2, 2]), f32([2, 3, 2, 1, 2])], fn: (m, x, f) => m.conv3dTranspose(x, f, [1, 3, 3, 3, 1], 2, 'same') }],
    ['stride larger than the kernel', { inputs: [f32([1, 3, 2, 2, 1]), f32([2, 1, 2, 2, 1])], fn: (m, x, f) => m.conv3dTranspose(x, f, [1, 9, 4, 6, 2], 3, 'valid') }],
    ['rank 4 input, outputShape without N', { inputs: [f32([2, 3, 2, 2]), f32([2, 2, 2, 3, 2])], fn: (m, x, f) => m.conv3dTranspose(x, f, [3, 4, 3, 3], 1, 'valid') }],
  ])('%s', (_name, c) => compareWithTfjs({ ...c, grads: false }));

  // tfjs registers no gradient for conv3dTranspose (Conv3DBackpropInputV2): ours are checked by finite differences.
  test.each([
    ['valid, strides [2, 1, 2]', [1, 3, 3, 2, 2], [3, 2, 2, 3, 2], [1, 7, 4, 4, 3], [2, 1, 2], 'valid'],
    ['same, stride 2', [1, 2, 3, 2, 1], [3, 3, 2, 2, 1], [1, 4, 6, 4, 2], 2, 'same'],
  ] as [string, number[], number[], number[], number | [number, number, number], 'valid' | 'same'][])('gradients by finite differences: %s', async (_n, xs, fs, out, st, p) => {
    await checkGradients(([x, f]) => tn.conv3dTranspose(x, f, out, st, p), [{ shape: xs }, { shape: fs }]);
  });

  // Also a regression test: conv2d's reordered constant filter must outlive the scope while x's gradient needs it.
  test('is the input gradient of conv3d (same geometry)', () => {
    const x = tn.randomNormal([1, 5, 4, 5, 2], 0, 1, 'float32', 3);
    const f = tn.randomNormal([3, 2, 3, 2, 3], 0, 1, 'float32', 4);
    const dy = tn.randomNormal([1, 3, 2, 3, 3], 0, 1, 'float32', 5);
    const g = tn.grad((v: tn.Tensor) => tn.sum(tn.mul(tn.conv3d(v, f, 2, 'same'), dy)))(x);
    const t = tn.conv3dTranspose(dy, f, [1, 5, 4, 5, 2], 2, 'same');
    const a = g.dataSync();
    const b = t.dataSync();
    expect(t.shape).toEqual(g.shape);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 4);
  });

  test('bad arguments throw typed errors', () => {
    // tfjs asserts the filter's depths against x and outputShape; so do we (ShapeError).
    expect(() => tn.conv3dTranspose(tn.zeros([1, 2, 2, 2, 3]), tn.zeros([2, 2, 2, 1, 2]), [1, 3, 3, 3, 1], 1, 'valid')).toThrow(tn.ShapeError);
    expect(() => tn.conv3dTranspose(tn.zeros([1, 2, 2, 2, 2]), tn.zeros([2, 2, 2, 1, 2]), [1, 3, 3, 3, 4], 1, 'valid')).toThrow(/outputShape depth/);
    expect(() => tn.conv3dTranspose(tn.zeros([1, 2, 2, 2, 2]), tn.zeros([2, 2, 2, 1, 2]), [1, 5, 3, 3, 1], 1, 'valid')).toThrow(/maps outputShape \[1,5,3,3,1\] to \[4,2,2\]/);
    expect(() => tn.conv3dTranspose(tn.zeros([1, 2, 2, 2, 2]), tn.zeros([2, 2, 2, 1, 2]), [1, 3, 3, 3, 1], 1, 'full' as never)).toThrow(tn.ValueError);
    expect(() => tn.conv3dTranspose(tn.zeros([2, 2, 2]), tn.zeros([2, 2, 2, 1, 2]), [3, 3, 3, 1], 1, 'valid')).toThrow(tn.ShapeError);
    expectBothThrow([f32([1, 2, 2, 2, 2]), f32([2, 2, 2, 1])], (m, x, f) => m.conv3dTranspose(x, f, [1, 3, 3, 3, 1], 1, 'valid'), tn.ShapeError);
  });
});
