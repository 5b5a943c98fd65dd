// tfjs creation functions (scalar, tensor1d-6d, fill, eye, linspace, range, random*, buffer, variable) against
// @tensorflow/tfjs itself where the result is deterministic, and by their statistics where it is random.
import * as tf from '@tensorflow/tfjs';
import * as tn from '../../lib';

const same = async (ours: tn.Tensor, theirs: tf.Tensor): Promise<void> => {
  expect(ours.shape).toEqual(theirs.shape);
  expect(ours.dtype).toBe(theirs.dtype);
  const a = Array.from(await ours.data());
  const b = Array.from(await theirs.data());
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
};

describe('rank-checked constructors', () => {
  test('values and shapes as tfjs', async () => {
    await same(tn.scalar(3.5), tf.scalar(3.5));
    await same(tn.scalar(7, 'int32'), tf.scalar(7, 'int32'));
    await same(tn.tensor1d([1, 2, 3]), tf.tensor1d([1, 2, 3]));
    await same(tn.tensor1d(new Int32Array([4, 5])), tf.tensor1d(new Int32Array([4, 5])));
    await same(tn.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1, 2], [3, 4]]));
    await same(tn.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]));
    await same(tn.tensor3d([[[1], [2]], [[3], [4]]]), tf.tensor3d([[[1], [2]], [[3], [4]]]));
    await same(tn.tensor4d([1, 2, 3, 4], [1, 2, 2, 1], 'int32'), tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1], 'int32'));
    await same(tn.tensor5d([1, 2], [1, 1, 1, 1, 2]), tf.tensor5d([1, 2], [1, 1, 1, 1, 2]));
    await same(tn.tensor6d([[[[[[1, 2]]]]]]), tf.tensor6d([[[[[[1, 2]]]]]]));
  });

  test('typed errors where tfjs rejects the call', () => {
    expect(() => tn.tensor1d([[1, 2]] as unknown as number[])).toThrow(tn.ShapeError);
    expect(() => tn.tensor2d([1, 2, 3, 4])).toThrow(/tensor2d: 'shape' is required when 'values' are a flat/);
    expect(() => tn.tensor2d([[1, 2]], [1, 2, 1] as unknown as [number, number])).toThrow(/tensor2d: 'shape' must have 2 dimensions/);
    expect(() => tn.tensor3d([[1, 2]] as unknown as number[])).toThrow(/tensor3d: 'values' must be nested to depth 3 or be flat/);
    expect(() => tn.tensor2d([1, 2, 3], [2, 2])).toThrow(tn.ShapeError);
    expect(() => tn.scalar([1] as unknown as number)).toThrow(tn.ValueError);
  });
});

describe('fill, eye, linspace, range', () => {
  test('as tfjs', async () => {
    await same(tn.fill([2, 3], 4.5), tf.fill([2, 3], 4.5));
    await same(tn.fill([2], 3, 'int32'), tf.fill([2], 3, 'int32'));
    await same(tn.eye(3), tf.eye(3));
    await same(tn.eye(2, 4), tf.eye(2, 4));
    await same(tn.eye(3, 2, [2]), tf.eye(3, 2, [2]));
    await same(tn.eye(2, undefined, [2, 3], 'int32'), tf.eye(2, undefined, [2, 3], 'int32'));
    await same(tn.linspace(0, 1, 5), tf.linspace(0, 1, 5));
    await same(tn.linspace(-3, 7, 1), tf.linspace(-3, 7, 1));
    await same(tn.range(0, 5), tf.range(0, 5));
    await same(tn.range(5, 0), tf.range(5, 0));
    await same(tn.range(0, 10, 3), tf.range(0, 10, 3));
    await same(tn.range(0, 5, -1), tf.range(0, 5, -1));
    await same(tn.range(1, 2, 0.25), tf.range(1, 2, 0.25));
    await same(tn.range(0, 6, 2, 'int32'), tf.range(0, 6, 2, 'int32'));
  });

  test('errors', () => {
    expect(() => tn.range(0, 5, 0)).toThrow(/range: 'step' must not be 0/);
    expect(() => tn.linspace(0, 1, 0)).toThrow(tn.ValueError);
    expect(() => tn.fill([2], 1, 'string' as tn.DType)).toThrow(tn.DTypeError);
    // bool holds 0/1 (tfjs's CPU backend would store the 3 itself)
    const b = tn.fill([2], 3, 'bool');
    expect(b.dtype).toBe('bool');
    expect(Array.from(b.dataSync())).toEqual([1, 1]);
    expect(Array.from(tn.fill([1], 0, 'bool').dataSync())).toEqual([0]);
    expect(() => tn.eye(2, 2, [1, 1, 1, 1])).toThrow(/at most 3 dimensions/);
  });
});

