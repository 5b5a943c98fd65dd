// Preprocessing helpers: scale, per-channel normalize, one-hot, train/validation split.

import { channelMeanStd, normalize, oneHot, scale, trainValidationSplit } from '../../lib/data/preprocess';
import { randomBytes } from './fixtures';

test('scale maps uint8 to float32', () => {
  const px = randomBytes(20, 1);
  const s = scale({ data: px, shape: [4, 5] }, 1 / 255);
  expect(s.shape).toEqual([4, 5]);
  s.data.forEach((v, i) => expect(v).toBeCloseTo(px[i] / 255, 6));
  expect(Array.from(scale({ data: Float32Array.of(1, 2), shape: [2] }, 2, -1).data)).toEqual([1, 3]);
});

test('normalize per channel (last dim) and by scalar', () => {
  const x = { data: Float32Array.of(1, 10, 100, 3, 20, 300), shape: [1, 2, 3] };
  const n = normalize(x, [2, 15, 200], [1, 5, 100]);
  const want = [-1, -1, -1, 1, 1, 1];
  n.data.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
  expect(Array.from(normalize({ data: Float32Array.of(0.5, 1.5), shape: [2] }, 0.5, 0.5).data)).toEqual([0, 2]);
  expect(() => normalize(x, [1, 2], 1)).toThrow(/mean has 2 values but the last dimension has 3 channels/);
  expect(() => normalize(x, 0, [1, 0, 1])).toThrow(/std\[1\] must be positive/);
});

test('channelMeanStd', () => {
  const s = channelMeanStd({ data: Float32Array.of(1, 10, 3, 20), shape: [2, 2] });
  expect(s.mean).toEqual([2, 15]);
  expect(s.std).toEqual([1, 5]);
});

test('oneHot', () => {
  const o = oneHot({ data: Int32Array.of(2, 0, 1), shape: [3] }, 3);
  expect(o.shape).toEqual([3, 3]);
  expect(Array.from(o.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
  expect(Array.from(oneHot([1], 2, { onValue: 0.9, offValue: 0.1 }).data)).toEqual([Math.fround(0.1), Math.fround(0.9)]);
  expect(() => oneHot([3], 3)).toThrow(/label 3 at index 0 is not an integer in \[0, 3\)/);
  expect(() => oneHot([0.5], 3)).toThrow(/label 0.5/);
  expect(() => oneHot({ data: Int32Array.of(1, 2), shape: [1, 2] }, 3)).toThrow(/rank 1/);
});

test('trainValidationSplit: last rows by default, seeded shuffle on request', () => {
  const x = { data: Float32Array.from({ length: 20 }, (_, i) => i), shape: [10, 2] };
  const y = { data: Int32Array.from({ length: 10 }, (_, i) => i), shape: [10] };
  const s = trainValidationSplit({ x, y }, 0.2);
  expect(Array.from(s.train.y.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  expect(Array.from(s.validation.y.data)).toEqual([8, 9]);
  expect(Array.from(s.validation.x.data)).toEqual([16, 17, 18, 19]);
  const r = trainValidationSplit({ x, y }, 0.3, { shuffle: true, seed: 2 });
  expect(r.train.y.shape).toEqual([7]);
  expect(r.validation.x.shape).toEqual([3, 2]);
  const ids = [...r.train.y.data, ...r.validation.y.data].sort((a, b) => a - b);
  expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  for (let i = 0; i < 3; i++) expect(r.validation.x.data[2 * i]).toBe(2 * r.validation.y.data[i]);
  expect(() => trainValidationSplit({ x }, 1)).toThrow(/\[0, 1\)/);
});
