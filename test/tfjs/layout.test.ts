// Differential tests against tfjs: layout and indexing ops (stack ... oneHot), forward and gradients.
import * as tn from '../../lib';
import { checkGradients } from '../helpers/gradcheck';
import { bool, compareWithTfjs, expectBothThrow, f32, i32, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));

describe('shape ops vs tfjs', () => {
  run([
    ['stack axis 0', { inputs: [f32([2, 3]), f32([2, 3]), f32([2, 3])], fn: (m, a, b, c) => m.stack([a, b, c]) }],
    ['stack axis -1', { inputs: [f32([2, 3]), f32([2, 3])], fn: (m, a, b) => m.stack([a, b], -1) }],
    ['stack bool', { inputs: [bool([4]), bool([4])], fn: (m, a, b) => m.stack([a, b], 1) }],
    ['unstack axis 1', { inputs: [f32([2, 3, 2])], fn: (m, x) => m.unstack(x, 1) }],
    ['split into 3', { inputs: [f32([2, 6])], fn: (m, x) => m.split(x, 3, 1) }],
    ['split sizes with -1', { inputs: [f32([7, 2])], fn: (m, x) => m.split(x, [2, -1, 1]) }],
    ['squeeze all', { inputs: [f32([1, 3, 1, 2])], fn: (m, x) => m.squeeze(x) }],
    ['squeeze listed', { inputs: [f32([1, 3, 1, 2])], fn: (m, x) => m.squeeze(x, [2]) }],
    ['expandDims', { inputs: [f32([3, 2])], fn: (m, x) => [m.expandDims(x), m.expandDims(x, 1), m.expandDims(x, -1)] }],
    ['tile', { inputs: [f32([2, 3])], fn: (m, x) => m.tile(x, [2, 3]) }],
    ['tile int32', { inputs: [i32([2, 2])], fn: (m, x) => m.tile(x, [1, 3]) }],
    ['reverse all', { inputs: [f32([2, 3, 4])], fn: (m, x) => m.reverse(x) }],
    ['reverse axes', { inputs: [f32([2, 3, 4])], fn: (m, x) => m.reverse(x, [0, 2]) }],
    ['reverse bool', { inputs: [bool([5])], fn: (m, x) => m.reverse(x) }],
    // tfjs's mirrorPad gradient is only the unpadded slice of dy (it drops the mirrored copies): forward vs tfjs,
    // the gradient (which counts every copy) against finite differences below.
    ['mirrorPad reflect', { inputs: [f32([3, 4])], fn: (m, x) => m.mirrorPad(x, [[2, 1], [1, 3]], 'reflect'), grads: false }],
    ['mirrorPad symmetric', { inputs: [f32([3, 4])], fn: (m, x) => m.mirrorPad(x, [[3, 0], [2, 4]], 'symmetric'), grads: false }],
  ]);
  test('mirrorPad gradient by finite differences', async () => {
    await checkGradients(([x]) => tn.mirrorPad(x, [[2, 1], [1, 3]], 'reflect'), [{ shape: [3, 4] }]);
    await checkGradients(([x]) => tn.mirrorPad(x, [[3, 0], [2, 4]], 'symmetric'), [{ shape: [3, 4] }]);
  });
});

