// Differential tests against tfjs: step, logSigmoid, divNoNan, euclideanNorm, cumprod, dot, outerProduct,
// movingAverage and einsum, forward and gradients (finite differences where tfjs has no gradient).
import * as tn from '../../lib';
import { checkGradients } from '../helpers/gradcheck';
import { bool, compareWithTfjs, expectBothThrow, f32, i32, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));

describe('elementwise extras vs tfjs', () => {
  run([
    ['step', { inputs: [f32([3, 4])], fn: (m, x) => m.step(x) }],
    ['step alpha', { inputs: [f32([3, 4])], fn: (m, x) => m.step(x, 0.3) }],
    ['step NaN kept', { inputs: [f32([4], undefined, { data: [NaN, -1, 2, 0] })], fn: (m, x) => m.step(x, -2), grads: false }],
    ['step int32', { inputs: [i32([6], [-5, 5])], fn: (m, x) => m.step(x) }],
    ['step method', { inputs: [f32([5])], fn: (_m, x) => x.step(0.5) }],
    ['logSigmoid', { inputs: [f32([3, 4], [-8, 8])], fn: (m, x) => m.logSigmoid(x) }],
    ['logSigmoid method', { inputs: [f32([5], [-3, 3])], fn: (_m, x) => x.logSigmoid() }],
    ['divNoNan', { inputs: [f32([3, 4]), f32([3, 4], [-1, 1], { data: [1, 0, 2, -3, 0, 0.5, 4, 2, 0, -1, 3, 0.25] })], fn: (m, a, b) => m.divNoNan(a, b), grads: false }],
    // tfjs cannot differentiate divNoNan (its Equal has no gradient): gradients by finite differences below.
    ['divNoNan broadcast', { inputs: [f32([3, 4]), f32([4], [0.5, 2])], fn: (m, a, b) => m.divNoNan(a, b), grads: false }],
    ['divNoNan int32 (floor division)', { inputs: [i32([6], [-9, 9]), i32([6], [0, 1], { data: [2, 0, 3, -2, 4, 0] })], fn: (m, a, b) => m.divNoNan(a, b) }],
    ['divNoNan method', { inputs: [f32([4]), f32([4], [1, 2])], fn: (_m, a, b) => a.divNoNan(b), grads: false }],
    ['euclideanNorm all', { inputs: [f32([3, 4])], fn: (m, x) => m.euclideanNorm(x) }],
    ['euclideanNorm axis keepDims', { inputs: [f32([3, 4])], fn: (m, x) => m.euclideanNorm(x, 1, true) }],
    ['euclideanNorm axes', { inputs: [f32([2, 3, 4])], fn: (m, x) => m.euclideanNorm(x, [0, 2]) }],
    ['euclideanNorm method', { inputs: [f32([2, 3])], fn: (_m, x) => x.euclideanNorm(0) }],
  ]);
});

test('divNoNan gradients by finite differences', async () => {
  await checkGradients(([a, b]) => tn.divNoNan(a, b), [{ shape: [3, 4] }, { shape: [4], range: [0.5, 2] }]);
});

describe('cumprod vs tfjs', () => {
  // tfjs has no cumprod gradient: forward here, gradients by finite differences below.
  run([
    ['axis 0', { inputs: [f32([5, 3], [0.5, 1.5])], fn: (m, x) => m.cumprod(x), grads: false }],
    ['axis 1 with a zero', { inputs: [f32([2, 7], [-2, 2], { data: [1, 2, 0, 3, -1, 2, 0.5, 1.5, -1, 2, 1, 0.5, 3, -2] })], fn: (m, x) => m.cumprod(x, 1), grads: false }],
    ['exclusive', { inputs: [f32([3, 6])], fn: (m, x) => m.cumprod(x, 1, true), grads: false }],
    ['reverse', { inputs: [f32([3, 6])], fn: (m, x) => m.cumprod(x, 1, false, true), grads: false }],
    ['exclusive reverse', { inputs: [f32([9])], fn: (m, x) => m.cumprod(x, 0, true, true), grads: false }],
    ['int32', { inputs: [i32([2, 5], [-3, 4])], fn: (m, x) => m.cumprod(x, 1) }],
    ['bool counts as int32', { inputs: [bool([6])], fn: (m, x) => m.cumprod(x) }],
    ['method', { inputs: [f32([4, 2])], fn: (_m, x) => x.cumprod(0), grads: false }],
  ]);
  test('a negative axis counts from the end (tfjs 4.22 mis-shapes the result there)', () => {
    const x = tn.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from(tn.cumprod(x, -1, true).dataSync())).toEqual(Array.from(tn.cumprod(x, 1, true).dataSync()));
  });
  test('gradients by finite differences (zeros included)', async () => {
    await checkGradients(([x]) => tn.cumprod(x, 1), [{ shape: [2, 6] }]);
    await checkGradients(([x]) => tn.cumprod(x, 0, true, true), [{ shape: [5, 2] }]);
    const withZero = new Float32Array([0.5, 0, -1.2, 0.8, 1.1]);
    await checkGradients(([x]) => tn.cumprod(x), [{ shape: [5], data: withZero }]);
  });
});

