// Host copies of a fit()/evaluate() dataset and the batches cut from them (read once, asynchronously, then uploaded
// batch by batch to the model's device), plus class weights turned into per-sample weights.
import { ShapeError, ValueError } from '../errors';
import type { DataArray, DType } from '../dtype';
import type { Device } from '../device';
import { tensor } from '../ops';
import type { Tensor } from '../tensor';

export interface HostArray {
  data: DataArray;
  shape: number[];
  dtype: DType;
}

export interface HostData {
  /** One array per model input ... */
  x: HostArray[];
  /** ... and per output. */
  y: HostArray[];
  /** Per-sample weights (from classWeight), or null. */
  w: Float32Array | null;
  /** Row indices of this split into x/y. */
  rows: Int32Array;
}

/** Reads a tensor's values without blocking the event loop. */
export async function toHost(t: Tensor, what: string): Promise<HostArray> {
  if (!t || (t as { isTensor?: boolean }).isTensor !== true) throw new ValueError(`${what} must be a Tensor`);
  if (t.rank < 1) throw new ShapeError(`${what} must have a batch dimension, got a scalar`);
  return { data: await t.data(), shape: [...t.shape], dtype: t.dtype };
}

export function range(start: number, end: number): Int32Array {
  const r = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < r.length; i++) r[i] = start + i;
  return r;
}

/** Rows `idx` of `a` as a tensor on `device`. */
export function gatherBatch(a: HostArray, idx: ArrayLike<number>, device: Device): Tensor {
  const row = a.shape.slice(1).reduce((p, d) => p * d, 1);
  const out = a.dtype === 'int32' ? new Int32Array(idx.length * row) : new Float32Array(idx.length * row);
  for (let i = 0; i < idx.length; i++) out.set(a.data.subarray(idx[i] * row, (idx[i] + 1) * row), i * row);
  return tensor(out, [idx.length, ...a.shape.slice(1)], { dtype: a.dtype, device });
}

export function gatherWeights(w: Float32Array, idx: ArrayLike<number>, device: Device): Tensor {
  const out = new Float32Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = w[idx[i]];
  return tensor(out, [idx.length], { device });
}

/**
 * Per-sample weights from {class: weight}: the class of a sample is its index label, the argmax of a one-hot row,
 * or its rounded value for a single binary output. Classes not listed weigh 1.
 */
export function classWeightsToSample(y: HostArray, classWeight: Record<number, number>): Float32Array {
  for (const [k, v] of Object.entries(classWeight)) {
    if (!Number.isInteger(Number(k)) || typeof v !== 'number' || !(v >= 0)) {
      throw new ValueError(`fit: classWeight must map class indices to weights >= 0, got ${k}: ${v}`);
    }
  }
  const n = y.shape[0];
  const row = y.data.length / Math.max(1, n);
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let cls: number;
    if (row === 1) cls = Math.round(y.data[i]);
    else {
      cls = 0;
      for (let c = 1; c < row; c++) if (y.data[i * row + c] > y.data[i * row + cls]) cls = c;
    }
    w[i] = classWeight[cls] ?? 1;
  }
  return w;
}
