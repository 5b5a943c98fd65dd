// Seeded PRNG and permutations: reproducible, in range, and actually permutations.

import { mulberry32, permutation, shuffleInPlace } from '../../lib/data/prng';

test('mulberry32 is deterministic, in [0,1), and roughly uniform', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const xs = Array.from({ length: 20000 }, () => a());
  expect(Array.from({ length: 20000 }, () => b())).toEqual(xs);
  expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  const buckets = new Array(10).fill(0);
  xs.forEach((x) => buckets[Math.floor(x * 10)]++);
  buckets.forEach((c) => expect(Math.abs(c - 2000)).toBeLessThan(200));
  expect(mulberry32(43)()).not.toBe(mulberry32(42)());
});

test('permutation holds each index once and depends on the seed', () => {
  const p = permutation(1000, 3);
  expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  expect(Array.from(permutation(1000, 3))).toEqual(Array.from(p));
  expect(Array.from(permutation(1000, 4))).not.toEqual(Array.from(p));
  const arr = ['a', 'b', 'c', 'd'];
  shuffleInPlace(arr, mulberry32(1));
  expect([...arr].sort()).toEqual(['a', 'b', 'c', 'd']);
});
