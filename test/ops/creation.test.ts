// Creation ops: values, shapes, dtypes, seeded randomness and argument errors.
import * as tn from '../../lib';

describe('creation', () => {
  test('tensor from nested arrays infers the shape', async () => {
    const t = tn.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.device).toBe('cpu');
    expect(await t.array()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(t.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });
  test('tensor from a typed array and a shape', async () => {
    const t = tn.tensor(new Int32Array([1, 2, 3, 4]), [2, 2]);
    expect(t.dtype).toBe('int32');
    expect(Array.from(await t.data())).toEqual([1, 2, 3, 4]);
  });
  test('scalar tensor and item()', () => {
    const t = tn.tensor(3.5);
    expect(t.shape).toEqual([]);
    expect(t.item()).toBe(3.5);
  });
  test('zeros, ones, full, arange', async () => {
    expect(Array.from(await tn.zeros([2, 2]).data())).toEqual([0, 0, 0, 0]);
    expect(Array.from(await tn.ones([3], { dtype: 'int32' }).data())).toEqual([1, 1, 1]);
    expect(Array.from(await tn.full([2], 7.25).data())).toEqual([7.25, 7.25]);
    expect(Array.from(await tn.arange(5).data())).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(await tn.arange(1, 2, 0.25).data())).toEqual([1, 1.25, 1.5, 1.75]);
    expect(Array.from(await tn.arange(3, 0, -1, { dtype: 'int32' }).data())).toEqual([3, 2, 1]);
  });
  test('rand/randn: same seed same numbers, different seed different numbers, sane moments', async () => {
    const a = await tn.rand([1000], { seed: 5 }).data();
    const b = await tn.rand([1000], { seed: 5 }).data();
    const c = await tn.rand([1000], { seed: 6 }).data();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(1);
    const n = await tn.randn([20000], { seed: 1, mean: 2, std: 3 }).data();
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const variance = n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length;
    expect(Math.abs(mean - 2)).toBeLessThan(0.1);
    expect(Math.abs(Math.sqrt(variance) - 3)).toBeLessThan(0.1);
  });
  test('setSeed makes unseeded draws repeatable', async () => {
    tn.setSeed(42);
    const a = await tn.randn([10]).data();
    tn.setSeed(42);
    const b = await tn.randn([10]).data();
    expect(Array.from(a)).toEqual(Array.from(b));
  });
  test('oneHot', async () => {
    const t = tn.oneHot(tn.tensor([2, 0, 1], [3], { dtype: 'int32' }), 3);
    expect(await t.array()).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  });
  test('bad arguments throw typed errors', () => {
    expect(() => tn.zeros([2, -1])).toThrow(tn.ShapeError);
    expect(() => tn.zeros([2.5])).toThrow(tn.ShapeError);
    expect(() => tn.zeros([2 ** 30, 2 ** 30, 4])).toThrow(/more than the 2\^40 supported/);
    expect(() => tn.zeros([2], { dtype: 'float64' as tn.DType })).toThrow(tn.DTypeError);
    expect(() => tn.zeros([2], { device: 'tpu' })).toThrow(tn.DeviceError);
    expect(() => tn.tensor([1, 2, 3], [2, 2])).toThrow(/needs 4 values, got 3/);
    expect(() => tn.tensor([[1, 2], [3]])).toThrow(tn.ShapeError);
    expect(() => tn.full([2], Infinity)).toThrow(tn.ValueError);
    expect(() => tn.arange(0, 1, 0)).toThrow(tn.ValueError);
    expect(() => tn.oneHot(tn.ones([2]), 3)).toThrow(tn.DTypeError);
    expect(() => tn.tensor([1], [1], { dtype: 'int32', requiresGrad: true })).toThrow(tn.DTypeError);
  });
});
