// tfjs's rank-checked constructors: scalar, tensor1d ... tensor6d (values, shape?, dtype?).
import { ShapeError, ValueError } from '../errors';
import type { DType } from '../dtype';
import type { NestedArray, Tensor } from '../tensor';
import { inferShape, tensor } from './creation';

type Values = NestedArray | Float32Array | Int32Array | Uint8Array | number[];

/** A single number as a rank-0 tensor. */
export function scalar(value: number, dtype?: DType): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new ValueError(`scalar: 'value' must be a single number, got ${Array.isArray(value) || ArrayBuffer.isView(value) ? 'an array' : typeof value}`);
  }
  return tensor(Number(value), [], { dtype });
}

function tensorOfRank(rank: number, values: Values, shape: readonly number[] | undefined, dtype: DType | undefined): Tensor {
  const op = `tensor${rank}d`;
  if (values === null || values === undefined || (typeof values !== 'object' && typeof values !== 'number')) {
    throw new ValueError(`${op}: 'values' must be nested arrays, a flat array or a TypedArray, got ${values === null ? 'null' : typeof values}`);
  }
  if (shape !== undefined && shape !== null && (!Array.isArray(shape) || shape.length !== rank)) {
    throw new ShapeError(`${op}: 'shape' must have ${rank} dimension${rank === 1 ? '' : 's'}, got ${JSON.stringify(shape)}`);
  }
  const inferred = inferShape(values);
  if (rank === 1) {
    if (inferred.length !== 1) throw new ShapeError(`${op}: 'values' must be a flat array or TypedArray, got values of rank ${inferred.length}`);
  } else {
    if (inferred.length !== rank && inferred.length !== 1) {
      throw new ShapeError(`${op}: 'values' must be nested to depth ${rank} or be flat, got values of rank ${inferred.length} (shape [${inferred}])`);
    }
    if (inferred.length === 1 && (shape === undefined || shape === null)) {
      throw new ShapeError(`${op}: 'shape' is required when 'values' are a flat array or TypedArray`);
    }
  }
  return tensor(values, shape ?? inferred, { dtype });
}

export function tensor1d(values: Values, dtype?: DType): Tensor {
  return tensorOfRank(1, values, undefined, dtype);
}
export function tensor2d(values: Values, shape?: [number, number], dtype?: DType): Tensor {
  return tensorOfRank(2, values, shape, dtype);
}
export function tensor3d(values: Values, shape?: [number, number, number], dtype?: DType): Tensor {
  return tensorOfRank(3, values, shape, dtype);
}
export function tensor4d(values: Values, shape?: [number, number, number, number], dtype?: DType): Tensor {
  return tensorOfRank(4, values, shape, dtype);
}
export function tensor5d(values: Values, shape?: [number, number, number, number, number], dtype?: DType): Tensor {
  return tensorOfRank(5, values, shape, dtype);
}
export function tensor6d(values: Values, shape?: [number, number, number, number, number, number], dtype?: DType): Tensor {
  return tensorOfRank(6, values, shape, dtype);
}
