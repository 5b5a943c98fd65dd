// sigmoid on the CPU (native/core/fast_math.h, also the LSTM/GRU cells' gates): within 2 ulp of the exact value
// where it is a normal float, within 6e-8 everywhere, exact limits at the ends, NaN through.
import * as tn from '../../lib';
import { ulpDistance } from '../helpers/ulp';

test('sigmoid is within 2 ulp of the exact value from -87 to 90 (and 6e-8 absolute below)', () => {
  const xs: number[] = [];
  for (let i = -1000000; i <= 900000; i++) xs.push(i / 10000 + 1e-5 * Math.sin(i)); // steps of 1e-4, jittered
  for (let e = -40; e <= 0; e++) xs.push(2 ** e, -(2 ** e));
  const x = new Float32Array(xs);
  const got = tn.tidy(() => tn.sigmoid(tn.tensor(x)).dataSync());
  let worstUlp = 0;
  let worstAbs = 0;
  x.forEach((v, i) => {
    const exact = Math.fround(1 / (1 + Math.exp(-v)));
    if (v > -87) worstUlp = Math.max(worstUlp, ulpDistance(got[i], exact)); // below, the exact value is subnormal
    worstAbs = Math.max(worstAbs, Math.abs(got[i] - exact));
  });
  expect(worstUlp).toBeLessThanOrEqual(2);
  expect(worstAbs).toBeLessThanOrEqual(6e-8);
});

test('sigmoid special values: NaN, ±inf, ±0, large magnitudes', () => {
  const got = tn.tidy(() => tn.sigmoid(tn.tensor([NaN, Infinity, -Infinity, 0, -0, 200, -200])).dataSync());
  expect(Number.isNaN(got[0])).toBe(true);
  expect(got[1]).toBe(1);
  expect(got[2]).toBeLessThan(2e-38);
  expect(Array.from(got.slice(3, 6))).toEqual([0.5, 0.5, 1]);
  expect(got[6]).toBeLessThan(2e-38);
});
