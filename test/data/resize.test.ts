// Bilinear resize (NHWC): hand-computed half-pixel and align-corners cases, and 2x downscale = 2x2 block mean on random data.

import { resizeBilinear } from '../../lib/data/resize';
import { mulberry32 } from '../../lib/data/prng';

function close(a: ArrayLike<number>, b: number[]): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
}

test('2x2 -> 4x4 with half-pixel centers (tf.image.resize bilinear)', () => {
  // Output coordinate o maps to source (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1].
  const r = resizeBilinear({ data: Float32Array.of(1, 2, 3, 4), shape: [1, 2, 2, 1] }, [4, 4]);
  expect(r.shape).toEqual([1, 4, 4, 1]);
  close(r.data, [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
});

test('2x2 -> 3x3 with align corners', () => {
  const r = resizeBilinear({ data: Float32Array.of(1, 2, 3, 4), shape: [1, 2, 2, 1] }, [3, 3], { alignCorners: true });
  close(r.data, [1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4]);
});

test('downscale by 2 averages 2x2 blocks, per channel and per image', () => {
  const [n, h, w, c] = [2, 6, 4, 3];
  const rng = mulberry32(9);
  const x = Float32Array.from({ length: n * h * w * c }, () => rng() * 2 - 1);
  const r = resizeBilinear({ data: x, shape: [n, h, w, c] }, [3, 2]);
  expect(r.shape).toEqual([2, 3, 2, 3]);
  const at = (b: number, y: number, xx: number, ch: number): number => x[((b * h + y) * w + xx) * c + ch];
  const want: number[] = [];
  for (let b = 0; b < n; b++)
    for (let y = 0; y < 3; y++)
      for (let xx = 0; xx < 2; xx++)
        for (let ch = 0; ch < c; ch++)
          want.push((at(b, 2 * y, 2 * xx, ch) + at(b, 2 * y + 1, 2 * xx, ch) + at(b, 2 * y, 2 * xx + 1, ch) + at(b, 2 * y + 1, 2 * xx + 1, ch)) / 4);
  close(r.data, want);
});

test('same size is the identity; bad arguments throw', () => {
  const rng = mulberry32(1);
  const x = Float32Array.from({ length: 2 * 5 * 3 * 2 }, () => rng());
  close(resizeBilinear({ data: x, shape: [2, 5, 3, 2] }, [5, 3]).data, Array.from(x));
  expect(() => resizeBilinear({ data: x, shape: [10, 3, 2] }, [2, 2])).toThrow(/rank 4/);
  expect(() => resizeBilinear({ data: x, shape: [2, 5, 3, 2] }, [0, 2])).toThrow(/height/);
});
