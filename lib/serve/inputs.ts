// Request inputs -> validated host rows per model input: tensors, typed arrays, nested arrays or {data, shape}, by position or name.
import { DTypeError, ShapeError, ValueError } from '../errors';
import { Tensor } from '../tensor';
import { rowSize, type ModelSignature, type TensorSpec } from './servable';

/** A tensor on the host: row-major data and its shape (batch dim first). */
export interface HostTensor {
  data: Float32Array | Int32Array;
  shape: number[];
}

/** One input's value: a Tensor, a typed array (flat rows), nested number arrays, or a HostTensor. */
export type InputValue = Tensor | Float32Array | Int32Array | HostTensor | NestedNumbers;
export type NestedNumbers = number[] | NestedNumbers[];
/** A request: the value of the only input, values by position, or values by input name. */
export type PredictInputs = InputValue | InputValue[] | Record<string, InputValue>;

/** Validated inputs of one request: host data per signature input (signature order) and the row count. */
export interface RequestRows {
  data: (Float32Array | Int32Array)[];
  rows: number;
}

/** A shape as the error messages print it, batch dim as -1: [-1,28,28,1]. */
export const fmtShape = (s: readonly (number | null)[]): string => `[${s.map((d) => d ?? -1).join(',')}]`;
const fmt = fmtShape;

function isHostTensor(v: unknown): v is HostTensor {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && 'data' in v && 'shape' in v;
}

/** Nested arrays -> flat numbers and shape; ragged or non-numeric input is a ValueError naming the input. */
export function flattenNested(v: NestedNumbers, where: string): { flat: number[]; shape: number[] } {
  const shape: number[] = [];
  for (let cur: unknown = v; Array.isArray(cur); cur = cur[0]) shape.push(cur.length);
  const flat: number[] = [];
  const walk = (a: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof a !== 'number') throw new ValueError(`${where}: expected numbers, got ${a === null ? 'null' : typeof a}`);
      flat.push(a);
      return;
    }
    if (!Array.isArray(a) || a.length !== shape[depth]) throw new ShapeError(`${where}: ragged nested array (dimension ${depth} should have ${shape[depth]} entries)`);
    for (const x of a) walk(x, depth + 1);
  };
  walk(v, 0);
  return { flat, shape };
}

/** Checks `shape` against the spec: [n, ...sample] (n >= 1), or the bare sample shape for one row. Returns n. */
function rowsOf(spec: TensorSpec, shape: readonly number[], where: string): number {
  const sample = spec.shape.slice(1);
  const matches = (s: readonly number[]) => s.length === sample.length && s.every((d, i) => sample[i] === null || sample[i] === d);
  if (shape.length === sample.length + 1 && matches(shape.slice(1))) {
    if (shape[0] < 1) throw new ShapeError(`${where}: expected at least one row, got shape ${fmt(shape)}`);
    return shape[0];
  }
  if (matches(shape)) return 1;
  throw new ShapeError(`${where}: expected shape ${fmt(spec.shape)}, got ${fmt(shape)}`);
}