describe('random tensors', () => {
  const stats = async (t: tn.Tensor) => {
    const v = Array.from(await t.data());
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
    return { v, m, sd, min: Math.min(...v), max: Math.max(...v) };
  };

  test('randomUniform: bounds, seed repeats, int32 floors (as tfjs for minval >= 0)', async () => {
    const a = await stats(tn.randomUniform([5000], -2, 3, 'float32', 7));
    expect(a.min).toBeGreaterThanOrEqual(-2);
    expect(a.max).toBeLessThan(3);
    expect(a.m).toBeCloseTo(0.5, 1);
    expect(Array.from(await tn.randomUniform([50], -2, 3, 'float32', 7).data())).toEqual(a.v.slice(0, 50));
    const i = tn.randomUniform([1000], 0, 4, 'int32', 3);
    expect(i.dtype).toBe('int32');
    const iv = Array.from(await i.data());
    expect(new Set(iv)).toEqual(new Set([0, 1, 2, 3]));
    expect(Array.from(await tn.randomUniform([20], 0, 1, 'float32', 'a string seed').data())).toEqual(
      Array.from(await tn.randomUniform([20], 0, 1, 'float32', 'a string seed').data()),
    );
  });

  test('randomNormal, randomStandardNormal, truncatedNormal', async () => {
    const n = await stats(tn.randomNormal([20000], 1, 2, 'float32', 5));
    expect(n.m).toBeCloseTo(1, 1);
    expect(n.sd).toBeGreaterThan(1.9);
    expect(n.sd).toBeLessThan(2.1);
    const s = await stats(tn.randomStandardNormal([20000], 'float32', 6));
    expect(Math.abs(s.m)).toBeLessThan(0.05);
    const t = await stats(tn.truncatedNormal([20000], 3, 0.5, 'float32', 8));
    expect(t.min).toBeGreaterThanOrEqual(2);
    expect(t.max).toBeLessThanOrEqual(4);
    expect(t.m).toBeCloseTo(3, 1);
    // A normal truncated at 2 sigma has standard deviation 0.88 sigma.
    expect(t.sd).toBeCloseTo(0.88 * 0.5, 1);
  });

  test('randomUniformInt, randomGamma', async () => {
    const u = await stats(tn.randomUniformInt([5000], 3, 8, 1));
    expect(new Set(u.v)).toEqual(new Set([3, 4, 5, 6, 7]));
    const g = await stats(tn.randomGamma([20000], 2.5, 2, 'float32', 2));
    expect(g.min).toBeGreaterThan(0);
    expect(g.m).toBeCloseTo(1.25, 1); // alpha / beta
    const small = await stats(tn.randomGamma([20000], 0.5, 1, 'float32', 3));
    expect(small.m).toBeCloseTo(0.5, 1);
  });

  test('multinomial: shapes, dtype, frequencies', async () => {
    const one = tn.multinomial(tn.tensor1d([0, Math.log(3)]), 4000, 9);
    expect(one.shape).toEqual([4000]);
    expect(one.dtype).toBe('int32');
    const freq = Array.from(await one.data()).filter((v) => v === 1).length / 4000;
    expect(freq).toBeCloseTo(0.75, 1);
    const two = tn.multinomial(tn.tensor2d([[0.9, 0.1, 0], [0, 0, 1]]), 50, 2, true);
    expect(two.shape).toEqual([2, 50]);
    const rows = (await two.array()) as number[][];
    expect(rows[1].every((v) => v === 2)).toBe(true);
    expect(rows[0].every((v) => v === 0 || v === 1)).toBe(true);
    expect(() => tn.multinomial(tn.tensor1d([1]), 3)).toThrow(tn.ShapeError);
  });
});

