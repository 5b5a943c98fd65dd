// Histogram buckets for SummaryFileWriter.histogram: tfjs-node's bucketing (k equal-width buckets between min and
// max, TensorBoard's default k = 30), computed in float32 as tfjs-node's TensorFlow ops compute it.
import { ValueError } from '../errors';

const f = Math.fround;

/**
 * Rows of (left edge, right edge, count), flattened: none for no data, one [v - 0.5, v + 0.5] bucket when every
 * value is v, else `bucketCount` buckets whose last one is closed on the right (it holds the maximum).
 */
export function histogramBuckets(values: ArrayLike<number>, bucketCount = 30): Float32Array {
  if (!(Number.isInteger(bucketCount) && bucketCount > 0)) {
    throw new ValueError(`histogram: 'buckets' must be a positive integer, got ${bucketCount}`);
  }
  const n = values.length;
  if (n === 0) return new Float32Array(0);
  const data = Float32Array.from(values);
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    // tfjs-node would write NaN edges or counts here; a histogram of such data means nothing, so say so instead
    if (!Number.isFinite(v)) throw new ValueError(`histogram: 'data' must be finite, found ${v}`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = f(max - min);
  if (range === 0) return Float32Array.of(f(min - 0.5), f(min + 0.5), n);
  const width = f(range / bucketCount);
  const counts = new Float64Array(bucketCount);
  for (const v of data) {
    // floorDiv of float32 operands; the maximum lands one past the end and joins the last bucket
    const b = Math.floor(f(f(v - min) / width));
    counts[Math.min(b, bucketCount - 1)]++;
  }
  // linspace(min, max, k + 1) as TensorFlow's LinSpace computes it (start + i * step), with the last edge exactly max
  const step = f(range / bucketCount);
  const edge = (i: number): number => (i === bucketCount ? max : f(min + f(step * i)));
  const out = new Float32Array(3 * bucketCount);
  for (let i = 0; i < bucketCount; i++) out.set([edge(i), edge(i + 1), counts[i]], 3 * i);
  return out;
}
