// Dtypes: the names users see, the codes the addon sees, and the typed arrays that hold their values.

export type DType = 'float32' | 'int32';
export type TypedArrayFor<D extends DType> = D extends 'int32' ? Int32Array : Float32Array;
export type DataArray = Float32Array | Int32Array;

export const DTYPES: readonly DType[] = ['float32', 'int32'];

export function dtypeCode(d: DType): number {
  return d === 'float32' ? 0 : 1;
}

export function isDType(d: unknown): d is DType {
  return d === 'float32' || d === 'int32';
}

export function bytesPerElement(_d: DType): number {
  return 4;
}

export function typedArrayFromBuffer(d: DType, buffer: ArrayBuffer): DataArray {
  return d === 'float32' ? new Float32Array(buffer) : new Int32Array(buffer);
}

/** The dtype an op on both returns (tfjs's upcastType): float32 when either is float32. */
export function upcastType(typeA: DType, typeB: DType): DType {
  return typeA === 'float32' || typeB === 'float32' ? 'float32' : 'int32';
}

/** The dtype sum() returns for an input dtype (tfjs's sumOutType): int32 sums stay int32. */
export function sumOutType(type: DType): DType {
  return type === 'int32' ? 'int32' : 'float32';
}
