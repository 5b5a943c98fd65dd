// The bundled `mnist` package digits: all 10,000 load with the right labels, and the seeded split is stratified, disjoint, reproducible.

import * as fs from 'fs';
import * as path from 'path';
import { bundledDigitsDir, loadAllBundledDigits, loadBundledDigits, stratifiedCounts } from '../../lib/data/mnist_package';

const perClass = Array.from({ length: 10 }, (_, d) => {
  const v = JSON.parse(fs.readFileSync(path.join(bundledDigitsDir(), `${d}.json`), 'utf8')).data as number[];
  return v;
});

function rowKey(data: Float32Array, r: number): string {
  let h = 0x811c9dc5; // FNV-1a over the pixel values rounded to the package's 3 decimals
  for (let i = r * 784; i < (r + 1) * 784; i++) h = Math.imul(h ^ Math.round(data[i] * 1000), 0x01000193) >>> 0;
  return h.toString(16);
}

describe('bundled digits', () => {
  test('all 10,000 digits in class order, matching the package JSON', () => {
    const all = loadAllBundledDigits();
    expect(all.images.shape).toEqual([10000, 28, 28, 1]);
    expect(all.labels.shape).toEqual([10000]);
    let row = 0;
    for (let d = 0; d < 10; d++) {
      const n = perClass[d].length / 784;
      expect(all.labels.data.subarray(row, row + n).every((l) => l === d)).toBe(true);
      // first and last image of each class equal the JSON values
      for (const r of [0, n - 1]) {
        for (let i = 0; i < 784; i += 13) expect(all.images.data[(row + r) * 784 + i]).toBeCloseTo(perClass[d][r * 784 + i], 6);
      }
      row += n;
    }
    const max = all.images.data.reduce((a, b) => Math.max(a, b), 0);
    expect(max).toBeLessThanOrEqual(1);
    expect(max).toBeGreaterThan(0.9);
  });

  test('split is stratified, disjoint and reproducible', () => {
    const s = loadBundledDigits({ trainSize: 8000, testSize: 2000, seed: 7 });
    expect(s.trainImages.shape).toEqual([8000, 28, 28, 1]);
    expect(s.testImages.shape).toEqual([2000, 28, 28, 1]);
    const counts = new Array(10).fill(0);
    s.testLabels.data.forEach((l) => counts[l]++);
    counts.forEach((c, d) => expect(Math.abs(c - (2000 * perClass[d].length) / 784 / 10000)).toBeLessThanOrEqual(1));
    // Train + test together must be a sub-multiset of all digits, with each image keeping its label.
    const pool = new Map<string, number>();
    const all = loadAllBundledDigits();
    for (let r = 0; r < 10000; r++) {
      const k = `${all.labels.data[r]}:${rowKey(all.images.data, r)}`;
      pool.set(k, (pool.get(k) ?? 0) + 1);
    }
    for (const [imgs, labels] of [[s.trainImages, s.trainLabels], [s.testImages, s.testLabels]] as const) {
      for (let r = 0; r < labels.data.length; r++) {
        const k = `${labels.data[r]}:${rowKey(imgs.data, r)}`;
        const left = pool.get(k) ?? 0;
        expect(left).toBeGreaterThan(0);
        pool.set(k, left - 1);
      }
    }
    const again = loadBundledDigits({ trainSize: 8000, testSize: 2000, seed: 7 });
    expect(Array.from(again.trainLabels.data)).toEqual(Array.from(s.trainLabels.data));
    expect(Buffer.from(again.testImages.data.buffer).equals(Buffer.from(s.testImages.data.buffer))).toBe(true);
    const other = loadBundledDigits({ trainSize: 8000, testSize: 2000, seed: 8 });
    expect(Array.from(other.trainLabels.data)).not.toEqual(Array.from(s.trainLabels.data));
    // shuffled: not in class order
    expect(Array.from(s.trainLabels.data.subarray(0, 50)).some((l, i, a) => i > 0 && l !== a[i - 1])).toBe(true);
  });

  test('small splits and invalid sizes', () => {
    const s = loadBundledDigits({ trainSize: 100, testSize: 30, seed: 1 });
    expect(s.trainLabels.shape).toEqual([100]);
    expect(s.testLabels.shape).toEqual([30]);
    expect(new Set(s.testLabels.data).size).toBe(10);
    expect(() => loadBundledDigits({ trainSize: 9000, testSize: 2000 })).toThrow(/exceeds the 10000/);
    expect(() => loadBundledDigits({ trainSize: -1 })).toThrow(/non-negative integer/);
  });

  test('stratifiedCounts uses largest remainders and respects availability', () => {
    expect(stratifiedCounts([5, 3, 2], 5)).toEqual([3, 1, 1]); // exact 2.5, 1.5, 1.0
    expect(stratifiedCounts([1, 1, 1], 2).reduce((a, b) => a + b)).toBe(2);
    expect(stratifiedCounts([0, 4], 4)).toEqual([0, 4]);
    expect(() => stratifiedCounts([1], 2)).toThrow();
  });
});