describe('indexing ops vs tfjs', () => {
  run([
    ['gather axis 0 (repeats accumulate)', { inputs: [f32([5, 3]), i32([6], [0, 5])], fn: (m, x, i) => m.gather(x, i) }],
    ['gather axis 1, 2-D indices', { inputs: [f32([2, 5, 3]), i32([2, 3], [0, 5])], fn: (m, x, i) => m.gather(x, i, 1) }],
    ['gather with an array', { inputs: [f32([4, 2])], fn: (m, x) => m.gather(x, [3, 1, 1]) }],
    ['gather int32', { inputs: [i32([6]), i32([4], [0, 6])], fn: (m, x, i) => m.gather(x, i) }],
    // tfjs has no gradient for gatherND/scatterND, and its cumsum gradient breaks on a non-last axis: those gradients
    // are checked by finite differences below.
    ['gatherND', { inputs: [f32([3, 4, 2]), i32([5, 2], [0, 3])], fn: (m, x, i) => m.gatherND(x, i), grads: false }],
    ['gatherND full index', { inputs: [f32([3, 4]), i32([2, 3, 2], [0, 3])], fn: (m, x, i) => m.gatherND(x, i), grads: false }],
    ['scatterND (duplicates sum)', { inputs: [i32([4, 1], [0, 1], { data: [4, 3, 1, 3] }), f32([4, 2])], fn: (m, i, u) => m.scatterND(i, u, [6, 2]), grads: false }],
    ['scatterND 2-D tuples', { inputs: [i32([3, 2], [0, 1], { data: [0, 1, 2, 2, 0, 1] }), f32([3])], fn: (m, i, u) => m.scatterND(i, u, [3, 3]), grads: false }],
    ['cumsum axis 0', { inputs: [f32([3, 4])], fn: (m, x) => m.cumsum(x), grads: false }],
    ['cumsum axis 1', { inputs: [f32([3, 4])], fn: (m, x) => m.cumsum(x, 1) }],
    ['cumsum exclusive reverse', { inputs: [f32([3, 4])], fn: (m, x) => m.cumsum(x, 1, true, true) }],
    ['cumsum exclusive', { inputs: [f32([5])], fn: (m, x) => m.cumsum(x, 0, true, false) }],
    ['cumsum int32', { inputs: [i32([3, 4], [-5, 5])], fn: (m, x) => m.cumsum(x, 1) }],
    ['topk', { inputs: [f32([3, 6])], fn: (m, x) => { const r = m.topk(x, 3); return [r.values, r.indices]; } }],
    ['topk ties by index', { inputs: [f32([2, 4], [0, 1], { data: [1, 2, 2, 1, 5, 5, 5, 5] })], fn: (m, x) => { const r = m.topk(x, 3); return [r.values, r.indices]; }, grads: false }],
    ['topk int32', { inputs: [i32([8], [-20, 20])], fn: (m, x) => { const r = m.topk(x, 4); return [r.values, r.indices]; } }],
    ['oneHot', { inputs: [i32([2, 3], [0, 4])], fn: (m, i) => m.oneHot(i, 4) }],
    ['oneHot on/off', { inputs: [i32([5], [0, 3])], fn: (m, i) => m.oneHot(i, 3, 5, -2) }],
    ['oneHot float32', { inputs: [i32([5], [0, 3])], fn: (m, i) => m.oneHot(i, 3, 0.9, 0.05, 'float32') }],
    ['where + gather chain', { inputs: [f32([4, 3]), i32([2], [0, 4])], fn: (m, x, i) => m.gather(m.where(m.greater(x, 0), x, m.mul(x, 0.1)), i), grads: false }],
  ]);
  test('gatherND / scatterND / cumsum / where gradients by finite differences', async () => {
    const idx = tn.tensor([[0, 1], [2, 3], [0, 1], [1, 0]], undefined, { dtype: 'int32' });
    await checkGradients(([x]) => tn.gatherND(x, idx), [{ shape: [3, 4, 2] }]);
    await checkGradients(([u]) => tn.scatterND(idx, u, [3, 4, 2]), [{ shape: [4, 2] }]);
    await checkGradients(([x]) => tn.cumsum(x, 0, true, true), [{ shape: [4, 3] }]);
    await checkGradients(([x]) => tn.cumsum(x, 1), [{ shape: [2, 5] }]);
    const cond = tn.tensor([true, false, true]);
    await checkGradients(([a, b]) => tn.where(cond, a, b), [{ shape: [2, 3] }, { shape: [3] }]);
  });
  test('bad indices and arguments throw typed errors', () => {
    expect(() => tn.gather(tn.ones([3]), [3]).dataSync()).toThrow(/gather: index 3 at position 0 is outside \[0, 3\)/);
    expect(() => tn.gather(tn.ones([3]), tn.ones([2]))).toThrow(tn.DTypeError);
    expectBothThrow([f32([4])], (m, x) => m.split(x, 3), tn.ValueError, /split: 'numOrSizeSplits' 3/);
    expectBothThrow([f32([2, 3])], (m, x) => m.squeeze(x, [1]), tn.ShapeError, /squeeze: dim 1/);
    expectBothThrow([f32([2, 3])], (m, x) => m.tile(x, [2]), tn.ValueError, /tile: 'reps'/);
    expectBothThrow([f32([3])], (m, x) => m.mirrorPad(x, [[3, 0]], 'reflect'), tn.ValueError, /mirrorPad: paddings\[0\]/);
    expectBothThrow([f32([2, 3]), f32([3, 3])], (m, a, b) => m.stack([a, b]), tn.ShapeError, /stack: tensors\[1\]/);
    expect(() => tn.topk(tn.ones([3]), 4)).toThrow(/topk: 'k' must be in \[0, 3\]/);
    expect(() => tn.oneHot(tn.ones([2]), 3)).toThrow(tn.DTypeError);
    expect(() => tn.scatterND(tn.tensor([[0]], undefined, { dtype: 'int32' }), tn.ones([2]), [3])).toThrow(/scatterND: 'updates' has shape \[2\], expected \[1\]/);
  });
});

