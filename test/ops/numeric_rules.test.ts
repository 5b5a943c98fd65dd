// KERNELS.md "Numeric rules", checked on the CPU backend (the CUDA kernels share the same code in core/):
// float -> int32 casts (NaN, ±inf, out of range), NaN through binary cross-entropy's log clamp, and the
// random_uniform formula computed without FMA contraction, bit for bit.
import * as tn from '../../lib';
import { randomArray } from '../helpers/gradcheck';

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/** The documented float -> int32 rule: toward zero, NaN -> 0, saturating. */
function toInt32(v: number): number {
  if (Number.isNaN(v)) return 0;
  if (v >= INT32_MAX) return INT32_MAX;
  if (v <= INT32_MIN) return INT32_MIN;
  return Math.trunc(v) | 0;
}

describe('cast float32 -> int32', () => {
  test('NaN gives 0, ±inf and out-of-range values saturate, the rest truncate toward zero', async () => {
    const edge = [NaN, Infinity, -Infinity, 3e9, -3e9, 2147483520, 2147483648, -2147483648, -2147483904, 2.9, -2.9, 0.5, -0.5, -0];
    const want = [0, INT32_MAX, INT32_MIN, INT32_MAX, INT32_MIN, 2147483520, INT32_MAX, INT32_MIN, INT32_MIN, 2, -2, 0, 0, 0];
    const y = tn.cast(tn.tensor(Float32Array.from(edge), [edge.length]), 'int32');
    expect(y.dtype).toBe('int32');
    expect(Array.from(await y.data())).toEqual(want);
  });

  test('random values across and beyond the int32 range follow the same rule', async () => {
    const x = Float32Array.from(randomArray(2000, 31, -6e9, 6e9));
    const want = Array.from(x, toInt32);
    expect(want.some((v) => v === INT32_MAX) && want.some((v) => v === INT32_MIN) && want.some((v) => Math.abs(v) < INT32_MAX)).toBe(true);
    expect(Array.from(await tn.cast(tn.tensor(x, [x.length]), 'int32').data())).toEqual(want);
  });
});

describe('binaryCrossEntropy NaN', () => {
  test('a NaN probability or target gives NaN (the log clamp keeps NaN), 0 and 1 clamp to 100', async () => {
    const p = tn.tensor([NaN, 0.3, 0, 1, 0.6], [5]);
    const t = tn.tensor([0.5, NaN, 1, 0, 0.25], [5]);
    const loss = Array.from(await tn.binaryCrossEntropy(p, t, { reduction: 'none' }).data());
    expect(Number.isNaN(loss[0])).toBe(true);
    expect(Number.isNaN(loss[1])).toBe(true);
    expect(loss[2]).toBeCloseTo(100, 4);
    expect(loss[3]).toBeCloseTo(100, 4);
    expect(loss[4]).toBeCloseTo(-(0.25 * Math.log(0.6) + 0.75 * Math.log(0.4)), 5);
    expect(Number.isNaN((await tn.binaryCrossEntropy(p, t).data())[0])).toBe(true);
  });
});

// core/rng.h in BigInt: splitmix64 and the 24-bit uniform.
const MASK = (1n << 64n) - 1n;
function splitmix64(x: bigint): bigint {
  x = (x + 0x9e3779b97f4a7c15n) & MASK;
  x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return x ^ (x >> 31n);
}
function uniformAt(seed: number, index: number): number {
  const h = splitmix64(splitmix64(BigInt(seed)) ^ BigInt(index));
  return Number(h >> 40n) / 16777216;
}

describe('random_uniform formula', () => {
  test('rand equals low + (high-low)*u with each operation rounded to float32, bit for bit', async () => {
    const f = Math.fround;
    let contractedDiffers = 0;
    for (const [seed, low, high] of [[11, -1.3, 2.7], [12345, 0.1, 0.7], [7, -3.3, -1.9]]) {
      const n = 4000;
      const got = await tn.rand([n], { seed, low, high }).data();
      const a = f(low), b = f(high), span = f(b - a);
      const want = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const u = uniformAt(seed, i);
        want[i] = f(a + f(span * u));
        // A fused multiply-add rounds once (span*u is exact in double): what a contracting compiler would give.
        if (f(a + span * u) !== want[i]) contractedDiffers++;
      }
      expect(new Uint32Array(got.buffer)).toEqual(new Uint32Array(want.buffer));
    }
    // The check can tell the two apart: on these inputs the contracted formula gives other bits somewhere.
    expect(contractedDiffers).toBeGreaterThan(0);
  });
});
