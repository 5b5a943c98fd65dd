// Differential tests against tfjs for the chainable Tensor methods whose form differs from their op (where, stack,
// matMul's positional transposes) and a sweep of the method forms of the tfjs ops: x.op(...) must equal tfjs's.
import { bool, compareWithTfjs, f32, i32, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));
const S = [3, 4];

describe('method forms vs tfjs', () => {
  run([
    ['a.where(cond, b)', { inputs: [f32(S), bool(S), f32(S)], fn: (_m, a, c, b) => a.where(c, b) }],
    ['x.stack(y, 1)', { inputs: [f32(S), f32(S)], fn: (_m, x, y) => x.stack(y, 1) }],
    ['x.stack([y, z])', { inputs: [f32(S), f32(S), f32(S)], fn: (_m, x, y, z) => x.stack([y, z]) }],
    ['x.matMul(y, false, true)', { inputs: [f32([2, 3]), f32([4, 3])], fn: (_m, x, y) => x.matMul(y, false, true) }],
    ['x.matMul(y, true, false)', { inputs: [f32([3, 2]), f32([3, 4])], fn: (_m, x, y) => x.matMul(y, true, false) }],
    ['m.matMul(a, b, true, true)', { inputs: [f32([3, 2]), f32([4, 3])], fn: (m, x, y) => m.matMul(x, y, true, true) }],
    ['x.mod(y)', { inputs: [f32(S, [-5, 5]), f32(S, [0.5, 3])], fn: (_m, x, y) => x.mod(y) }],
    ['x.floorDiv(y) int32', { inputs: [i32(S, [-9, 9]), i32(S, [1, 4])], fn: (_m, x, y) => x.floorDiv(y) }],
    ['x.notEqual(y)', { inputs: [i32(S, [0, 3]), i32(S, [0, 3])], fn: (_m, x, y) => x.notEqual(y) }],
    ['x.logicalAnd(y).logicalNot()', { inputs: [bool(S), bool(S)], fn: (_m, x, y) => x.logicalAnd(y).logicalNot() }],
    ['x.isNaN()', { inputs: [f32(S, [-1, 1], { data: [NaN, 1, 2, Infinity, -Infinity, 0, NaN, 3, 4, 5, 6, 7] })], fn: (_m, x) => x.isNaN() }],
    ['x.floor().sin().erf()', { inputs: [f32(S, [-3, 3])], fn: (_m, x) => x.floor().sin().erf(), rtol: 2e-5, atol: 2e-6 }],
    ['x.prod(1)', { inputs: [f32(S, [0.5, 1.5])], fn: (_m, x) => x.prod(1) }],
    ['x.logSumExp(0, true)', { inputs: [f32(S)], fn: (_m, x) => x.logSumExp(0, true) }],
    ['x.argMax(1) / argMin(0)', { inputs: [f32(S)], fn: (_m, x) => x.argMax(1).add(x.argMin(0).sum()) }],
    ['x.cumsum(1)', { inputs: [f32(S)], fn: (_m, x) => x.cumsum(1) }],
    ['x.norm()', { inputs: [f32(S)], fn: (_m, x) => x.norm() }],
    ['x.squeeze().expandDims(0).tile([2, 1, 1])', { inputs: [f32([1, 3, 4])], fn: (_m, x) => x.squeeze().expandDims(0).tile([2, 1, 1]) }],
    ['x.reverse(1).gather([2, 0], 1)', { inputs: [f32(S)], fn: (_m, x) => x.reverse(1).gather([2, 0], 1) }],
    ['x.split(2, 1)[1]', { inputs: [f32(S)], fn: (_m, x) => x.split(2, 1)[1] }],
    ['x.unstack()[2]', { inputs: [f32(S)], fn: (_m, x) => x.unstack()[2] }],
    ['x.oneHot(5)', { inputs: [i32([4], [0, 5])], fn: (_m, x) => x.oneHot(5) }],
    ['x.zerosLike().add(x.onesLike())', { inputs: [f32(S)], fn: (_m, x) => x.zerosLike().add(x.onesLike()) }],
    ['x.toBool()', { inputs: [f32(S, [-1, 1], { data: [0, 1, -2, 0.5, 0, 0, 3, NaN, 0, 1, 1, 0] })], fn: (_m, x) => x.toBool() }],
    ['x.maxPool(2, 1, "same")', { inputs: [f32([1, 4, 4, 2])], fn: (_m, x) => x.maxPool(2, 1, 'same') }],
    ['x.conv1d(w, 1, "valid")', { inputs: [f32([2, 6, 3]), f32([3, 3, 2])], fn: (_m, x, w) => x.conv1d(w, 1, 'valid'), rtol: 1e-5, atol: 1e-6 }],
  ]);
});
