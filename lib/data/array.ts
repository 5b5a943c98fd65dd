// Plain n-dimensional arrays (a typed array plus a shape): what the data loaders produce before anything becomes a Tensor.

import { ShapeError } from '../errors';

export type NumericArray = Float32Array | Int32Array | Uint8Array;

/** A dense row-major array: `data.length` equals the product of `shape`. */
export interface ArrayND<T extends NumericArray = NumericArray> {
  data: T;
  shape: number[];
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Builds an ArrayND after checking that the data length matches the shape. */
export function arrayND<T extends NumericArray>(data: T, shape: readonly number[]): ArrayND<T> {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`arrayND: shape [${shape.join(',')}] has a dimension that is not a non-negative integer`);
  }
  const n = sizeOf(shape);
  if (n !== data.length) throw new ShapeError(`arrayND: shape [${shape.join(',')}] needs ${n} elements, data has ${data.length}`);
  return { data, shape: [...shape] };
}

/** Elements per row (product of all dimensions after the first). */
export function rowSize(a: ArrayND): number {
  return sizeOf(a.shape.slice(1));
}

/** Number of rows (first dimension); a scalar-shaped array has none. */
export function rowCount(a: ArrayND): number {
  if (a.shape.length === 0) throw new ShapeError('rowCount: a rank-0 array has no rows');
  return a.shape[0];
}

function emptyLike<T extends NumericArray>(data: T, n: number): T {
  return new (data.constructor as new (n: number) => T)(n);
}

/** Gathers rows `indices` of `a` into a new array of shape [indices.length, ...a.shape.slice(1)]. */
export function gatherRows<T extends NumericArray>(a: ArrayND<T>, indices: ArrayLike<number>): ArrayND<T> {
  const n = rowCount(a);
  const rs = rowSize(a);
  const out = emptyLike(a.data, indices.length * rs);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= n) throw new ShapeError(`gatherRows: row index ${r} is outside [0, ${n})`);
    out.set(a.data.subarray(r * rs, (r + 1) * rs), i * rs);
  }
  return { data: out, shape: [indices.length, ...a.shape.slice(1)] };
}

/** Rows [begin, end) of `a` as a copy. */
export function sliceRows<T extends NumericArray>(a: ArrayND<T>, begin: number, end: number): ArrayND<T> {
  const rs = rowSize(a);
  const data = a.data.slice(begin * rs, end * rs) as T;
  return { data, shape: [end - begin, ...a.shape.slice(1)] };
}

/** Concatenates arrays along the first dimension; all must share dtype and trailing shape. */
export function concatRows<T extends NumericArray>(parts: ArrayND<T>[]): ArrayND<T> {
  if (parts.length === 0) throw new ShapeError('concatRows: nothing to concatenate');
  const tail = parts[0].shape.slice(1);
  let rows = 0;
  let total = 0;
  for (const p of parts) {
    if (p.shape.length !== tail.length + 1 || p.shape.slice(1).some((d, i) => d !== tail[i])) {
      throw new ShapeError(`concatRows: shape [${p.shape.join(',')}] does not match [*,${tail.join(',')}]`);
    }
    rows += p.shape[0];
    total += p.data.length;
  }
  const out = emptyLike(parts[0].data, total);
  let off = 0;
  for (const p of parts) {
    out.set(p.data, off);
    off += p.data.length;
  }
  return { data: out, shape: [rows, ...tail] };
}
