// tf.util: tfjs's general helpers (assertions, shapes and strides, flattening, shuffling, timing, typed arrays).
import { DTypeError, ShapeError, ValueError } from '../errors';
import { isDType, type DataArray, type DType } from '../dtype';

type Flat = number[] | Float32Array | Int32Array | Uint8Array;
type Nested = number | boolean | string | Nested[] | Float32Array | Int32Array | Uint8Array;

/** Throws ValueError with msg() when expr is false. */
export function assert(expr: boolean, msg: () => string): asserts expr {
  if (!expr) throw new ValueError(typeof msg === 'function' ? msg() : String(msg));
}

/** Throws ValueError unless a is neither null nor undefined. */
export function assertNonNull(a: unknown): void {
  assert(a !== null && a !== undefined, () => 'The input to the tensor constructor must be a non-null value.');
}

/** Throws ShapeError unless the two shapes are equal. */
export function assertShapesMatch(shapeA: readonly number[], shapeB: readonly number[], errorMessagePrefix = ''): void {
  if (!arraysEqual(shapeA, shapeB)) throw new ShapeError(`${errorMessagePrefix}Shapes [${shapeA}] and [${shapeB}] must match`);
}

/** Throws ShapeError unless every dimension is a non-negative integer. */
export function assertNonNegativeIntegerDimensions(shape: readonly number[]): void {
  shape.forEach((d) => {
    if (!(Number.isInteger(d) && d >= 0)) throw new ShapeError(`Tensor must have a shape comprised of positive integers but got shape [${shape}].`);
  });
}

/** Element-wise equality of two arrays (null equals null only). */
export function arraysEqual(a: ArrayLike<unknown> | null, b: ArrayLike<unknown> | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The number of elements of a shape (1 for a scalar). */
export function sizeFromShape(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

export function isScalarShape(shape: readonly number[]): boolean {
  return shape.length === 0;
}

/** Row-major strides of every dimension but the last. */
export function computeStrides(shape: readonly number[]): number[] {
  const rank = shape.length;
  if (rank < 2) return [];
  const strides = new Array<number>(rank - 1);
  strides[rank - 2] = shape[rank - 1];
  for (let i = rank - 3; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/** The flat index of coordinates `locs` given `strides` (computeStrides). */
export function locToIndex(locs: number[], rank: number, strides: number[]): number {
  if (rank === 0) return 0;
  if (rank === 1) return locs[0];
  let index = locs[locs.length - 1];
  for (let i = 0; i < locs.length - 1; i++) index += strides[i] * locs[i];
  return index;
}

/** The coordinates of flat `index` given `strides` (computeStrides). */
export function indexToLoc(index: number, rank: number, strides: number[]): number[] {
  if (rank === 0) return [];
  if (rank === 1) return [index];
  const locs = new Array<number>(rank);
  for (let i = 0; i < locs.length - 1; i++) {
    locs[i] = Math.floor(index / strides[i]);
    index -= locs[i] * strides[i];
  }
  locs[locs.length - 1] = index;
  return locs;
}

/** Nested arrays (and typed arrays inside them) flattened into one list, depth first. */
export function flatten<T extends number | boolean | string>(arr: Nested | T[], result: T[] = [], skipTypedArray = false): T[] {
  if (Array.isArray(arr) || (ArrayBuffer.isView(arr) && !skipTypedArray)) {
    for (let i = 0; i < (arr as ArrayLike<unknown>).length; i++) flatten((arr as unknown as Nested[])[i], result, skipTypedArray);
  } else {
    result.push(arr as T);
  }
  return result;
}

/** The shape nested arrays imply. */
export function inferShape(values: Nested): number[] {
  const shape: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v) || ArrayBuffer.isView(v)) {
    shape.push((v as ArrayLike<unknown>).length);
    v = (v as ArrayLike<unknown>)[0];
  }
  return shape;
}

/** Shuffles an array in place (Fisher-Yates, Math.random). */
export function shuffle(array: unknown[] | Flat): void {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const t = array[i];
    (array as unknown[])[i] = array[j];
    (array as unknown[])[j] = t;
  }
}

/** Shuffles two arrays of the same length in place with one permutation. */
export function shuffleCombo(array: unknown[] | Flat, array2: unknown[] | Flat): void {
  if (array.length !== array2.length) throw new ValueError(`shuffleCombo: array lengths differ (${array.length} vs ${array2.length})`);
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    swap(array as unknown[], i, j);
    swap(array2 as unknown[], i, j);
  }
}

/** 0..n-1 in a random order, as a Uint32Array. */
export function createShuffledIndices(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  shuffle(out as unknown as number[]);
  return out;
}

