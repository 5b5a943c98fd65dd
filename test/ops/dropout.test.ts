// dropout: mask matches the counter-based RNG (splitmix64) bit for bit, keep rate, scaling, gradient, identity cases.
import * as tn from '../../lib';
import { randomArray } from '../helpers/gradcheck';

const M64 = (1n << 64n) - 1n;
function splitmix64(z: bigint): bigint {
  z = (z + 0x9e3779b97f4a7c15n) & M64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}
/** core/rng.h uniformAt, re-derived independently: 24 high bits of splitmix64(splitmix64(seed) ^ i). */
function uniformAt(seed: number, i: number): number {
  return Number(splitmix64(splitmix64(BigInt(seed)) ^ BigInt(i)) >> 40n) / 16777216;
}

describe('dropout', () => {
  test('mask equals the reference RNG and y = x * mask', async () => {
    const n = 4099;
    const rate = 0.3;
    const seed = 987654321;
    const x = randomArray(n, 91, -2, 2);
    const y = await tn.dropout(tn.tensor(x, [n]), rate, { seed }).data();
    const scale = Math.fround(1 / Math.fround(1 - Math.fround(rate)));
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const keep = uniformAt(seed, i) >= Math.fround(rate);
      if (keep) kept++;
      expect(y[i]).toBe(Math.fround(x[i] * (keep ? scale : 0))); // exact float32 product (-0 for dropped negatives)
    }
    expect(Math.abs(kept / n - (1 - rate))).toBeLessThan(0.03);
  });

  test('same seed, same result; another seed, another mask', async () => {
    const x = tn.tensor(randomArray(500, 92, 0.5, 1), [500]);
    const a = Array.from(await tn.dropout(x, 0.5, { seed: 7 }).data());
    const b = Array.from(await tn.dropout(x, 0.5, { seed: 7 }).data());
    const c = Array.from(await tn.dropout(x, 0.5, { seed: 8 }).data());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  test('global seed makes unseeded dropout repeatable', async () => {
    const x = tn.tensor(randomArray(300, 93, 0.5, 1), [3, 100]);
    tn.setSeed(5);
    const a = Array.from(await tn.dropout(x, 0.4).data());
    tn.setSeed(5);
    const b = Array.from(await tn.dropout(x, 0.4).data());
    expect(a).toEqual(b);
  });

  test('gradient is the mask', async () => {
    const n = 257;
    const x = tn.tensor(randomArray(n, 94, 0.5, 1.5), [n], { requiresGrad: true });
    const y = tn.dropout(x, 0.25, { seed: 3 });
    const dy = randomArray(n, 95);
    y.backward(tn.tensor(dy, [n]));
    const [xv, yv, gv] = [await x.data(), await y.data(), await x.grad!.data()];
    for (let i = 0; i < n; i++) expect(gv[i]).toBeCloseTo((yv[i] / xv[i]) * dy[i], 5); // mask = y/x (x never 0)
  });

  test('identity when rate is 0 or not training (gradient passes)', async () => {
    const data = randomArray(10, 96);
    const x = tn.tensor(data, [2, 5], { requiresGrad: true });
    expect(Array.from(await tn.dropout(x, 0.5, { training: false }).data())).toEqual(Array.from(data));
    const y = tn.dropout(x, 0);
    expect(Array.from(await y.data())).toEqual(Array.from(data));
    y.backward(tn.ones([2, 5]));
    expect(Array.from(await x.grad!.data())).toEqual(new Array(10).fill(1));
  });

  test('errors', () => {
    expect(() => tn.dropout(tn.zeros([3]), 1)).toThrow(tn.ValueError);
    expect(() => tn.dropout(tn.zeros([3]), -0.1)).toThrow(tn.ValueError);
    expect(() => tn.dropout(tn.zeros([3]), 0.5, { seed: 1.5 })).toThrow(/seed/);
    expect(() => tn.dropout(tn.zeros([3], { dtype: 'int32' }), 0.5)).toThrow(tn.DTypeError);
  });
});