describe('products vs tfjs', () => {
  run([
    ['dot vector.vector', { inputs: [f32([5]), f32([5])], fn: (m, a, b) => m.dot(a, b) }],
    ['dot vector.matrix', { inputs: [f32([3]), f32([3, 4])], fn: (m, a, b) => m.dot(a, b) }],
    ['dot matrix.vector', { inputs: [f32([2, 3]), f32([3])], fn: (m, a, b) => m.dot(a, b) }],
    ['dot matrix.matrix', { inputs: [f32([2, 3]), f32([3, 4])], fn: (m, a, b) => m.dot(a, b) }],
    ['dot int32', { inputs: [i32([2, 3], [-4, 4]), i32([3], [-4, 4])], fn: (m, a, b) => m.dot(a, b) }],
    ['dot method', { inputs: [f32([4]), f32([4, 2])], fn: (_m, a, b) => a.dot(b) }],
    ['outerProduct', { inputs: [f32([3]), f32([4])], fn: (m, a, b) => m.outerProduct(a, b) }],
    ['outerProduct int32', { inputs: [i32([3], [-3, 3]), i32([2], [-3, 3])], fn: (m, a, b) => m.outerProduct(a, b) }],
  ]);
  test('bad ranks and sizes throw typed errors', () => {
    expectBothThrow([f32([3]), f32([4])], (m, a, b) => m.dot(a, b), tn.ShapeError, /dot: inner dimensions/);
    expectBothThrow([f32([2, 2, 2]), f32([2])], (m, a, b) => m.dot(a, b), tn.ShapeError, /dot: argument 't1' must have rank 1 or 2/);
    expectBothThrow([f32([2, 2]), f32([2])], (m, a, b) => m.outerProduct(a, b), tn.ShapeError, /outerProduct/);
  });
});

describe('movingAverage vs tfjs', () => {
  run([
    ['zero-debiased, number step', { inputs: [f32([3, 2]), f32([3, 2])], fn: (m, v, x) => m.movingAverage(v, x, 0.9, 3) }],
    ['zero-debiased, scalar tensors', { inputs: [f32([4]), f32([4])], fn: (m, v, x) => m.movingAverage(v, x, m.scalar(0.8), m.scalar(2)) }],
    ['no debias', { inputs: [f32([4]), f32([4])], fn: (m, v, x) => m.movingAverage(v, x, 0.6, undefined, false) }],
  ]);
  test('step is required with zeroDebias; shapes must match', () => {
    expectBothThrow([f32([2]), f32([2])], (m, v, x) => m.movingAverage(v, x, 0.9), tn.ValueError, /'step' is required/);
    expectBothThrow([f32([2]), f32([3])], (m, v, x) => m.movingAverage(v, x, 0.9, 1), tn.ShapeError);
  });
});

describe('einsum vs tfjs', () => {
  // tfjs has no einsum gradient: forward here, gradients by finite differences below.
  const cases: [string, number[][]][] = [
    ['ij,jk->ik', [[2, 3], [3, 4]]],
    ['ij,kj->ik', [[2, 3], [4, 3]]],
    ['bij,bjk->bik', [[2, 3, 4], [2, 4, 5]]],
    ['ij->ji', [[3, 4]]],
    ['ij->i', [[3, 4]]],
    ['ij->', [[3, 4]]],
    ['i,i->', [[5], [5]]],
    ['i,j->ij', [[3], [4]]],
    ['ij,j->i', [[3, 4], [4]]],
    ['ijk,k->ij', [[2, 3, 4], [4]]],
    ['ab,cb->ca', [[2, 5], [3, 5]]],
    ['ij,jk->ki', [[2, 3], [3, 2]]],
    ['ijk,jl->lik', [[2, 3, 2], [3, 4]]],
    ['ij,ik->j', [[3, 2], [3, 4]]],
    ['ij,ij->ij', [[2, 3], [2, 3]]],
    ['abc,cd->abd', [[2, 2, 3], [3, 2]]],
  ];
  run(cases.map(([eq, shapes]): Case => [eq, { inputs: shapes.map((s) => f32(s)), fn: (m, ...xs) => m.einsum(eq, ...xs), grads: false }]));
  run([['int32 operands', { inputs: [i32([2, 3], [-3, 3]), i32([3, 2], [-3, 3])], fn: (m, a, b) => m.einsum('ij,jk->ik', a, b) }]]);
  test('gradients by finite differences', async () => {
    await checkGradients(([a, b]) => tn.einsum('bij,bjk->bik', a, b), [{ shape: [2, 3, 2] }, { shape: [2, 2, 3] }]);
    await checkGradients(([a, b]) => tn.einsum('ijk,jl->lik', a, b), [{ shape: [2, 3, 2] }, { shape: [3, 2] }]);
    await checkGradients(([a, b]) => tn.einsum('ij,ik->j', a, b), [{ shape: [3, 2] }, { shape: [3, 4] }]);
    await checkGradients(([a]) => tn.einsum('ij->ji', a), [{ shape: [2, 3] }]);
  });
  test("tfjs's unsupported forms throw ValueError", () => {
    expectBothThrow([f32([2, 2])], (m, a) => m.einsum('ij', a), tn.ValueError, /exactly one '->'/);
    expectBothThrow([f32([2, 2])], (m, a) => m.einsum('ii->i', a), tn.ValueError, /repeated/);
    expectBothThrow([f32([2]), f32([2]), f32([2])], (m, a, b, c) => m.einsum('i,i,i->i', a, b, c), tn.ValueError, /more than 2/);
    expectBothThrow([f32([2, 2])], (m, a) => m.einsum('...ij->...ji', a), tn.ValueError, /ellipsis/);
    expectBothThrow([f32([2, 3]), f32([2, 3])], (m, a, b) => m.einsum('ij,jk->ik', a, b), tn.ShapeError, /label 'j'/);
  });
});
