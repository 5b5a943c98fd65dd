// Creation ops: tensor(), zeros/ones/full, arange, rand/randn (seeded), oneHot.
import { DTypeError, ShapeError, ValueError } from '../errors';
import { isDType, type DType } from '../dtype';
import { getDefaultDevice, normalizeDevice, type Device } from '../device';
import { fromHostArray, runKernel } from '../engine/kernel';
import { nextSeed } from '../random';
import { Tensor, type NestedArray } from '../tensor';
import { checkInt32Value, checkInt32Values } from './int32';
import { checkDType, checkNumber, checkShape, checkTensor } from './validate';
import { complexFromPairs } from './complex/view';

export interface CreateOptions {
  dtype?: DType;
  device?: Device;
  requiresGrad?: boolean;
}

/** tfjs passes the dtype positionally (`zeros([2], 'int32')`): a string there is the dtype, an object the options. */
export type CreateArg = CreateOptions | DType;

function asOptions(op: string, arg: CreateArg | undefined): CreateOptions {
  if (arg === undefined || arg === null) return {};
  if (typeof arg === 'string') {
    if (!isDType(arg)) throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(arg)} (expected 'float32', 'int32', 'bool' or 'complex64')`);
    return { dtype: arg };
  }
  if (typeof arg !== 'object') throw new ValueError(`${op}: expected a dtype string or an options object, got ${typeof arg}`);
  return arg;
}

function resolve(op: string, opts: CreateOptions = {}, fallback: DType = 'float32'): { dtype: DType; device: Device } {
  const dtype = opts.dtype ?? fallback;
  if (!isDType(dtype)) throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(dtype)} (expected 'float32', 'int32', 'bool' or 'complex64')`);
  const device = opts.device === undefined ? getDefaultDevice() : normalizeDevice(opts.device, `${op}: device`);
  return { dtype, device };
}

function finish(op: string, t: Tensor, opts: CreateOptions): Tensor {
  if (opts.requiresGrad) {
    if (t.dtype !== 'float32' && t.dtype !== 'complex64') throw new DTypeError(`${op}: requiresGrad needs dtype float32, got ${t.dtype}`);
    t.requiresGrad = true;
  }
  return t;
}

type Leaf = number | boolean;

/** Deepest nesting tensor() accepts (far beyond any real tensor; keeps flatten's recursion bounded). */
const MAX_NESTED_RANK = 64;

