// Synchronous argument checks shared by all ops: each failure throws a typed error naming op, argument, expected, actual.
import { DeviceError, DTypeError, ShapeError, ValueError } from '../errors';
import type { DType } from '../dtype';
import { Tensor } from '../tensor';

/**
 * Checks that `x` is a live tensor; returns it typed. A complex64 tensor is refused unless the op handles complex
 * values (`complexOk`): every other op would read its (re, im) pairs as unrelated floats.
 */
export function checkTensor(op: string, arg: string, x: unknown, complexOk = false): Tensor {
  if (!(x instanceof Tensor)) {
    throw new ValueError(`${op}: argument '${arg}' must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  }
  if (x.isDisposed) x.storage(`${op}: argument '${arg}'`); // throws the DisposedError (the message is built only then)
  if (x.dtype === 'complex64' && !complexOk) {
    throw new DTypeError(`${op}: argument '${arg}' is complex64, which ${op} does not support (take real(x), imag(x) or abs(x) first)`);
  }
  return x;
}

export function checkDType(op: string, arg: string, x: Tensor, ...allowed: DType[]): void {
  if (!allowed.includes(x.dtype)) {
    throw new DTypeError(`${op}: argument '${arg}' must be ${allowed.join(' or ')}, got ${x.dtype}`);
  }
}

export function checkSameDevice(op: string, args: Record<string, Tensor>): void {
  // A plain loop (no entries arrays): this runs on every multi-input op call.
  let firstName: string | undefined;
  for (const name in args) {
    if (firstName === undefined) {
      firstName = name;
      continue;
    }
    const t = args[name];
    const first = args[firstName];
    if (t.device !== first.device) {
      throw new DeviceError(`${op}: argument '${name}' is on '${t.device}' but '${firstName}' is on '${first.device}'; move one with .to()`);
    }
  }
}

/** Two float32 tensors on one device (the operands of matmul and of the elementwise losses), checked in that order. */
export function checkFloatPair(op: string, aName: string, a: unknown, bName: string, b: unknown): void {
  const ta = checkTensor(op, aName, a);
  const tb = checkTensor(op, bName, b);
  checkSameDevice(op, { [aName]: ta, [bName]: tb });
  checkDType(op, aName, ta, 'float32');
  checkDType(op, bName, tb, 'float32');
}

export function checkRank(op: string, arg: string, x: Tensor, ...ranks: number[]): void {
  if (!ranks.includes(x.rank)) {
    throw new ShapeError(`${op}: argument '${arg}' must have rank ${ranks.join(' or ')}, got shape [${x.shape}] (rank ${x.rank})`);
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function checkSameShape(op: string, aName: string, a: Tensor, bName: string, b: Tensor): void {
  if (!sameShape(a.shape, b.shape)) {
    throw new ShapeError(`${op}: '${aName}' has shape [${a.shape}] but '${bName}' has shape [${b.shape}]; expected equal shapes`);
  }
}

/** NumPy broadcasting of two shapes. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): readonly number[] {
  if (sameShape(a, b)) return a; // the common case: no new array (a tensor's shape is frozen, so sharing it is safe)
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes [${a}] and [${b}] cannot be broadcast together (dimension ${i}: ${da} vs ${db})`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** A valid shape argument: non-negative safe integers with a representable element count. */
export function checkShape(op: string, arg: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) throw new ShapeError(`${op}: '${arg}' must be an array of sizes, got ${JSON.stringify(shape)}`);
  let total = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: '${arg}' must hold non-negative integers, got [${shape}]`);
    }
    total *= d;
  }
  if (total > 2 ** 40) throw new ShapeError(`${op}: '${arg}' [${shape}] has ${total} elements, more than the 2^40 supported`);
  return [...shape];
}

export function normalizeAxis(op: string, axis: unknown, rank: number, arg = 'axis'): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new ValueError(`${op}: '${arg}' must be an integer in [${-rank}, ${rank - 1}], got ${axis}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Axes as a sorted unique list; undefined means all axes. A scalar has no axis to name (as in tfjs and NumPy). */
export function normalizeAxes(op: string, axis: number | number[] | undefined, rank: number): number[] {
  if (axis === undefined) return [...Array(rank).keys()];
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => {
    if (rank === 0) throw new ValueError(`${op}: 'axis' ${a} is out of range for a scalar (rank 0); omit it`);
    return normalizeAxis(op, a, rank);
  });
  const unique = [...new Set(list)].sort((a, b) => a - b);
  if (unique.length !== list.length) throw new ValueError(`${op}: 'axis' has repeated entries: [${axis}]`);
  return unique;
}

export function checkNumber(op: string, arg: string, v: unknown, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (opts.integer && !Number.isInteger(v))) {
    throw new ValueError(`${op}: '${arg}' must be a finite ${opts.integer ? 'integer' : 'number'}, got ${v}`);
  }
  if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
    throw new ValueError(`${op}: '${arg}' must be in [${opts.min ?? '-inf'}, ${opts.max ?? 'inf'}], got ${v}`);
  }
  return v;
}
