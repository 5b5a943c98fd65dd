// Dtypes: the names users see, the codes the addon sees, and the typed arrays that hold their values.
//
// complex64 exists only on this side: a complex tensor's storage holds interleaved float32 (re, im) pairs, and the
// complex ops (lib/ops/complex/) run float32 kernels on that storage seen as [...shape, 2]. The addon never sees it.
import { InternalError } from './errors';

export type DType = 'float32' | 'int32' | 'bool' | 'complex64';
export type TypedArrayFor<D extends DType> = D extends 'int32' ? Int32Array : D extends 'bool' ? Uint8Array : Float32Array;
/** Host values of a tensor: Float32Array, Int32Array, or Uint8Array of 0/1 for bool (as tfjs). */
export type DataArray = Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool', 'complex64'];

/** The addon's dtype code (native/core/dtype.h). */
export function dtypeCode(d: DType): number {
  if (d === 'complex64') throw new InternalError('dtypeCode: complex64 has no native dtype (complex ops run on the float32 view)');
  return d === 'float32' ? 0 : d === 'int32' ? 1 : 2;
}

export function isDType(d: unknown): d is DType {
  return d === 'float32' || d === 'int32' || d === 'bool' || d === 'complex64';
}

/** Bytes per element on the device: bool is stored as a 32-bit 0/1, so every real dtype takes 4; complex64 takes 8. */
export function bytesPerElement(d: DType): number {
  return d === 'complex64' ? 8 : 4;
}

/**
 * Device bytes -> host values; bool becomes a Uint8Array of 0/1 (a copy), as tfjs's dataSync gives it, and complex64 a
 * Float32Array of interleaved (re, im) pairs, as tfjs's does.
 */
export function typedArrayFromBuffer(d: DType, buffer: ArrayBuffer): DataArray {
  if (d === 'float32' || d === 'complex64') return new Float32Array(buffer);
  const ints = new Int32Array(buffer);
  return d === 'int32' ? ints : Uint8Array.from(ints);
}

/**
 * tfjs's dtype promotion for binary ops (upcastType): complex64 wins over all, float32 over int32 and bool, int32 over
 * bool.
 */
export function upcastType(a: DType, b: DType): DType {
  if (a === 'complex64' || b === 'complex64') return 'complex64';
  if (a === 'float32' || b === 'float32') return 'float32';
  if (a === 'int32' || b === 'int32') return 'int32';
  return 'bool';
}

/** The dtype sum() returns for an input dtype (tfjs's sumOutType): int32 sums stay int32. */
export function sumOutType(type: DType): DType {
  return type === 'int32' ? 'int32' : 'float32';
}
