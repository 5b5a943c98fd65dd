// Differential tests against tfjs for tf.linalg (bandPart, gramSchmidt, qr) and tf.signal (frame, hannWindow,
// hammingWindow), forward and gradients.
import * as tn from '../../lib';
import { checkGradients, expectClose } from '../helpers/gradcheck';
import { compareWithTfjs, expectBothThrow, f32, i32, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));

describe('tf.linalg vs tfjs', () => {
  // tfjs cannot differentiate bandPart (its stack/unstack gradient) nor qr (Greater has no gradient): forward here,
  // gradients by finite differences below.
  run([
    ['bandPart 1, 2', { inputs: [f32([4, 5])], fn: (m, a) => m.linalg.bandPart(a, 1, 2), grads: false }],
    ['bandPart lower triangle (-1, 0)', { inputs: [f32([5, 4])], fn: (m, a) => m.linalg.bandPart(a, -1, 0), grads: false }],
    ['bandPart batched, upper (0, -1)', { inputs: [f32([2, 3, 4, 4])], fn: (m, a) => m.linalg.bandPart(a, 0, -1), grads: false }],
    ['bandPart int32 scalar bounds', { inputs: [f32([4, 4])], fn: (m, a) => m.linalg.bandPart(a, m.scalar(2, 'int32'), m.scalar(-1, 'int32')), grads: false }],
    ['bandPart int32 values', { inputs: [i32([3, 3], [-5, 5])], fn: (m, a) => m.linalg.bandPart(a, 0, 1), grads: false }],
    ['gramSchmidt matrix', { inputs: [f32([3, 4])], fn: (m, x) => m.linalg.gramSchmidt(x), rtol: 1e-4, atol: 1e-5 }],
    ['gramSchmidt list', { inputs: [f32([3]), f32([3])], fn: (m, a, b) => m.linalg.gramSchmidt([a, b]), rtol: 1e-4, atol: 1e-5 }],
    ['qr square', { inputs: [f32([4, 4])], fn: (m, x) => m.linalg.qr(x), rtol: 1e-4, atol: 1e-5, grads: false }],
    ['qr tall', { inputs: [f32([5, 3])], fn: (m, x) => m.linalg.qr(x), rtol: 1e-4, atol: 1e-5, grads: false }],
    ['qr tall full', { inputs: [f32([5, 3])], fn: (m, x) => m.linalg.qr(x, true), rtol: 1e-4, atol: 1e-5, grads: false }],
    ['qr wide', { inputs: [f32([3, 5])], fn: (m, x) => m.linalg.qr(x), rtol: 1e-4, atol: 1e-5, grads: false }],
    ['qr batched square', { inputs: [f32([2, 3, 3])], fn: (m, x) => m.linalg.qr(x), rtol: 1e-4, atol: 1e-5, grads: false }],
  ]);
  test('batched non-square qr (tfjs throws reshaping it) is the per-matrix result', () => {
    const x = tn.randn([2, 5, 3], { seed: 7 });
    const [q, r] = tn.linalg.qr(x);
    expect([q.shape, r.shape]).toEqual([[2, 5, 3], [2, 3, 3]]);
    for (let k = 0; k < 2; k++) {
      const [qk, rk] = tn.linalg.qr(tn.reshape(tn.slice(x, [k, 0, 0], [1, 5, 3]), [5, 3]));
      expectClose(tn.slice(q, [k, 0, 0], [1, 5, 3]).dataSync(), qk.dataSync());
      expectClose(tn.slice(r, [k, 0, 0], [1, 3, 3]).dataSync(), rk.dataSync());
    }
  });
  test('q r reconstructs x and q is orthonormal', () => {
    const x = tn.randn([6, 4], { seed: 9 });
    const [q, r] = tn.linalg.qr(x);
    expectClose(tn.matMul(q, r).dataSync(), x.dataSync(), 1e-4, 1e-5);
    expectClose(tn.matMul(q, q, true, false).dataSync(), tn.eye(4).dataSync(), 1e-4, 1e-5);
  });
  test('bandPart gradient by finite differences', async () => {
    await checkGradients(([a]) => tn.linalg.bandPart(a, 1, 0), [{ shape: [2, 3, 3] }]);
  });
  test('qr gradient by finite differences', async () => {
    await checkGradients(([x]) => tn.add(tn.mul(tn.linalg.qr(x)[0], 2), tn.linalg.qr(x)[1]), [{ shape: [3, 3] }], { rtol: 2e-2, atol: 2e-3, eps: 1e-3 });
  });
  test('bad bounds throw', () => {
    expectBothThrow([f32([3, 3])], (m, a) => m.linalg.bandPart(a, 4, 0), tn.ValueError, /numLower/);
    expectBothThrow([f32([3, 3])], (m, a) => m.linalg.bandPart(a, 0, 1.5), tn.ValueError, /numUpper/);
    expectBothThrow([f32([3])], (m, a) => m.linalg.bandPart(a, 0, 0), tn.ShapeError, /rank >= 2/);
    expectBothThrow([f32([3, 2])], (m, a) => m.linalg.gramSchmidt(a), tn.ValueError, /3 vectors exceed/);
    expectBothThrow([f32([3])], (m, a) => m.linalg.qr(a), tn.ShapeError, /rank >= 2/);
  });
});

describe('tf.signal vs tfjs', () => {
  run([
    ['frame', { inputs: [f32([10])], fn: (m, s) => m.signal.frame(s, 4, 2) }],
    ['frame padEnd', { inputs: [f32([10])], fn: (m, s) => m.signal.frame(s, 4, 3, true, -1) }],
    ['frame step > length', { inputs: [f32([11])], fn: (m, s) => m.signal.frame(s, 2, 4, true) }],
    ['frame too long (no frames)', { inputs: [f32([3])], fn: (m, s) => m.signal.frame(s, 5, 1), grads: false }],
    ['hannWindow even', { inputs: [], fn: (m) => m.signal.hannWindow(8) }],
    ['hannWindow odd', { inputs: [], fn: (m) => m.signal.hannWindow(7) }],
    ['hammingWindow even', { inputs: [], fn: (m) => m.signal.hammingWindow(10) }],
    ['hammingWindow odd', { inputs: [], fn: (m) => m.signal.hammingWindow(5) }],
  ]);
});