describe('buffer / TensorBuffer', () => {
  test('set, get, toTensor, bufferSync, as tfjs', async () => {
    const b = tn.buffer([2, 3]);
    const tb = tf.buffer([2, 3]);
    b.set(5, 1, 2);
    tb.set(5, 1, 2);
    b.set(-1, 0, 0);
    tb.set(-1, 0, 0);
    expect(b.get(1, 2)).toBe(5);
    expect(b.strides).toEqual(tb.strides);
    expect(b.indexToLoc(4)).toEqual(tb.indexToLoc(4));
    expect(b.locToIndex([1, 1])).toEqual(tb.locToIndex([1, 1]));
    await same(b.toTensor(), tb.toTensor());
    const fromTensor = tn.tensor2d([[1, 2], [3, 4]], undefined, 'int32').bufferSync();
    expect(fromTensor.dtype).toBe('int32');
    expect(fromTensor.get(1, 0)).toBe(3);
    expect((await tn.tensor1d([7, 8]).buffer()).get(1)).toBe(8);
  });

  test('errors name the problem', () => {
    const b = tn.buffer([2, 2], 'int32');
    expect(() => b.get(2, 0)).toThrow(/index 2 at dimension 0 is outside \[0, 2\)/);
    expect(() => b.set(1, 0)).toThrow(/requires 2 indices/);
    expect(() => tn.buffer([2, 2], 'float32', [1, 2, 3])).toThrow(tn.ShapeError);
  });
});

describe('variable', () => {
  test('copies the initial value, assigns, stays out of tidy, has a unique name', async () => {
    const init = tn.tensor1d([1, 2, 3]);
    const v = tn.tidy(() => tn.variable(init, true, 'v_test_1'));
    expect(v).toBeInstanceOf(tn.Variable);
    expect(v).toBeInstanceOf(tn.Tensor);
    expect(v.isDisposed).toBe(false);
    expect(v.name).toBe('v_test_1');
    expect(v.trainable).toBe(true);
    v.assign(tn.tensor1d([4, 5, 6]));
    expect(Array.from(await v.data())).toEqual([4, 5, 6]);
    expect(Array.from(await init.data())).toEqual([1, 2, 3]);
    expect(() => tn.variable(init, true, 'v_test_1')).toThrow(/already registered/);
    expect(() => v.assign(tn.tensor1d([1, 2]))).toThrow(tn.ShapeError);
    expect(() => v.assign(tn.tensor1d([1, 2, 3], 'int32'))).toThrow(tn.DTypeError);
    v.trainable = false;
    expect(v.requiresGrad).toBe(false);
    v.dispose();
    const again = tn.variable(init, false, 'v_test_1'); // the name is free once disposed
    expect(again.trainable).toBe(false);
    again.dispose();
  });

  test('dtype conversion and x.variable()', async () => {
    const v = tn.variable(tn.tensor1d([1.7, -2.2]), true, undefined, 'int32');
    expect(v.dtype).toBe('int32');
    expect(Array.from(await v.data())).toEqual([1, -2]);
    expect(v.requiresGrad).toBe(false); // only float32 variables take gradients
    const w = tn.tensor1d([3]).variable(false);
    expect(w.trainable).toBe(false);
    tn.dispose([v, w]);
  });
});
