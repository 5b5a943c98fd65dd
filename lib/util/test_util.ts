// tf.test_util: tfjs's assertions for tests (arrays and numbers close or equal, values in range), usable from any
// test runner: they throw an Error on a mismatch and never call the runner's own expect().
import { Tensor } from '../tensor';
import { arraysEqual, flatten, inferShape, isString, isTypedArray } from './index';

type Values = number | boolean | string | ArrayLike<unknown> | Values[];

/** The tolerance tfjs's tests use for float32 backends (every tensornode backend computes in float32). */
export const TEST_EPSILON_FLOAT32 = 1e-3;
/** The tolerance tfjs's tests use for float16 backends. */
export const TEST_EPSILON_FLOAT16 = 1e-1;

/** The default tolerance of expectArraysClose / expectNumbersClose: float32's. */
export function testEpsilon(): number {
  return TEST_EPSILON_FLOAT32;
}

/** Equal within epsilon; two non-finite values count as equal (as in tfjs), NaN against a number does not. */
function areClose(a: number, e: number, epsilon: number): boolean {
  if (!Number.isFinite(a) && !Number.isFinite(e)) return true;
  return !(Number.isNaN(a) || Number.isNaN(e) || Math.abs(a - e) > epsilon);
}

function describe(v: unknown): string {
  return v instanceof Tensor ? 'Tensor' : (v as object)?.constructor?.name ?? typeof v;
}

function flat(v: Values): unknown[] {
  return isTypedArray(v) ? Array.from(v as ArrayLike<number>) : flatten(v as never);
}

/** Same kind of container (a typed array compares with any typed array or list), same shape, then each pair. */
function expectArraysPredicate(actual: Values, expected: Values, predicate: (a: never, e: never) => boolean): void {
  if (actual instanceof Tensor || expected instanceof Tensor) {
    throw new Error('test_util: pass values (await tensor.data() or tensor.arraySync()), not a Tensor, as tfjs requires');
  }
  const oneTyped = isTypedArray(actual) !== isTypedArray(expected);
  if (!oneTyped && describe(actual) !== describe(expected)) {
    throw new Error(`Arrays are of different type. Actual: ${describe(actual)}. Expected: ${describe(expected)}`);
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    const as = inferShape(actual as never);
    const es = inferShape(expected as never);
    if (!arraysEqual(as, es)) throw new Error(`Arrays have different shapes. Actual: [${as}]. Expected: [${es}]`);
  }
  const a = flat(actual);
  const e = flat(expected);
  if (a.length !== e.length) throw new Error(`Arrays have different lengths actual: ${a.length} vs expected: ${e.length}.\nActual:   ${a}.\nExpected: ${e}.`);
  for (let i = 0; i < e.length; i++) {
    if (!predicate(a[i] as never, e[i] as never)) {
      throw new Error(`Arrays differ: actual[${i}] = ${a[i]}, expected[${i}] = ${e[i]}.\nActual:   ${a}.\nExpected: ${e}.`);
    }
  }
}

/** Throws unless actual and expected have the same shape and every pair is within epsilon (default testEpsilon()). */
export function expectArraysClose(actual: Values, expected: Values, epsilon = testEpsilon()): void {
  expectArraysPredicate(actual, expected, (a: number, e: number) => areClose(a, e, epsilon));
}

/** Throws unless actual equals expected exactly (strings compared loosely, as tfjs does; a lone value is a list of one). */
export function expectArraysEqual(actual: Values, expected: Values): void {
  const exp = typeof expected === 'string' || typeof expected === 'number' || typeof expected === 'boolean' ? [expected] : expected;
  const stringy = [actual, expected].some((v) => isString(v) || isString((v as unknown[])?.[0]));
  // eslint-disable-next-line eqeqeq
  if (stringy) return expectArraysPredicate(actual, exp, (a: unknown, e: unknown) => a == e);
  expectArraysPredicate(actual, expected, (a: number, e: number) => areClose(a, e, 0));
}

/** Throws unless two numbers are within epsilon (default testEpsilon()). */
export function expectNumbersClose(a: number, e: number, epsilon = testEpsilon()): void {
  if (!areClose(a, e, epsilon)) throw new Error(`Numbers differ: actual === ${a}, expected === ${e}`);
}

/** Throws unless every value lies in [low, high]. */
export function expectValuesInRange(actual: ArrayLike<number>, low: number, high: number): void {
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] < low || actual[i] > high) throw new Error(`Value out of range:${actual[i]} low: ${low}, high: ${high}`);
  }
}

/** Throws unless the two buffers hold the same float32 values. */
export function expectArrayBuffersEqual(actual: ArrayBuffer, expected: ArrayBuffer): void {
  const a = new Float32Array(actual);
  const e = new Float32Array(expected);
  if (a.length !== e.length) throw new Error(`Expected ArrayBuffer to be of length ${e.length}, but it was ${a.length}`);
  for (let i = 0; i < e.length; i++) {
    if (a[i] !== e[i]) throw new Error(`Expected ArrayBuffer value at ${i} to be ${e[i]} but got ${a[i]} instead`);
  }
}

/** Calls done() when fn's promise rejects and done.fail() when it resolves (jasmine's done callback). */
export function expectPromiseToFail(fn: () => Promise<unknown>, done: { (): void; fail(message?: unknown): void }): void {
  fn().then(
    () => done.fail('test_util.expectPromiseToFail: the promise resolved'),
    () => done(),
  );
}

/** Replaces every string in a (nested) list by its UTF-8 bytes, in place, and returns the list. */
export function encodeStrings(a: unknown[]): unknown[] {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    a[i] = Array.isArray(v) ? encodeStrings(v) : new TextEncoder().encode(String(v));
  }
  return a;
}
