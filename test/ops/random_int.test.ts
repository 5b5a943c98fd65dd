// Integer random draws with tfjs's rules: randomUniform(..., 'int32') floors (uniform integers in [minval, maxval),
// maxval never drawn), randomNormal(..., 'int32') rounds. A rounded uniform gave the ends half the weight and drew
// maxval itself, which broke sparse labels drawn this way (the ACGAN example: class 10 of 10).
import * as tn from '../../lib';
import { tf } from '../helpers/tfjs_diff';

function histogram(values: ArrayLike<number>): Map<number, number> {
  const h = new Map<number, number>();
  for (let i = 0; i < values.length; i++) h.set(values[i], (h.get(values[i]) ?? 0) + 1);
  return h;
}

test.each([
  [0, 10],
  [-3, 4],
])('randomUniform int32 in [%d, %d): every integer about equally often, the upper bound never', (lo, hi) => {
  const n = 100_000;
  // tfjs truncates toward zero (its cast), which equals flooring for lo >= 0; below 0 it never draws lo and draws
  // 0 twice as often (noted in the compat table), so it is the reference for lo >= 0 only.
  for (const lib of lo >= 0 ? [tn, tf()] : [tn]) {
    const h = histogram((lib as typeof tn).randomUniform([n], lo, hi, 'int32', 5).dataSync() as Int32Array);
    expect([...h.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: hi - lo }, (_, i) => lo + i));
    const expected = n / (hi - lo);
    for (const count of h.values()) expect(Math.abs(count - expected)).toBeLessThan(0.08 * expected);
  }
});

test('randomNormal int32 rounds (0 holds the mass of [-0.5, 0.5), as in tfjs)', () => {
  const n = 100_000;
  const h = histogram(tn.randomNormal([n], 0, 3, 'int32', 7).dataSync() as Int32Array);
  const p0 = (h.get(0) ?? 0) / n; // P(|z| < 0.5 / 3) for a standard normal z: 0.1324
  expect(p0).toBeGreaterThan(0.12);
  expect(p0).toBeLessThan(0.145);
});
