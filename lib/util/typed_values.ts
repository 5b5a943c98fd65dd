// tf.util's value and dtype helpers around typed arrays: comparison with wildcards, encoding checks, scalar values.
import { DTypeError, ValueError } from '../errors';
import { encodeString, toNestedArray } from './index';

/** Element-wise equality where a null on either side matches anything (shapes with unknown dimensions). */
export function arraysEqualWithNull(a: ArrayLike<number | null> | null, b: ArrayLike<number | null> | null): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== null && b[i] !== null && a[i] !== b[i]) return false;
  return true;
}

/** The hyperbolic tangent of a number. */
export function tanh(x: number): number {
  return Math.tanh(x);
}

/** True when casting values of dtype `oldType` to `newType` can lose information (float -> int, anything -> bool...). */
export function hasEncodingLoss(oldType: string, newType: string): boolean {
  if (newType === 'complex64') return false;
  if (newType === 'float32' && oldType !== 'complex64') return false;
  if (newType === 'int32' && oldType !== 'float32' && oldType !== 'complex64') return false;
  if (newType === 'bool' && oldType === 'bool') return false;
  return true;
}

/** Total byte length of a list of encoded strings (0 for none). */
export function bytesFromStringArray(arr: Uint8Array[] | null | undefined): number {
  if (arr === null || arr === undefined) return 0;
  return arr.reduce((n, x) => n + x.length, 0);
}

/** The stored form of one scalar: UTF-8 bytes for 'string', else a one-element typed array of the dtype. */
export function createScalarValue(value: number | boolean | string, dtype: string): Uint8Array | Float32Array | Int32Array {
  if (dtype === 'string') return encodeString(String(value));
  if (dtype === 'float32') return Float32Array.of(Number(value));
  if (dtype === 'int32') return Int32Array.of(Number(value));
  // tfjs keeps bool values as bytes
  if (dtype === 'bool') return Uint8Array.of(Number(value));
  throw new DTypeError(`createScalarValue: unknown dtype ${JSON.stringify(dtype)}`);
}

/** Backend values or raw bytes as the typed array of `dtype` (a list of encoded strings passes through). */
export function convertBackendValuesAndArrayBuffer(
  data: ArrayBuffer | ArrayLike<number> | Uint8Array[],
  dtype: string,
): Float32Array | Int32Array | Uint8Array | Uint8Array[] {
  if (Array.isArray(data)) return data as Uint8Array[];
  const src = data as ArrayBuffer | ArrayLike<number>;
  if (dtype === 'float32') return src instanceof Float32Array ? src : new Float32Array(src as ArrayLike<number>);
  if (dtype === 'int32') return src instanceof Int32Array ? src : new Int32Array(src as ArrayLike<number>);
  // bool and string bytes travel as int32 words, one per value
  if (dtype === 'bool' || dtype === 'string') return Uint8Array.from(new Int32Array(src as ArrayLike<number>));
  throw new DTypeError(`convertBackendValuesAndArrayBuffer: unknown dtype ${JSON.stringify(dtype)}`);
}

/** Zeros nested as arrays of `shape` (dtype float32 by default, int32 or bool). */
export function makeZerosNestedTypedArray(shape: number[], dtype?: string): number | unknown[] {
  const size = shape.reduce((p, c) => p * c, 1);
  if (dtype === undefined || dtype === null || dtype === 'float32') return toNestedArray(shape, new Float32Array(size));
  if (dtype === 'int32') return toNestedArray(shape, new Int32Array(size));
  if (dtype === 'bool') return toNestedArray(shape, new Uint8Array(size));
  throw new ValueError(`makeZerosNestedTypedArray: unknown data type ${JSON.stringify(dtype)}`);
}