/** The shape nested arrays imply (a typed array is rank 1). */
export function inferShape(values: NestedArray | ArrayLike<number>): number[] {
  if (ArrayBuffer.isView(values)) return [(values as Float32Array).length];
  const shape: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

function flatten(op: string, values: NestedArray, shape: number[], out: Leaf[], dim = 0): void {
  if (dim === shape.length) {
    if (typeof values !== 'number' && typeof values !== 'boolean') throw new ValueError(`${op}: ragged or non-numeric nested array`);
    out.push(values);
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new ShapeError(`${op}: ragged nested array: expected length ${shape[dim]} at depth ${dim}`);
  }
  for (const v of values) flatten(op, v, shape, out, dim + 1);
}

/** The dtype tfjs infers from values: int32 for an Int32Array, bool for booleans, float32 otherwise. */
function inferDType(values: unknown, flat: ArrayLike<Leaf>): DType {
  if (values instanceof Int32Array) return 'int32';
  if (flat.length > 0 && typeof flat[0] === 'boolean') return 'bool';
  return 'float32';
}

/** A tensor from a number or boolean, nested arrays or a typed array (flat values need `shape`). */
export function tensor(values: NestedArray | Float32Array | Int32Array | Uint8Array | number[] | boolean | boolean[], shape?: readonly number[] | null, arg?: CreateArg): Tensor {
  const op = 'tensor';
  const opts = asOptions(op, arg);
  let flat: ArrayLike<Leaf>;
  let inferred: number[];
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    throw new DTypeError(`${op}: 'values' is a ${values.constructor.name}; 64-bit integers are not supported (use Int32Array or Float32Array)`);
  }
  if (ArrayBuffer.isView(values)) {
    flat = values as ArrayLike<number>;
    inferred = [(values as Float32Array).length];
  } else {
    inferred = inferShape(values as NestedArray);
    if (inferred.length > MAX_NESTED_RANK) {
      throw new ShapeError(`${op}: nested array of rank ${inferred.length} is deeper than the ${MAX_NESTED_RANK} supported`);
    }
    const out: Leaf[] = [];
    flatten(op, values as NestedArray, inferred, out);
    flat = out;
  }
  const { dtype, device } = resolve(op, opts, inferDType(values, flat));
  if (dtype === 'complex64') throw new DTypeError(`${op}: complex64 tensors cannot be made from values (as in tfjs); use complex(real, imag)`);
  const finalShape = shape === undefined || shape === null ? inferred : checkShape(op, 'shape', shape);
  const size = finalShape.reduce((a, b) => a * b, 1);
  if (size !== flat.length) {
    throw new ShapeError(`${op}: shape [${finalShape}] needs ${size} values, got ${flat.length}`);
  }
  // As tfjs: nested values must have the given shape, except that their last level may hold the trailing dims flat.
  for (let i = 0; i < inferred.length && shape !== undefined && shape !== null; i++) {
    const last = i === inferred.length - 1;
    if (inferred[i] !== finalShape[i] && !(last && inferred[i] === finalShape.slice(i).reduce((a, b) => a * b, 1))) {
      throw new ShapeError(`${op}: the values have shape [${inferred}], which does not match the given shape [${finalShape}]`);
    }
  }
  // int32 takes finite values that truncate into range; anything else is an error here, never a silent wrap.
  if (dtype === 'int32' && !(flat instanceof Int32Array)) {
    flat = Array.from(flat, Number); // booleans given for an int32 tensor are 1 and 0, as tfjs
    checkInt32Values(op, 'values', flat as number[]);
  }
  // A typed array of the right kind is uploaded as it is (the addon copies it); anything else is converted once.
  // bool is stored as int32 0/1 (tfjs rounds numbers given for a bool tensor: round(v) != 0 is true).
  const host =
    dtype === 'float32'
      ? flat instanceof Float32Array ? flat : Float32Array.from(flat as ArrayLike<number>, Number)
      : dtype === 'bool'
        ? Int32Array.from(flat as ArrayLike<number>, (v) => (Math.round(Number(v)) !== 0 ? 1 : 0))
        : flat instanceof Int32Array ? flat : Int32Array.from(flat as ArrayLike<number>, Number);
  return finish(op, fromHostArray(host, finalShape, dtype, device), opts);
}

/** A tensor filled with `value`. */
export function full(shape: readonly number[], value: number, arg?: CreateArg): Tensor {
  const opts = asOptions('full', arg);
  const s = checkShape('full', 'shape', shape);
  checkNumber('full', 'value', value);
  const { dtype, device } = resolve('full', opts);
  if (dtype === 'complex64') throw new DTypeError("full: complex64 tensors cannot be filled with one value (as in tfjs); use complex(real, imag), zeros or ones");
  if (dtype === 'int32') checkInt32Value('full', 'value', value);
  // bool holds 0/1: any nonzero value (NaN included) is true. (tfjs's CPU backend stores the raw number instead.)
  const stored = dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
  const [t] = runKernel('fill', [], [{ shape: s, dtype }], { value: stored }, device);
  return finish('full', t, opts);
}

export function zeros(shape: readonly number[], arg?: CreateArg): Tensor {
  return constant('zeros', shape, 0, arg);
}

export function ones(shape: readonly number[], arg?: CreateArg): Tensor {
  return constant('ones', shape, 1, arg);
}

/** zeros / ones: complex64 ones have `value` as their real part and a zero imaginary part, as tfjs's. */
function constant(op: string, shape: readonly number[], value: number, arg?: CreateArg): Tensor {
  const opts = asOptions(op, arg);
  if (opts.dtype !== 'complex64') return full(shape, value, opts);
  const s = checkShape(op, 'shape', shape);
  const { device } = resolve(op, opts);
  const re = full([...s, 1], value, { device });
  const im = full([...s, 1], 0, { device });
  const [pairs] = runKernel('concat', [re, im], [{ shape: [...s, 2], dtype: 'float32' }], { axis: s.length });
  const c = complexFromPairs(pairs);
  for (const t of [re, im, pairs]) t.dispose();
  return finish(op, c, opts);
}

export function zerosLike(t: Tensor): Tensor {
  return zeros(t.shape, { dtype: t.dtype, device: t.device });
}

