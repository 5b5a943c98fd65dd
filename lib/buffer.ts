// tf.buffer / TensorBuffer: a mutable host array with a shape (set/get by coordinates), turned into a Tensor at the end.
import { DTypeError, ShapeError, ValueError } from './errors';
import { isDType, type DataArray, type DType } from './dtype';
import { tensor } from './ops/creation';
import type { Tensor } from './tensor';

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(Math.max(shape.length - 1, 0));
  let s = 1;
  for (let i = shape.length - 1; i > 0; i--) strides[i - 1] = s *= shape[i];
  return strides;
}

/** Values in row-major order with a shape; `set`/`get` take one coordinate per dimension. */
export class TensorBuffer {
  readonly shape: number[];
  readonly dtype: DType;
  readonly size: number;
  /** Row-major strides of every dimension but the last (tfjs's convention). */
  readonly strides: number[];
  values: DataArray;

  constructor(shape: readonly number[], dtype: DType = 'float32', values?: DataArray | number[]) {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ShapeError(`buffer: 'shape' must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (!isDType(dtype)) throw new DTypeError(`buffer: unknown dtype ${JSON.stringify(dtype)} (expected 'float32' or 'int32')`);
    // Its values would be (re, im) pairs that no tensor can be made from (tfjs fails later, in toTensor).
    if (dtype === 'complex64') throw new DTypeError("buffer: complex64 buffers are not supported; fill real and imaginary buffers and use complex(real, imag)");
    this.shape = [...shape];
    this.dtype = dtype;
    this.size = shape.reduce((a, b) => a * b, 1);
    this.strides = stridesOf(shape);
    const Ctor = dtype === 'int32' ? Int32Array : Float32Array;
    if (values !== undefined) {
      if (values.length !== this.size) {
        throw new ShapeError(`buffer: length of values (${values.length}) does not match the size implied by the shape [${shape}] (${this.size})`);
      }
      this.values = values instanceof Ctor ? values : Ctor.from(values as ArrayLike<number>);
    } else {
      this.values = new Ctor(this.size);
    }
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Writes `value` at the coordinates `locs` (one per dimension). */
  set(value: number, ...locs: number[]): void {
    if (locs.length === 0) locs = [0];
    if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError(`TensorBuffer.set: 'value' must be a number, got ${typeof value}`);
    this.values[this.locToIndex(locs)] = Number(value);
  }

  /** The value at the coordinates `locs`. */
  get(...locs: number[]): number {
    if (locs.length === 0) locs = [0];
    return this.values[this.locToIndex(locs)];
  }

  /** The flat index of coordinates `locs`. */
  locToIndex(locs: number[]): number {
    if (this.rank === 0) {
      if (locs.length > 1 || locs[0] !== 0) throw new ValueError(`TensorBuffer: a scalar has the one location [0], got [${locs}]`);
      return 0;
    }
    if (locs.length !== this.rank) {
      throw new ValueError(`TensorBuffer: requires ${this.rank} indices for shape [${this.shape}], got ${locs.length} ([${locs}])`);
    }
    let index = 0;
    for (let i = 0; i < locs.length; i++) {
      const l = locs[i];
      if (!Number.isInteger(l) || l < 0 || l >= this.shape[i]) {
        throw new ValueError(`TensorBuffer: index ${l} at dimension ${i} is outside [0, ${this.shape[i]}) for shape [${this.shape}]`);
      }
      index = index * this.shape[i] + l;
    }
    return index;
  }

  /** The coordinates of flat index `index`. */
  indexToLoc(index: number): number[] {
    if (this.rank === 0) return [];
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new ValueError(`TensorBuffer: flat index ${index} is outside [0, ${this.size})`);
    const locs = new Array<number>(this.rank);
    for (let i = this.rank - 1; i >= 0; i--) {
      locs[i] = index % this.shape[i];
      index = Math.floor(index / this.shape[i]);
    }
    return locs;
  }

  /** A new tensor with these values (copied: later writes to the buffer do not change it). */
  toTensor(): Tensor {
    return tensor(this.values, this.shape, { dtype: this.dtype });
  }
}

/** tfjs's buffer(shape, dtype = 'float32', values?). */
export function buffer(shape: readonly number[], dtype: DType = 'float32', values?: DataArray | number[]): TensorBuffer {
  return new TensorBuffer(shape, dtype, values);
}
