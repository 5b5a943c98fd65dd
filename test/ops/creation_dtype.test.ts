// tfjs passes the dtype positionally: tensor(v, shape, 'int32'), zeros(shape, 'int32'), ones, full, arange (issue 8 bug 3).
import * as tn from '../../lib';

describe('positional dtype', () => {
  test('tensor(values, shape, dtype) honours the dtype', async () => {
    const t = tn.tensor([1, 2, 3, 4], [2, 2], 'int32');
    expect(t.dtype).toBe('int32');
    expect((await t.data()) instanceof Int32Array).toBe(true);
    expect(Array.from(await t.data())).toEqual([1, 2, 3, 4]);
    const inferred = tn.tensor([[5, 6]], null, 'int32');
    expect(inferred.dtype).toBe('int32');
    expect(inferred.shape).toEqual([1, 2]);
    tn.dispose([t, inferred]);
  });

  test('zeros, ones, full and arange take the dtype positionally', async () => {
    const made = [tn.zeros([3], 'int32'), tn.ones([2, 2], 'int32'), tn.full([2], 7, 'int32'), tn.arange(0, 4, 1, 'int32')];
    for (const t of made) expect(t.dtype).toBe('int32');
    expect(Array.from(await made[1].data())).toEqual([1, 1, 1, 1]);
    expect(Array.from(await made[2].data())).toEqual([7, 7]);
    expect(Array.from(await made[3].data())).toEqual([0, 1, 2, 3]);
    expect(tn.zeros([2], 'float32').dtype).toBe('float32');
    tn.dispose(made);
  });

  test('the options object still works', () => {
    const t = tn.zeros([2], { dtype: 'int32' });
    expect(t.dtype).toBe('int32');
    t.dispose();
  });

  test('an unknown dtype throws DTypeError naming the op', () => {
    expect(() => tn.tensor([1], [1], 'float64' as never)).toThrow(tn.DTypeError);
    expect(() => tn.zeros([1], 'string' as never)).toThrow(/zeros: unknown dtype "string"/);
    expect(() => tn.ones([1], 'int8' as never)).toThrow(tn.DTypeError);
    expect(() => tn.full([1], 1, 5 as never)).toThrow(tn.ValueError);
  });
});
