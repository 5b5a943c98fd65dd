// Differential tests against tfjs: elementwise math, dtype promotion, comparisons and bool ops (forward and gradients).
import * as tn from '../../lib';
import { bool, compareWithTfjs, expectBothThrow, f32, i32, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));
const S = [3, 4];

describe('unary math vs tfjs', () => {
  const unaries: [string, [number, number]][] = [
    ['floor', [-3, 3]], ['ceil', [-3, 3]], ['round', [-3, 3]], ['rsqrt', [0.2, 3]], ['reciprocal', [0.5, 3]],
    ['softplus', [-4, 4]], ['elu', [-3, 3]], ['selu', [-3, 3]], ['relu6', [-2, 8]], ['log1p', [-0.5, 3]],
    ['expm1', [-2, 2]], ['sin', [-3, 3]], ['cos', [-3, 3]], ['tan', [-1.2, 1.2]], ['asin', [-0.9, 0.9]],
    ['acos', [-0.9, 0.9]], ['atan', [-3, 3]], ['sinh', [-2, 2]], ['cosh', [-2, 2]], ['asinh', [-3, 3]],
    ['acosh', [1.1, 4]], ['atanh', [-0.9, 0.9]], ['erf', [-2, 2]], ['sign', [-2, 2]], ['neg', [-2, 2]],
    ['abs', [-2, 2]], ['square', [-2, 2]], ['sqrt', [0.1, 3]], ['exp', [-2, 2]], ['log', [0.1, 3]],
    ['sigmoid', [-3, 3]], ['tanh', [-2, 2]], ['relu', [-2, 2]],
  ];
  run(unaries.map(([op, range]): Case => [op, { inputs: [f32(S, range)], fn: (m, x) => m[op](x), rtol: 2e-5, atol: 2e-6 }]));
  run([
    ['clipByValue', { inputs: [f32(S, [-3, 3])], fn: (m, x) => m.clipByValue(x, -1, 1.5) }],
    ['leakyRelu', { inputs: [f32(S, [-3, 3])], fn: (m, x) => m.leakyRelu(x, 0.1) }],
    ['prelu', { inputs: [f32(S, [-3, 3]), f32([4], [0.1, 0.5])], fn: (m, x, a) => m.prelu(x, a) }],
  ]);
});

describe('int32 and bool inputs to unaries follow tfjs (keep / float32 / throw)', () => {
  // Ranges keep results finite: tfjs stores Infinity/NaN into int32 as 0, a cast rule of its own (see the report).
  run(['neg', 'abs', 'square', 'sign', 'relu', 'relu6', 'round', 'expm1', 'exp', 'erf', 'atan', 'asinh', 'selu', 'softplus', 'sinh'].map(
    (op): Case => [`${op}(int32)`, { inputs: [i32(S, [-4, 5])], fn: (m, x) => m[op](x), rtol: 1e-5 }],
  ));
  run(['reciprocal', 'log1p'].map((op): Case => [`${op}(int32)`, { inputs: [i32(S, [1, 9])], fn: (m, x) => m[op](x) }]));
  run(['neg', 'abs', 'relu'].map((op): Case => [`${op}(bool)`, { inputs: [bool(S)], fn: (m, x) => m[op](x) }]));
  test.each(['floor', 'ceil', 'sin', 'cos', 'tan', 'cosh', 'sqrt', 'rsqrt', 'elu', 'sigmoid', 'tanh', 'log'])('%s(int32) throws DTypeError', (op) =>
    expectBothThrow([i32(S)], (m, x) => m[op](x), tn.DTypeError, new RegExp(`${op}: argument 'x' must be float32, got int32`)),
  );
});

describe('binary ops and dtype promotion vs tfjs', () => {
  const binaries = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'squaredDifference', 'atan2', 'pow'];
  // tfjs's own maximum/minimum/squaredDifference gradients fail for a broadcast operand: compare those forward only.
  const tfjsGradBroken = ['maximum', 'minimum', 'squaredDifference'];
  run(binaries.map((op): Case => [`${op} broadcast`, { inputs: [f32([2, 3, 4], [0.5, 2]), f32([3, 1], [0.5, 2])], fn: (m, a, b) => m[op](a, b), rtol: 2e-5, grads: !tfjsGradBroken.includes(op) }]));
  run(binaries.map((op): Case => [`${op} same shape`, { inputs: [f32(S, [0.5, 2]), f32(S, [0.5, 2])], fn: (m, a, b) => m[op](a, b), rtol: 2e-5 }]));
  run([
    ['mod', { inputs: [f32(S, [-5, 5]), f32([4], [0.7, 2], { data: [0.7, -1.3, 1.9, -0.8] })], fn: (m, a, b) => m.mod(a, b) }],
    ['floorDiv float gives int32', { inputs: [f32(S, [-5, 5]), f32([4], [0.7, 2])], fn: (m, a, b) => m.floorDiv(a, b) }],
    ['mod int32', { inputs: [i32(S, [-9, 9]), i32([4], [0, 1], { data: [3, -2, 0, 5] })], fn: (m, a, b) => m.mod(a, b) }],
    ['floorDiv int32 (divisor 0 gives 0)', { inputs: [i32(S, [-9, 9]), i32([4], [0, 1], { data: [3, -2, 0, 5] })], fn: (m, a, b) => m.floorDiv(a, b) }],
    ['div int32 int32 is floorDiv', { inputs: [i32(S, [-9, 9]), i32([4], [0, 1], { data: [3, -2, 7, 5] })], fn: (m, a, b) => m.div(a, b) }],
    ['pow int32', { inputs: [i32(S, [-3, 4]), i32([4], [0, 3])], fn: (m, a, b) => m.pow(a, b) }],
    ['add(int32, 2.5) is float32', { inputs: [i32(S, [-5, 5])], fn: (m, a) => m.add(a, 2.5) }],
    ['add(int32, 2) is float32', { inputs: [i32(S, [-5, 5])], fn: (m, a) => m.add(a, 2) }],
    ['mul(int32, float32)', { inputs: [i32(S, [-5, 5]), f32(S)], fn: (m, a, b) => m.mul(a, b) }],
    ['sub(int32, int32) stays int32', { inputs: [i32(S, [-5, 5]), i32(S, [-5, 5])], fn: (m, a, b) => m.sub(a, b) }],
    ['mul(bool, float32)', { inputs: [bool(S), f32(S)], fn: (m, a, b) => m.mul(a, b) }],
    ['add(int32, bool)', { inputs: [i32(S), bool(S)], fn: (m, a, b) => m.add(a, b) }],
    ['maximum(int32, 1)', { inputs: [i32(S, [-3, 3])], fn: (m, a) => m.maximum(a, 1) }],
    ['add(x, array)', { inputs: [f32(S)], fn: (m, a) => m.add(a, [1, 2, 3, 4]) }],
  ]);
});

