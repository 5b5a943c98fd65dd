// Differential testing against TensorFlow.js (the pure-JS CPU backend is the oracle): one function, run through
// tfjs and through tensornode on the same seeded random inputs; values, dtypes, shapes and gradients must agree.
//
// Usage (the function receives the library namespace first, so the same code runs through both):
//   await compareWithTfjs({ inputs: [f32([2, 3]), f32([3])], fn: (m, a, b) => m.atan2(a, b) });
import * as tn from '../../lib';
import { randomArray, sizeOf } from './gradcheck';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** The tfjs namespace, loaded once with the CPU backend and its "install tfjs-node" hint silenced. */
let tfjs: Any = null;
export function tf(): Any {
  if (tfjs) return tfjs;
  const warn = console.warn;
  const log = console.log;
  console.warn = () => undefined;
  console.log = () => undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tfjs = require('@tensorflow/tfjs');
    tfjs.setBackend('cpu');
    tfjs.tensor([1]).dispose(); // initializes the backend while the hint is silenced
  } finally {
    console.warn = warn;
    console.log = log;
  }
  return tfjs;
}

export type DiffDType = 'float32' | 'int32' | 'bool';

export interface DiffInput {
  shape: number[];
  dtype?: DiffDType;
  /** Range of generated values: floats uniform in [lo, hi); ints uniform integers in [lo, hi). Default [-1, 1) / [0, 10). */
  range?: [number, number];
  /** Explicit values instead of random ones. */
  data?: ArrayLike<number | boolean>;
  /** Compare the gradient with respect to this input (default: true for float32 inputs). */
  grad?: boolean;
}

export const f32 = (shape: number[], range?: [number, number], extra: Partial<DiffInput> = {}): DiffInput => ({ shape, range, ...extra });
export const i32 = (shape: number[], range: [number, number] = [0, 10], extra: Partial<DiffInput> = {}): DiffInput => ({ shape, dtype: 'int32', range, ...extra });
export const bool = (shape: number[], extra: Partial<DiffInput> = {}): DiffInput => ({ shape, dtype: 'bool', ...extra });

export interface DiffCase {
  inputs: DiffInput[];
  /** The code under test: `m` is the tfjs or the tensornode namespace; returns one tensor or several. */
  fn: (m: Any, ...xs: Any[]) => Any;
  /** Compare gradients (default true when any input is float32 and every output is float32). */
  grads?: boolean;
  rtol?: number;
  atol?: number;
  /** Gradient tolerances (default: 4x the value tolerances). */
  gradRtol?: number;
  gradAtol?: number;
  seed?: number;
}

/** The host values of each input: explicit data, or seeded random values in the input's range and dtype. */
function inputValues(specs: DiffInput[], seed: number): (number[] | boolean[])[] {
  return specs.map((s, k) => {
    const n = sizeOf(s.shape);
    if (s.data) {
      if (s.data.length !== n) throw new Error(`compareWithTfjs: input ${k} has ${s.data.length} values for shape [${s.shape}]`);
      return Array.from(s.data as ArrayLike<number>);
    }
    const dtype = s.dtype ?? 'float32';
    if (dtype === 'bool') return Array.from(randomArray(n, seed + 31 * k, 0, 1), (v) => v < 0.5);
    const [lo, hi] = s.range ?? (dtype === 'int32' ? [0, 10] : [-1, 1]);
    const r = randomArray(n, seed + 31 * k, lo, hi);
    return dtype === 'int32' ? Array.from(r, (v) => Math.floor(v)) : Array.from(r);
  });
}

const asList = (out: Any): Any[] => (Array.isArray(out) ? out : [out]);

/** Values of a tfjs or tensornode tensor as plain numbers (bool as 0/1). */
function numbers(t: Any): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>, Number);
}

function closeOrThrow(what: string, actual: number[], expected: number[], rtol: number, atol: number): void {
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} values, tfjs has ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const same = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!same) throw new Error(`${what}: element ${i} is ${a}, tfjs gives ${e} (rtol ${rtol}, atol ${atol}); tensornode [${actual.slice(0, 8)}...] tfjs [${expected.slice(0, 8)}...]`);
  }
}

function compareOutputs(what: string, mine: Any[], theirs: Any[], rtol: number, atol: number): void {
  if (mine.length !== theirs.length) throw new Error(`${what}: ${mine.length} outputs, tfjs returns ${theirs.length}`);
  theirs.forEach((t, i) => {
    const m = mine[i];
    const label = `${what} output ${i}`;
    if (!(m instanceof tn.Tensor)) throw new Error(`${label}: not a tensornode Tensor`);
    if (m.dtype !== t.dtype) throw new Error(`${label}: dtype ${m.dtype}, tfjs gives ${t.dtype}`);
    if (m.shape.join() !== t.shape.join()) throw new Error(`${label}: shape [${m.shape}], tfjs gives [${t.shape}]`);
    const exact = t.dtype === 'int32' || t.dtype === 'bool'; // float32 and complex64 (float pairs) within tolerance
    closeOrThrow(label, numbers(m), numbers(t), exact ? 0 : rtol, exact ? 0 : atol);
  });
}

