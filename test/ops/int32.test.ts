// int32 rules (issue 9, finding 9; native/KERNELS.md): range errors at the call, wrapping add/sub/mul without UB.
import * as tn from '../../lib';

const i32 = { dtype: 'int32' as const };

describe('values outside the int32 range are errors at the call', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['tensor([3e9])', () => tn.tensor([3e9], [1], i32), /tensor: 'values' value 3000000000 at index 0 is outside the int32 range/],
    ['tensor([NaN])', () => tn.tensor([1, NaN], [2], i32), /value NaN at index 1/],
    ['tensor([-Infinity])', () => tn.tensor([-Infinity], [1], i32), /value -Infinity at index 0/],
    ['tensor(Float32Array [-3e9])', () => tn.tensor(new Float32Array([-3e9]), [1], i32), /at index 0 is outside the int32 range/],
    ['full(1e20)', () => tn.full([2], 1e20, i32), /full: 'value' 100000000000000000000 is outside the int32 range/],
    ['full(3e9)', () => tn.full([2], 3e9, i32), /full: 'value' 3000000000/],
    ['arange past 2^31', () => tn.arange(2e9, 3e9, 2e8, i32), /arange: 'last value' 2800000000/],
    ['arange start 1e20', () => tn.arange(1e20, 1e20 + 1e6, 1e5, i32), /arange: 'start' 100000000000000000000/],
    ['pad value 3e9', () => tn.pad(tn.tensor([1, 2], [2], i32), [[1, 1]], 3e9), /pad: 'value' 3000000000/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(tn.ValueError);
    expect(call).toThrow(message);
  });

  test('the edges of the range are accepted; fractions truncate toward zero, as in tfjs', async () => {
    const t = tn.tensor([2147483647, -2147483648, 2.7, -2.7], [4], i32);
    expect(Array.from(await t.data())).toEqual([2147483647, -2147483648, 2, -2]);
    expect(Array.from(await tn.full([1], -2147483648.5, i32).data())).toEqual([-2147483648]);
    expect(Array.from(await tn.arange(2147483645, 2147483648, 1, i32).data())).toEqual([2147483645, 2147483646, 2147483647]);
  });
});

describe('int32 add, sub and mul wrap modulo 2^32', () => {
  // Reference: the same two's complement wrap in JS (Math.imul and |0).
  const rand = (n: number, seed: number) => {
    let s = seed;
    return Array.from({ length: n }, () => {
      s = (Math.imul(s, 1103515245) + 12345) | 0;
      return s;
    });
  };
  test.each<[string, (a: tn.Tensor, b: tn.Tensor) => tn.Tensor, (a: number, b: number) => number]>([
    ['add', tn.add, (a, b) => (a + b) | 0],
    ['sub', tn.sub, (a, b) => (a - b) | 0],
    ['mul', tn.mul, (a, b) => Math.imul(a, b)],
  ])('%s on random full-range values (and broadcast)', async (_name, op, ref) => {
    const av = rand(257, 1), bv = rand(257, 2);
    const a = tn.tensor(av, [257], i32), b = tn.tensor(bv, [257], i32);
    expect(Array.from(await op(a, b).data())).toEqual(av.map((v, i) => ref(v, bv[i])));
    const s = tn.tensor([2147483647], [1], i32);
    expect(Array.from(await op(a, s).data())).toEqual(av.map((v) => ref(v, 2147483647)));
  });
  test('INT32_MAX + 1 is INT32_MIN', async () => {
    const y = tn.add(tn.tensor([2147483647], [1], i32), tn.tensor([1], [1], i32));
    expect(Array.from(await y.data())).toEqual([-2147483648]);
  });
});