export function swap<T>(object: { [i: number]: T }, left: number, right: number): void {
  const t = object[left];
  object[left] = object[right];
  object[right] = t;
}

/** Milliseconds with sub-millisecond precision (performance.now). */
export function now(): number {
  return performance.now();
}

export function clamp(min: number, x: number, max: number): number {
  return Math.max(min, Math.min(x, max));
}

export function nearestLargerEven(val: number): number {
  return val % 2 === 0 ? val : val + 1;
}

export function sum(arr: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < arr.length; i++) s += arr[i];
  return s;
}

/** A uniform random number in [a, b). */
export function randUniform(a: number, b: number): number {
  return a + Math.random() * (b - a);
}

export function distSquared(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let result = 0;
  for (let i = 0; i < a.length; i++) result += (a[i] - b[i]) ** 2;
  return result;
}

/** Pads a string with spaces on the right to `size`. */
export function rightPad(a: string, size: number): string {
  return size <= a.length ? a : a + ' '.repeat(size - a.length);
}

export function sizeToSquarishShape(size: number): [number, number] {
  const width = Math.ceil(Math.sqrt(size));
  return [width, Math.ceil(size / width)];
}

export function isInt(a: number): boolean {
  return Number.isInteger(a);
}
export function isNumber(value: unknown): value is number {
  return typeof value === 'number';
}
export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}
export function isString(value: unknown): value is string {
  return typeof value === 'string' || value instanceof String;
}
export function isFunction(f: unknown): f is (...args: unknown[]) => unknown {
  return typeof f === 'function';
}
export function isPromise(object: unknown): object is Promise<unknown> {
  return !!object && typeof (object as { then?: unknown }).then === 'function';
}
export function isTypedArray(a: unknown): a is Float32Array | Int32Array | Uint8Array | Uint8ClampedArray {
  return a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray;
}
export function isValidDtype(dtype: unknown): dtype is DType {
  return isDType(dtype);
}

/** The dtype tfjs infers for values: int32/float32 by typed array, float32 for numbers (no bool or string here). */
export function inferDtype(values: unknown): DType {
  if (Array.isArray(values)) return inferDtype(values[0]);
  if (values instanceof Int32Array || values instanceof Uint8Array || values instanceof Uint8ClampedArray) return 'int32';
  return 'float32';
}

/** Bytes per element of a dtype (4 for float32 and int32, 8 for complex64's pair of float32). */
export function bytesPerElement(dtype: DType): number {
  if (!isDType(dtype)) throw new DTypeError(`bytesPerElement: unknown dtype ${JSON.stringify(dtype)}`);
  return dtype === 'complex64' ? 8 : 4;
}

export function getArrayFromDType(dtype: DType, size: number): DataArray {
  if (!isDType(dtype)) throw new DTypeError(`getArrayFromDType: unknown dtype ${JSON.stringify(dtype)}`);
  // As tfjs: complex64 values live in two float arrays (real and imaginary), not one typed array of this size.
  if (dtype === 'complex64') throw new DTypeError('getArrayFromDType: complex64 has no single typed array; use one float32 array per part');
  return dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
}
export const getTypedArrayFromDType = getArrayFromDType;

export function makeZerosTypedArray(size: number, dtype: DType): DataArray {
  return getArrayFromDType(dtype, size);
}
export function makeOnesTypedArray(size: number, dtype: DType): DataArray {
  return getArrayFromDType(dtype, size).fill(1);
}

/** A typed array of dtype from nested or flat values. */
export function toTypedArray(a: Nested, dtype: DType): DataArray {
  const flat = ArrayBuffer.isView(a) ? Array.from(a as ArrayLike<number>) : flatten(a as Nested, [] as number[]);
  return dtype === 'int32' ? Int32Array.from(flat.map(Number)) : Float32Array.from(flat.map(Number));
}

/** Flat values as nested arrays of `shape`. */
export function toNestedArray(shape: readonly number[], a: ArrayLike<number>): number | unknown[] {
  if (shape.length === 0) return a[0];
  const size = sizeFromShape(shape);
  if (size === 0) return [];
  if (size !== a.length) throw new ShapeError(`toNestedArray: [${shape}] does not match the array length ${a.length}`);
  const build = (offset: number, dim: number): unknown[] => {
    const n = shape[dim];
    const stride = sizeFromShape(shape.slice(dim + 1));
    return Array.from({ length: n }, (_, i) => (dim === shape.length - 1 ? a[offset + i] : build(offset + i * stride, dim + 1)));
  };
  return build(0, 0);
}