/**
 * The call leaves no more new live tensors than tfjs does: an op's intermediates are released at once, not when the
 * garbage collector gets to them (tfjs users count tensors with memory() to find leaks). Fewer is fine (tfjs's few
 * functions that are not ops, such as meshgrid, leave their intermediates).
 */
function expectNoMoreLiveTensors(left: number, tfLeft: number): void {
  if (left > tfLeft) throw new Error(`memory: the call left ${left} new live tensors where tfjs leaves ${tfLeft} (intermediates must be released)`);
}

/**
 * Runs `c.fn` through tfjs and tensornode on the same inputs and compares every output (dtype, shape, values) and,
 * for float functions, the gradients of L = sum_k sum(y_k * w_k) (w_k fixed random weights) with respect to each
 * float32 input. Throws with the first difference.
 */
export function compareWithTfjs(c: DiffCase): void {
  const T = tf();
  const seed = c.seed ?? 4242;
  const rtol = c.rtol ?? 1e-5;
  const atol = c.atol ?? 1e-5;
  const values = inputValues(c.inputs, seed);
  const dtypes = c.inputs.map((s) => s.dtype ?? 'float32');
  const tfInputs = values.map((v, k) => T.tensor(v, c.inputs[k].shape, dtypes[k]));
  const tnInputs = values.map((v, k) => tn.tensor(v as Any, c.inputs[k].shape, { dtype: dtypes[k] } as Any));
  try {
    const tfBefore = T.memory().numTensors;
    const theirs = asList(c.fn(T, ...tfInputs));
    const tfLeft = T.memory().numTensors - tfBefore;
    const before = tn.memory().numTensors;
    const mine = asList(c.fn(tn, ...tnInputs));
    compareOutputs('forward', mine, theirs, rtol, atol);
    expectNoMoreLiveTensors(tn.memory().numTensors - before, tfLeft);
    const floatOut = theirs.every((t) => t.dtype === 'float32');
    const gradAt = c.inputs.map((s, k) => (s.grad ?? true) && dtypes[k] === 'float32');
    if (!(c.grads ?? (floatOut && gradAt.some(Boolean)))) return;
    const weights = theirs.map((t, i) => randomArray(t.size, seed + 7919 * (i + 1), 0.5, 1.5));
    const loss = (m: Any, outs: Any[]): Any =>
      outs.map((y, i) => m.sum(m.mul(y, m.tensor(weights[i], y.shape)))).reduce((a: Any, b: Any) => m.add(a, b));
    const idx = gradAt.map((g, k) => (g ? k : -1)).filter((k) => k >= 0);
    const tfGrads: Any[] = T.grads((...xs: Any[]) => {
      const all = tfInputs.map((t, k) => (idx.includes(k) ? xs[idx.indexOf(k)] : t));
      return loss(T, asList(c.fn(T, ...all)));
    })(idx.map((k) => tfInputs[k]));
    const leaves = tnInputs.map((t, k) => (idx.includes(k) ? tn.tensor(values[k] as number[], c.inputs[k].shape, { requiresGrad: true }) : t));
    const l = loss(tn, asList(c.fn(tn, ...leaves)));
    // No recorded path to any input (sign, floor, ...): every gradient is zero, which tfjs must agree with.
    if (l.requiresGrad) l.backward();
    idx.forEach((k, j) => {
      const g = leaves[k].grad;
      const expected = numbers(tfGrads[j]);
      const actual = g ? numbers(g) : expected.map(() => 0);
      closeOrThrow(`gradient of input ${k}`, actual, expected, c.gradRtol ?? 4 * rtol, c.gradAtol ?? 4 * atol);
    });
    T.dispose(tfGrads);
  } finally {
    T.dispose(tfInputs);
  }
}

/** compareWithTfjs for error cases: both libraries must throw (tensornode with the given typed error). */
export function expectBothThrow(inputs: DiffInput[], fn: DiffCase['fn'], errorClass: new (...args: Any[]) => Error, message?: RegExp): void {
  const T = tf();
  const values = inputValues(inputs, 1);
  const dtypes = inputs.map((s) => s.dtype ?? 'float32');
  const tfInputs = values.map((v, k) => T.tensor(v, inputs[k].shape, dtypes[k]));
  try {
    expect(() => fn(T, ...tfInputs)).toThrow();
  } finally {
    T.dispose(tfInputs);
  }
  const tnInputs = values.map((v, k) => tn.tensor(v as Any, inputs[k].shape, { dtype: dtypes[k] } as Any));
  expect(() => fn(tn, ...tnInputs)).toThrow(errorClass);
  if (message) expect(() => fn(tn, ...tnInputs)).toThrow(message);
}