function castTo(spec: TensorSpec, values: ArrayLike<number>, where: string): Float32Array | Int32Array {
  if (spec.dtype === 'int32') {
    if (values instanceof Int32Array) return values;
    const out = Int32Array.from(values);
    for (let i = 0; i < values.length; i++) if (out[i] !== values[i]) throw new DTypeError(`${where}: expected int32 values, got ${values[i]}`);
    return out;
  }
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

type OneInput = { data: Float32Array | Int32Array; rows: number };

/** Host values are read at once; a Tensor is awaited (its data may still be computing). */
function oneInput(spec: TensorSpec, v: InputValue, where: string): OneInput | Promise<OneInput> {
  if (v instanceof Tensor) {
    if (v.dtype !== spec.dtype) throw new DTypeError(`${where}: expected dtype ${spec.dtype}, got ${v.dtype}`);
    const rows = rowsOf(spec, v.shape, where);
    return v.data().then((data) => ({ data: data as Float32Array | Int32Array, rows }));
  }
  if (isHostTensor(v)) {
    const shape = Array.from(v.shape);
    const rows = rowsOf(spec, shape, where);
    const want = shape.reduce((a, b) => a * b, 1);
    if (v.data.length !== want) throw new ShapeError(`${where}: shape ${fmt(shape)} needs ${want} values, got ${v.data.length}`);
    return { data: castTo(spec, v.data, where), rows };
  }
  if (ArrayBuffer.isView(v)) {
    const size = rowSize(spec);
    const n = (v as Float32Array).length;
    if (n === 0 || n % size !== 0) throw new ShapeError(`${where}: expected a multiple of ${size} values (rows of ${fmt(spec.shape.slice(1))}), got ${n}`);
    return { data: castTo(spec, v as Float32Array, where), rows: n / size };
  }
  if (Array.isArray(v)) {
    const { flat, shape } = flattenNested(v, where);
    const rows = rowsOf(spec, shape, where);
    return { data: castTo(spec, flat, where), rows };
  }
  throw new ValueError(`${where}: expected a Tensor, typed array, nested array or {data, shape}, got ${v === null ? 'null' : typeof v}`);
}

/**
 * Normalizes one request's inputs against the signature; every error names the input and expected vs actual.
 * Synchronous for host values (so a request is queued in call order); a Promise when a Tensor must be read first.
 */
export function readInputs(sig: ModelSignature, inputs: PredictInputs, op = 'predict'): RequestRows | Promise<RequestRows> {
  const names = sig.inputs.map((s) => s.name);
  const isWhole = (v: unknown): boolean => v instanceof Tensor || ArrayBuffer.isView(v) || isHostTensor(v);
  let values: InputValue[];
  if (isWhole(inputs)) {
    values = [inputs as InputValue];
  } else if (names.length === 1 && Array.isArray(inputs) && !(inputs.length === 1 && isWhole(inputs[0]))) {
    values = [inputs as NestedNumbers]; // nested numbers of the only input
  } else if (Array.isArray(inputs)) {
    if (inputs.length !== names.length) throw new ValueError(`${op}: the model has ${names.length} inputs (${names.join(', ')}), got ${inputs.length} values`);
    values = inputs as InputValue[];
  } else if (typeof inputs === 'object' && inputs !== null && !ArrayBuffer.isView(inputs) && !(inputs instanceof Tensor)) {
    const rec = inputs as Record<string, InputValue>;
    const unknown = Object.keys(rec).filter((k) => !names.includes(k));
    if (unknown.length) throw new ValueError(`${op}: unknown input '${unknown[0]}' (the model's inputs: ${names.join(', ')})`);
    const missing = names.filter((n) => rec[n] === undefined);
    if (missing.length) throw new ValueError(`${op}: missing input '${missing[0]}'`);
    values = names.map((n) => rec[n]);
  } else {
    throw new ValueError(`${op}: expected the model's inputs (${names.join(', ')}), got ${inputs === null ? 'null' : typeof inputs}`);
  }
  if (values.length !== names.length) throw new ValueError(`${op}: the model has ${names.length} inputs (${names.join(', ')}), got ${values.length} value(s)`);
  const read = sig.inputs.map((spec, i) => oneInput(spec, values[i], `${op}: input '${spec.name}'`));
  const combine = (all: OneInput[]): RequestRows => {
    const rows = all[0].rows;
    all.forEach((r, i) => {
      if (r.rows !== rows) throw new ShapeError(`${op}: input '${sig.inputs[i].name}' has ${r.rows} rows but '${sig.inputs[0].name}' has ${rows}`);
    });
    return { data: all.map((r) => r.data), rows };
  };
  return read.some((r) => r instanceof Promise) ? Promise.all(read).then(combine) : combine(read as OneInput[]);
}