/** Replaces one -1 in `shape` by the size that makes it hold `size` elements. */
export function inferFromImplicitShape(shape: number[], size: number): number[] {
  let known = 1;
  let implicit = -1;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] >= 0) known *= shape[i];
    else if (shape[i] === -1) {
      if (implicit !== -1) throw new ShapeError(`Shapes can only have 1 implicit size. Found -1 at dim ${implicit} and dim ${i}`);
      implicit = i;
    } else if (shape[i] < 0) throw new ShapeError(`Shapes can not be < 0. Found ${shape[i]} at dim ${i}`);
  }
  if (implicit === -1) {
    if (size > 0 && size !== known) throw new ShapeError(`Size(${size}) must match the product of shape ${shape}`);
    return shape;
  }
  if (known === 0) throw new ShapeError(`Cannot infer the missing size in [${shape}] when there are 0 elements`);
  if (size % known !== 0) throw new ShapeError(`The implicit shape can't be a fractional number. Got ${size} / ${known}`);
  const out = shape.slice();
  out[implicit] = size / known;
  return out;
}

/** Axes as a list of non-negative ints (all axes when undefined), each checked against rank. */
export function parseAxisParam(axis: number | number[] | undefined | null, shape: readonly number[]): number[] {
  const rank = shape.length;
  const list = axis === undefined || axis === null ? shape.map((_, i) => i) : ([] as number[]).concat(axis);
  list.forEach((a) => assert(a >= -rank && a < rank && Number.isInteger(a), () => `All values in axis param must be in range [-${rank}, ${rank}) but got axis ${axis}`));
  return list.map((a) => (a < 0 ? rank + a : a));
}

/** The shape without its size-1 dimensions (or those in `axis`), and the dimensions kept. */
export function squeezeShape(shape: readonly number[], axis?: number[]): { newShape: number[]; keptDims: number[] } {
  const axes = axis === undefined || axis === null ? null : parseAxisParam(axis, shape).sort((a, b) => a - b);
  const newShape: number[] = [];
  const keptDims: number[] = [];
  shape.forEach((d, i) => {
    if (axes !== null && axes.includes(i) && d !== 1) throw new ShapeError(`Can't squeeze axis ${i} since its dim '${d}' is not 1`);
    if ((axes === null ? d === 1 : axes.includes(i)) && d === 1) return;
    newShape.push(d);
    keptDims.push(i);
  });
  return { newShape, keptDims };
}

/** Calls checkFn until it returns true, waiting delayFn(tries) ms between tries (default 0), up to maxCounter tries. */
export function repeatedTry(checkFn: () => boolean, delayFn: (counter: number) => number = () => 0, maxCounter?: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let tries = 0;
    const attempt = () => {
      if (checkFn()) return resolve();
      tries++;
      if (maxCounter !== undefined && tries >= maxCounter) return reject(new ValueError(`repeatedTry: gave up after ${tries} tries`));
      setTimeout(attempt, delayFn(tries));
    };
    attempt();
  });
}

/** UTF-8 bytes of a string (tfjs's encodeString; only 'utf-8' is supported). */
export function encodeString(s: string, encoding = 'utf-8'): Uint8Array {
  if (encoding.toLowerCase().replace('-', '') !== 'utf8') throw new ValueError(`encodeString: only utf-8 is supported, got ${encoding}`);
  return new TextEncoder().encode(s);
}

/** A string from UTF-8 bytes (tfjs's decodeString). */
export function decodeString(bytes: Uint8Array, encoding = 'utf-8'): string {
  return new TextDecoder(encoding).decode(bytes);
}

/** Node's global fetch (tfjs's util.fetch). */
export function fetch(path: string, requestInits?: RequestInit): Promise<Response> {
  return globalThis.fetch(path, requestInits);
}

/** The smallest power of two >= value (tfjs's enclosingPowerOfTwo). */
export function enclosingPowerOfTwo(value: number): number {
  return Math.pow(2, Math.ceil(Math.log2(value)));
}

/** The largest divisor of `size` that is <= `desiredSize`, or size itself (tfjs's nearestDivisor). */
export function nearestDivisor(size: number, desiredSize: number): number {
  for (let i = desiredSize; i < size; ++i) if (size % i === 0) return i;
  return size;
}

/** Checks that int32 values survive the conversion (NaN or infinite values throw). */
export function checkConversionForErrors(vals: ArrayLike<number>, dtype: DType): void {
  for (let i = 0; i < vals.length; i++) {
    const num = vals[i];
    if (Number.isNaN(num) || !Number.isFinite(num)) throw new ValueError(`A tensor of type ${dtype} being uploaded contains ${num}.`);
  }
}
export { arraysEqualWithNull, tanh, hasEncodingLoss, bytesFromStringArray, createScalarValue, convertBackendValuesAndArrayBuffer, makeZerosNestedTypedArray } from './typed_values';
