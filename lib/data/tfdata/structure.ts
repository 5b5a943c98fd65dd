// Nested dataset elements (tensors, numbers, strings, plain arrays inside arrays and plain objects): finding their
// tensors, cloning them, and stacking a list of equally structured elements into one batch (tfjs-data's rules).
import { ShapeError, ValueError } from '../../errors';
import { dispose } from '../../memory';
import { concat, tensor } from '../../ops';
import { Tensor } from '../../tensor';
import type { ArrayND } from '../array';

/** An ArrayND ({data: typed array, shape}) is a leaf, like a tensor. */
export function isArrayND(v: unknown): v is ArrayND {
  return typeof v === 'object' && v !== null && ArrayBuffer.isView((v as ArrayND).data) && Array.isArray((v as ArrayND).shape);
}

/** Containers the batching recurses into: plain arrays and plain objects (not tensors, typed arrays or ArrayNDs). */
export function isContainer(v: unknown): v is unknown[] | Record<string, unknown> {
  if (v === null || typeof v !== 'object' || v instanceof Tensor || ArrayBuffer.isView(v) || isArrayND(v)) return false;
  return Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null;
}

/** Every tensor inside an element. */
export function tensorsIn(v: unknown, out: Tensor[] = []): Tensor[] {
  if (v instanceof Tensor) out.push(v);
  else if (Array.isArray(v)) for (const x of v) tensorsIn(x, out);
  else if (isContainer(v)) for (const x of Object.values(v)) tensorsIn(x, out);
  return out;
}

/** The element with every tensor replaced by a view of it (so a consumer may dispose what it gets). */
export function cloneTensors<T>(v: T): T {
  if (v instanceof Tensor) return v.view(v.shape) as T;
  if (Array.isArray(v)) return v.map(cloneTensors) as T;
  if (isContainer(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneTensors(x)])) as T;
  return v;
}

/** Disposes the tensors of `input` that do not appear in `output` (a map consumed them). */
export function disposeConsumed(input: unknown, output: unknown): void {
  const kept = new Set(tensorsIn(output));
  for (const t of tensorsIn(input)) if (!kept.has(t) && !t.isDisposed) t.dispose();
}

/**
 * Stacks `rows` (equally structured elements) into one batch: arrays of numbers (nested or not) become one tensor
 * [n, ...shape] as in tfjs-data; other containers are zipped key by key (an element [tensorA, tensorB] is a tuple,
 * which tfjs cannot batch), tensors are stacked on a new first axis, numbers and booleans become a float32 / bool
 * tensor [n], typed arrays and ArrayNDs a tensor [n, ...shape], strings a plain string array.
 */
export function stackElements(rows: unknown[], path = 'element'): unknown {
  const first = rows[0];
  if (isContainer(first)) {
    // As tfjs-data: an array of numbers (or nested arrays of them) is a tensor's values, so the batch is one tensor
    // [n, ...its shape] ({xs: [8 features], ys: [label]} batches to xs [n, 8], ys [n, 1]).
    if (Array.isArray(first) && isNumericNest(first)) return stackNumericArrays(rows, path);
    if (Array.isArray(first)) {
      for (const r of rows) {
        if (!Array.isArray(r) || r.length !== first.length) throw new ShapeError(`batch: ${path} has ${first.length} entries in one element but not in another`);
      }
      return first.map((_, i) => stackElements(rows.map((r) => (r as unknown[])[i]), `${path}[${i}]`));
    }
    const keys = Object.keys(first);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      out[k] = stackElements(
        rows.map((r) => {
          if (!isContainer(r) || Array.isArray(r) || !(k in r)) throw new ShapeError(`batch: ${path}.${k} is missing from some elements`);
          return (r as Record<string, unknown>)[k];
        }),
        `${path}.${k}`,
      );
    }
    return out;
  }
  if (first instanceof Tensor) return stackTensors(rows, path);
  if (typeof first === 'number' || typeof first === 'boolean') {
    const bool = typeof first === 'boolean';
    const vals = rows.map((r) => {
      if (typeof r !== typeof first) throw new ValueError(`batch: ${path} mixes ${typeof first} and ${typeof r} across elements`);
      return Number(r);
    });
    return bool ? tensor(Int32Array.from(vals), [vals.length], 'bool') : tensor(Float32Array.from(vals), [vals.length]);
  }
  if (typeof first === 'string') {
    return rows.map((r) => {
      if (typeof r !== 'string') throw new ValueError(`batch: ${path} mixes strings and ${typeof r} across elements`);
      return r;
    });
  }
  if (ArrayBuffer.isView(first) || isArrayND(first)) return stackArrays(rows, path);
  throw new ValueError(`batch: cannot batch ${path} of type ${first === null ? 'null' : typeof first}`);
}

/** True for a non-empty array whose leaves are numbers or booleans (nested arrays allowed). */
function isNumericNest(v: unknown[]): boolean {
  const walk = (x: unknown): boolean => (Array.isArray(x) ? x.length > 0 && x.every(walk) : typeof x === 'number' || typeof x === 'boolean');
  return walk(v);
}

function stackNumericArrays(rows: unknown[], path: string): Tensor {
  for (const r of rows) {
    if (!Array.isArray(r) || !isNumericNest(r)) throw new ValueError(`batch: ${path} is an array of numbers in one element but not in another`);
  }
  try {
    return tensor(rows as number[][]); // dtype from the first leaf, as tfjs: a boolean gives bool, a number float32
  } catch (e) {
    throw new ShapeError(`batch: ${path} has arrays of different shapes across elements (${(e as Error).message})`);
  }
}

function stackTensors(rows: unknown[], path: string): Tensor {
  const t0 = rows[0] as Tensor;
  const parts = rows.map((r) => {
    if (!(r instanceof Tensor)) throw new ValueError(`batch: ${path} is a tensor in one element but ${typeof r} in another`);
    if (r.shape.join() !== t0.shape.join() || r.dtype !== t0.dtype) {
      throw new ShapeError(`batch: ${path} has shape [${t0.shape}] ${t0.dtype} in one element and [${r.shape}] ${r.dtype} in another`);
    }
    return r.view([1, ...r.shape]);
  });
  try {
    return parts.length === 1 ? parts[0].view(parts[0].shape) : concat(parts, 0);
  } finally {
    dispose(parts);
  }
}

function stackArrays(rows: unknown[], path: string): Tensor {
  const asND = (r: unknown): ArrayND => {
    if (isArrayND(r)) return r;
    if (ArrayBuffer.isView(r)) return { data: r as ArrayND['data'], shape: [(r as ArrayND['data']).length] };
    throw new ValueError(`batch: ${path} is an array in one element but ${typeof r} in another`);
  };
  const first = asND(rows[0]);
  const int = first.data instanceof Int32Array;
  const n = first.data.length;
  const out = int ? new Int32Array(rows.length * n) : new Float32Array(rows.length * n);
  rows.forEach((r, i) => {
    const a = asND(r);
    if (a.shape.join() !== first.shape.join()) throw new ShapeError(`batch: ${path} has shape [${first.shape}] in one element and [${a.shape}] in another`);
    out.set(a.data, i * n);
  });
  return tensor(out, [rows.length, ...first.shape]);
}
