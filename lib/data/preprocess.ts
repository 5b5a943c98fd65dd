// Preprocessing on plain arrays: scale, per-channel normalize, one-hot labels, train/validation split.

import { ArrayND } from './array';
import { Arrays, ArrayDataset } from './dataset';
import { permutation } from './prng';
import { ShapeError, ValueError } from '../errors';

/** x * factor + offset, as float32 (e.g. scale(uint8Images, 1/255)). */
export function scale(a: ArrayND, factor: number, offset = 0): ArrayND<Float32Array> {
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] * factor + offset;
  return { data: out, shape: [...a.shape] };
}

/**
 * (x - mean) / std as float32. `mean`/`std` are scalars or one value per channel (the last dimension, as in NHWC).
 */
export function normalize(a: ArrayND, mean: number | readonly number[], std: number | readonly number[]): ArrayND<Float32Array> {
  const c = a.shape.length ? a.shape[a.shape.length - 1] : 1;
  const m = perChannel('mean', mean, c);
  const s = perChannel('std', std, c);
  s.forEach((v, i) => {
    if (!(v > 0)) throw new ValueError(`normalize: std[${i}] must be positive, got ${v}`);
  });
  const inv = s.map((v) => 1 / v);
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) {
    const ch = i % c;
    out[i] = (a.data[i] - m[ch]) * inv[ch];
  }
  return { data: out, shape: [...a.shape] };
}

function perChannel(what: string, v: number | readonly number[], c: number): number[] {
  if (typeof v === 'number') return new Array<number>(c).fill(v);
  if (v.length !== c) throw new ShapeError(`normalize: ${what} has ${v.length} values but the last dimension has ${c} channels`);
  return [...v];
}

/** Per-channel mean and (population) standard deviation over all leading dimensions. */
export function channelMeanStd(a: ArrayND): { mean: number[]; std: number[] } {
  const c = a.shape[a.shape.length - 1];
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let i = 0; i < a.data.length; i++) sum[i % c] += a.data[i];
  const n = a.data.length / c;
  const mean = Array.from(sum, (v) => v / n);
  for (let i = 0; i < a.data.length; i++) {
    const d = a.data[i] - mean[i % c];
    sq[i % c] += d * d;
  }
  return { mean, std: Array.from(sq, (v) => Math.sqrt(v / n)) };
}

export interface OneHotOptions {
  onValue?: number; // default 1
  offValue?: number; // default 0
}

/** Labels [N] (integers in [0, numClasses)) to float32 [N, numClasses]. */
export function oneHot(labels: ArrayND | ArrayLike<number>, numClasses: number, opts: OneHotOptions = {}): ArrayND<Float32Array> {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  const values: ArrayLike<number> = 'shape' in labels && 'data' in labels ? (labels as ArrayND).data : (labels as ArrayLike<number>);
  if ('shape' in labels && (labels as ArrayND).shape.length !== 1) {
    throw new ShapeError(`oneHot: labels must be rank 1, got shape [${(labels as ArrayND).shape.join(',')}]`);
  }
  const n = values.length;
  const out = new Float32Array(n * numClasses).fill(opts.offValue ?? 0);
  const on = opts.onValue ?? 1;
  for (let i = 0; i < n; i++) {
    const l = values[i];
    if (!Number.isInteger(l) || l < 0 || l >= numClasses) throw new ValueError(`oneHot: label ${l} at index ${i} is not an integer in [0, ${numClasses})`);
    out[i * numClasses + l] = on;
  }
  return { data: out, shape: [n, numClasses] };
}

export interface SplitOptions {
  /** Shuffle (seeded) before splitting; otherwise, as in Keras' validation_split, the last rows are the validation set. */
  shuffle?: boolean;
  seed?: number;
}

/** Splits named arrays into train and validation parts; validation gets n - floor(n * (1 - fraction)) rows. */
export function trainValidationSplit<T extends Arrays>(
  arrays: T,
  validationFraction: number,
  opts: SplitOptions = {},
): { train: T; validation: T } {
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new ValueError(`trainValidationSplit: validationFraction must be in [0, 1), got ${validationFraction}`);
  }
  const ds = new ArrayDataset(arrays);
  const n = ds.length;
  const cut = Math.floor(n * (1 - validationFraction));
  const order = opts.shuffle ? permutation(n, opts.seed ?? 0) : Int32Array.from({ length: n }, (_, i) => i);
  return { train: ds.subset(order.subarray(0, cut)).arrays, validation: ds.subset(order.subarray(cut)).arrays };
}