describe('comparisons and bool ops vs tfjs', () => {
  const cmp = ['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual'];
  run(cmp.map((op): Case => [`${op} float`, { inputs: [f32([3, 4], [-1, 1], { data: [0, 1, -1, 0.5, 0, 1, -1, 0.5, 2, 2, 2, 2] }), f32([4], [-1, 1], { data: [0, 0.5, -1, 1] })], fn: (m, a, b) => m[op](a, b) }]));
  run(cmp.map((op): Case => [`${op} int32 vs number`, { inputs: [i32(S, [0, 4])], fn: (m, a) => m[op](a, 2) }]));
  run(['logicalAnd', 'logicalOr', 'logicalXor'].map((op): Case => [op, { inputs: [bool([3, 4]), bool([4], { data: [1, 0, 1, 0] })], fn: (m, a, b) => m[op](a, b) }]));
  run([
    ['logicalNot', { inputs: [bool(S)], fn: (m, a) => m.logicalNot(a) }],
    ['isNaN / isFinite', { inputs: [f32([6], [0, 1], { data: [NaN, Infinity, -Infinity, 0, 1.5, -2] })], fn: (m, a) => [m.isNaN(a), m.isFinite(a), m.isInf(a)] }],
    ['isNaN(int32)', { inputs: [i32(S)], fn: (m, a) => [m.isNaN(a), m.isFinite(a)] }],
    ['where', { inputs: [bool([3, 1]), f32([3, 4]), f32([4])], fn: (m, c, a, b) => m.where(c, a, b) }],
    ['where mixed dtypes promotes', { inputs: [bool(S), i32(S), f32(S)], fn: (m, c, a, b) => m.where(c, a, b) }],
    ['where int32', { inputs: [bool(S), i32(S), i32(S)], fn: (m, c, a, b) => m.where(c, a, b) }],
    ['cast float -> bool (NaN is true) -> float', { inputs: [f32([5], [0, 1], { data: [NaN, 0, 0.2, -3, 0] })], fn: (m, a) => { const b = m.cast(a, 'bool'); return [b, m.cast(b, 'float32'), m.cast(b, 'int32')]; } }],
    ['cast int32 -> bool', { inputs: [i32(S, [-2, 2])], fn: (m, a) => m.cast(a, 'bool') }],
    ['sum/mean/max of bool and int32', { inputs: [bool(S), i32(S, [-5, 5])], fn: (m, b, i) => [m.sum(b), m.mean(b), m.max(b, 1), m.sum(i, 0), m.max(i), m.min(i, 1), m.mean(i)] }],
  ]);
  test('tensor() takes booleans; data() gives a Uint8Array as tfjs', () => {
    const t = tn.tensor([[true, false], [false, true]]);
    expect(t.dtype).toBe('bool');
    expect(t.dataSync()).toEqual(new Uint8Array([1, 0, 0, 1]));
    expect(t.arraySync()).toEqual([[1, 0], [0, 1]]);
  });
  test('logical ops reject non-bool tensors; where rejects a non-bool condition', () => {
    expectBothThrow([f32([2]), bool([2])], (m, a, b) => m.logicalAnd(a, b), tn.DTypeError, /logicalAnd: argument 'a' must be bool, got float32/);
    expectBothThrow([i32([2])], (m, a) => m.logicalNot(a), tn.DTypeError, /logicalNot: argument 'x' must be bool/);
    expectBothThrow([f32([2]), f32([2]), f32([2])], (m, c, a, b) => m.where(c, a, b), tn.DTypeError, /where: argument 'condition' must be bool/);
  });
  test('incompatible shapes throw ShapeError naming the op', () => {
    expectBothThrow([f32([2, 3]), f32([4])], (m, a, b) => m.atan2(a, b), tn.ShapeError, /atan2: shapes \[2,3\] and \[4\]/);
  });
});
