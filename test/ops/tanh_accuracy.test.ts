// tanh on the CPU (native/core/fast_math.h, also the LSTM/GRU cells' tanh): within 1 ulp of the exact value over a
// dense sweep, NaN through, ±inf to ±1, the sign of zero kept.
import * as tn from '../../lib';
import { ulpDistance } from '../helpers/ulp';

test('tanh is within 1 ulp of Math.tanh from -12 to 12 and near zero', () => {
  const xs: number[] = [];
  for (let i = -120000; i <= 120000; i++) xs.push(i / 10000 + 1e-5 * Math.sin(i)); // steps of 1e-4, jittered
  for (let e = -40; e <= 0; e++) xs.push(2 ** e, -(2 ** e), 0.6249 + e * 1e-6, 0.625 - e * 1e-6);
  const x = new Float32Array(xs);
  const got = tn.tidy(() => tn.tanh(tn.tensor(x)).dataSync());
  let worst = 0;
  let at = 0;
  x.forEach((v, i) => {
    const d = ulpDistance(got[i], Math.fround(Math.tanh(v)));
    if (d > worst) [worst, at] = [d, v];
  });
  expect({ worst, at }).toEqual({ worst: expect.any(Number), at: expect.any(Number) });
  expect(worst).toBeLessThanOrEqual(1);
});

test('tanh special values: NaN, ±inf, ±0, large magnitudes', () => {
  const got = tn.tidy(() => tn.tanh(tn.tensor([NaN, Infinity, -Infinity, 0, -0, 30, -30, 9.4, 1e-30])).dataSync());
  expect(Number.isNaN(got[0])).toBe(true);
  expect(Array.from(got.slice(1, 4))).toEqual([1, -1, 0]);
  expect(Object.is(got[4], -0)).toBe(true);
  expect(Array.from(got.slice(5, 7))).toEqual([1, -1]);
  expect(got[7]).toBe(Math.fround(Math.tanh(9.4)));
  expect(got[8]).toBe(Math.fround(1e-30));
});
