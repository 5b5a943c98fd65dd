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