describe('reductions and statistics vs tfjs', () => {
  run([
    ['argMax default axis 0', { inputs: [f32([4, 3])], fn: (m, x) => [m.argMax(x), m.argMax(x, 1), m.argMax(x, -1)] }],
    ['argMin', { inputs: [f32([4, 3])], fn: (m, x) => [m.argMin(x), m.argMin(x, 1)] }],
    ['argMax int32', { inputs: [i32([5], [-9, 9])], fn: (m, x) => m.argMax(x) }],
    ['prod', { inputs: [f32([3, 4], [0.5, 1.5])], fn: (m, x) => [m.prod(x), m.prod(x, 1), m.prod(x, 0, true)] }],
    ['prod int32', { inputs: [i32([3, 3], [-3, 4])], fn: (m, x) => m.prod(x, 1) }],
    ['all / any', { inputs: [bool([3, 4])], fn: (m, x) => [m.all(x), m.any(x), m.all(x, 1), m.any(x, 0, true)] }],
    ['logSumExp', { inputs: [f32([3, 4], [-5, 5])], fn: (m, x) => [m.logSumExp(x), m.logSumExp(x, 1), m.logSumExp(x, 0, true)] }],
    ['moments', { inputs: [f32([3, 4, 2])], fn: (m, x) => { const r = m.moments(x, [0, 1]); return [r.mean, r.variance]; } }],
    ['moments keepDims', { inputs: [f32([3, 4])], fn: (m, x) => { const r = m.moments(x, 1, true); return [r.mean, r.variance]; } }],
    ['norm euclidean', { inputs: [f32([3, 4])], fn: (m, x) => [m.norm(x), m.norm(x, 'euclidean', 1)] }],
    ['norm 1 / inf', { inputs: [f32([3, 4])], fn: (m, x) => [m.norm(x, 1, 1), m.norm(x, Infinity, 0), m.norm(x, -Infinity, 1, true)], rtol: 2e-5 }],
    ['norm matrix', { inputs: [f32([3, 4])], fn: (m, x) => [m.norm(x, 'fro', [0, 1]), m.norm(x, 1, [0, 1]), m.norm(x, Infinity, [0, 1])] }],
    ['sum/mean/max keepDims', { inputs: [f32([2, 3, 4])], fn: (m, x) => [m.sum(x, [0, 2], true), m.mean(x, 1), m.max(x, -1), m.min(x, [0, 1])] }],
  ]);
  test('all/any need bool; norm rejects int32', () => {
    expectBothThrow([f32([3])], (m, x) => m.all(x), tn.DTypeError, /all: argument 'x' must be bool/);
    expectBothThrow([i32([3])], (m, x) => m.any(x), tn.DTypeError, /any: argument 'x' must be bool/);
    expectBothThrow([f32([3])], (m, x) => m.norm(x, 3), tn.ValueError, /norm: vector norm ord/);
  });
});
