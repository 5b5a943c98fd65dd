// Dtypes: the names users see, the codes the addon sees, and the typed arrays that hold their values.

export type DType = 'float32' | 'int32' | 'bool';
export type TypedArrayFor<D extends DType> = D extends 'int32' ? Int32Array : D extends 'bool' ? Uint8Array : Float32Array;
/** Host values of a tensor: Float32Array, Int32Array, or Uint8Array of 0/1 for bool (as tfjs). */
export type DataArray = Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** The addon's dtype code (native/core/dtype.h). */
export function dtypeCode(d: DType): number {
  return d === 'float32' ? 0 : d === 'int32' ? 1 : 2;
}

export function isDType(d: unknown): d is DType {
  return d === 'float32' || d === 'int32' || d === 'bool';
}

/** Bytes per element on the device: bool is stored as a 32-bit 0/1, so every dtype takes 4. */
export function bytesPerElement(_d: DType): number {
  return 4;
}

/** Device bytes -> host values; bool becomes a Uint8Array of 0/1 (a copy), as tfjs's dataSync gives it. */
export function typedArrayFromBuffer(d: DType, buffer: ArrayBuffer): DataArray {
  if (d === 'float32') return new Float32Array(buffer);
  const ints = new Int32Array(buffer);
  return d === 'int32' ? ints : Uint8Array.from(ints);
}

/**
 * tfjs's dtype promotion for binary ops (upcastType): float32 wins over int32 and bool, int32 over bool.
 */
export function upcastType(a: DType, b: DType): DType {
  if (a === 'float32' || b === 'float32') return 'float32';
  if (a === 'int32' || b === 'int32') return 'int32';
  return 'bool';
}

/** The dtype sum() returns for an input dtype (tfjs's sumOutType): int32 sums stay int32. */
export function sumOutType(type: DType): DType {
  return type === 'int32' ? 'int32' : 'float32';
}