export function onesLike(t: Tensor): Tensor {
  return ones(t.shape, { dtype: t.dtype, device: t.device });
}

/** Values start, start+step, ... below stop (arange(n) counts 0..n-1). */
export function arange(start: number, stop?: number, step = 1, arg?: CreateArg): Tensor {
  const opts = asOptions('arange', arg);
  if (stop === undefined) [start, stop] = [0, start];
  checkNumber('arange', 'start', start);
  checkNumber('arange', 'stop', stop);
  checkNumber('arange', 'step', step);
  if (step === 0) throw new ValueError('arange: step must not be 0');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const { dtype, device } = resolve('arange', opts);
  if (dtype === 'int32' && n > 0) {
    checkInt32Value('arange', 'start', start);
    checkInt32Value('arange', 'last value', start + step * (n - 1));
  }
  const [t] = runKernel('arange', [], [{ shape: [n], dtype }], { start, step }, device);
  return finish('arange', t, opts);
}

export interface RandomOptions extends CreateOptions {
  /** Same seed, same numbers; omitted: drawn from the global seed (setSeed). */
  seed?: number;
}

function seedOf(op: string, seed: number | undefined): number {
  if (seed === undefined) return nextSeed();
  return checkNumber(op, 'seed', seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
}

/**
 * Uniform values in [low, high) (default [0, 1)), or tfjs's rand(shape, randFunction, dtype): every value from a call
 * of randFunction (on the host, as tfjs does).
 */
export function rand(shape: readonly number[], opts?: RandomOptions & { low?: number; high?: number }): Tensor;
export function rand(shape: readonly number[], randFunction: () => number, dtype?: DType): Tensor;
export function rand(shape: readonly number[], optsOrFunction: (RandomOptions & { low?: number; high?: number }) | (() => number) = {}, dtype?: DType): Tensor {
  if (typeof optsOrFunction === 'function') {
    const s = checkShape('rand', 'shape', shape);
    const values = Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => optsOrFunction());
    return tensor(values, s, dtype ?? 'float32');
  }
  const opts = optsOrFunction;
  const s = checkShape('rand', 'shape', shape);
  const { device } = resolve('rand', opts);
  if (opts.dtype && opts.dtype !== 'float32') throw new DTypeError(`rand: dtype must be float32, got ${opts.dtype}`);
  const low = checkNumber('rand', 'low', opts.low ?? 0);
  const high = checkNumber('rand', 'high', opts.high ?? 1);
  const [t] = runKernel('random_uniform', [], [{ shape: s, dtype: 'float32' }], { seed: seedOf('rand', opts.seed), low, high }, device);
  return finish('rand', t, opts);
}

/** Normal values with the given mean and standard deviation (default 0, 1). */
export function randn(shape: readonly number[], opts: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const s = checkShape('randn', 'shape', shape);
  const { device } = resolve('randn', opts);
  if (opts.dtype && opts.dtype !== 'float32') throw new DTypeError(`randn: dtype must be float32, got ${opts.dtype}`);
  const mean = checkNumber('randn', 'mean', opts.mean ?? 0);
  const std = checkNumber('randn', 'std', opts.std ?? 1, { min: 0 });
  const [t] = runKernel('random_normal', [], [{ shape: s, dtype: 'float32' }], { seed: seedOf('randn', opts.seed), mean, std }, device);
  return finish('randn', t, opts);
}

/**
 * One-hot rows [..., depth] from int32 class indices: onValue at the index, offValue elsewhere, in `dtype` (int32 by
 * default, as tfjs). Unlike tfjs (which writes an all-off row), an index outside [0, depth) is a ValueError.
 */
export function oneHot(indices: Tensor, depth: number, onValue = 1, offValue = 0, dtype: DType = 'int32'): Tensor {
  checkTensor('oneHot', 'indices', indices);
  checkDType('oneHot', 'indices', indices, 'int32');
  checkNumber('oneHot', 'depth', depth, { min: 1, integer: true });
  checkNumber('oneHot', 'onValue', onValue);
  checkNumber('oneHot', 'offValue', offValue);
  if (dtype !== 'int32' && dtype !== 'float32') throw new DTypeError(`oneHot: 'dtype' must be 'int32' or 'float32', got ${JSON.stringify(dtype)}`);
  return runKernel('one_hot', [indices], [{ shape: [...indices.shape, depth], dtype }], { onValue, offValue })[0];
}
