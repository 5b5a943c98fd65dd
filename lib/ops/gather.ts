// Indexing ops on the gather / scatter_add kernel pair (each the other's gradient): gather, gatherND, scatterND, and
// the index-list ops reverse, tile and mirrorPad, which are one gather per axis with indices computed here.
import { ShapeError, ValueError } from '../errors';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import { Tensor } from '../tensor';
import { tensor } from './creation';
import { add, mul } from './elementwise';
import { slice } from './layout';
import { reshape } from './reshape';
import { checkDType, checkSameDevice, checkShape, checkTensor, normalizeAxes, normalizeAxis } from './validate';

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Indices as an int32 tensor on `device`: a Tensor (checked) or a plain array. */
function indexTensor(op: string, arg: string, indices: Tensor | number[] | number[][], device: Tensor['device']): Tensor {
  if (indices instanceof Tensor) {
    checkTensor(op, arg, indices);
    checkDType(op, arg, indices, 'int32');
    return indices;
  }
  if (!Array.isArray(indices)) throw new ValueError(`${op}: '${arg}' must be an int32 Tensor or an array of integers, got ${typeof indices}`);
  return tensor(indices, undefined, { dtype: 'int32', device });
}

/** y = x gathered along `axis` at flat `idx` (int32 tensor), shape given; differentiable through scatter_add. */
function gatherFlat(x: Tensor, idx: Tensor, axis: number, shape: number[]): Tensor {
  const [y] = runKernel('gather', [x, idx], [{ shape, dtype: x.dtype }], { axis });
  // dx = zeros(x.shape) with dy's slices added at the gathered positions (repeats accumulate)
  return recordOp('gather', [x], y, (dy) => [runKernel('scatter_add', [dy, idx], [{ shape: x.shape, dtype: dy.dtype }], { axis })[0]]);
}

/** Slices of x along `axis` at `indices` (tfjs gather; batchDims 0): shape x[:axis] + indices + x[axis+1:]. */
export function gather(x: Tensor, indices: Tensor | number[], axis = 0, batchDims = 0): Tensor {
  const op = 'gather';
  checkTensor(op, 'x', x);
  if (batchDims !== 0) throw new ValueError(`${op}: 'batchDims' other than 0 is not supported, got ${batchDims}`);
  const a = normalizeAxis(op, axis, x.rank);
  const idx = indexTensor(op, 'indices', indices, x.device);
  checkSameDevice(op, { x, indices: idx });
  const shape = [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a + 1)];
  return gatherFlat(x, idx, a, shape);
}

/** One gather along `axis` with host-computed positions (the index-list ops below). */
function gatherList(x: Tensor, axis: number, positions: number[]): Tensor {
  const idx = tensor(Int32Array.from(positions), [positions.length], { dtype: 'int32', device: x.device });
  const shape = x.shape.map((d, i) => (i === axis ? positions.length : d));
  return gatherFlat(x, idx, axis, shape);
}

/** Reverses x along `axis` (one axis, a list, or all axes when omitted). */
export function reverse(x: Tensor, axis?: number | number[]): Tensor {
  checkTensor('reverse', 'x', x);
  let y = x;
  for (const a of normalizeAxes('reverse', axis, x.rank)) {
    if (x.shape[a] > 1) y = gatherList(y, a, [...Array(x.shape[a]).keys()].reverse());
  }
  return y === x ? reshape(x, [...x.shape]) : y;
}

/** Repeats x reps[i] times along each axis i (tfjs tile). */
export function tile(x: Tensor, reps: number[]): Tensor {
  const op = 'tile';
  checkTensor(op, 'x', x);
  if (!Array.isArray(reps) || reps.length !== x.rank || !reps.every((r) => Number.isInteger(r) && r >= 0)) {
    throw new ValueError(`${op}: 'reps' must hold ${x.rank} non-negative integers for x of shape [${x.shape}], got ${JSON.stringify(reps)}`);
  }
  let y = x;
  reps.forEach((r, a) => {
    if (r === 1) return;
    const n = x.shape[a];
    y = gatherList(y, a, Array.from({ length: n * r }, (_, i) => i % n));
  });
  return y === x ? reshape(x, [...x.shape]) : y;
}

/** Pads by mirroring x's edges: 'reflect' leaves the edge out, 'symmetric' repeats it (tfjs mirrorPad). */
export function mirrorPad(x: Tensor, paddings: [number, number][], mode: 'reflect' | 'symmetric'): Tensor {
  const op = 'mirrorPad';
  checkTensor(op, 'x', x);
  if (mode !== 'reflect' && mode !== 'symmetric') throw new ValueError(`${op}: 'mode' must be 'reflect' or 'symmetric', got ${JSON.stringify(mode)}`);
  const shift = mode === 'reflect' ? 1 : 0;
  if (!Array.isArray(paddings) || paddings.length !== x.rank) {
    throw new ValueError(`${op}: 'paddings' must be ${x.rank} pairs [before, after], got ${JSON.stringify(paddings)}`);
  }
  let y = x;
  paddings.forEach((p, a) => {
    const n = x.shape[a];
    const ok = Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0 && v <= n - shift);
    if (!ok) throw new ValueError(`${op}: paddings[${a}] must be two integers in [0, ${n - shift}] for dim ${a} of [${x.shape}] in '${mode}' mode, got ${JSON.stringify(p)}`);
    if (p[0] === 0 && p[1] === 0) return;
    const before = Array.from({ length: p[0] }, (_, i) => p[0] - 1 - i + shift);
    const after = Array.from({ length: p[1] }, (_, i) => n - 1 - i - shift);
    y = gatherList(y, a, [...before, ...Array(n).keys(), ...after]);
  });
  return y === x ? reshape(x, [...x.shape]) : y;
}

/** Row-major flat positions of the K-tuples in indices [..., K] into a shape's first K dims (int32, exact). */
function flatPositions(op: string, indices: Tensor, dims: readonly number[]): Tensor {
  const k = indices.shape[indices.rank - 1];
  const lead = indices.shape.slice(0, -1);
  let flat: Tensor | null = null;
  let stride = 1;
  for (let j = k - 1; j >= 0; j--) {
    const column = reshape(slice(indices, [...lead.map(() => 0), j], [...lead, 1]), lead);
    const term = stride === 1 ? column : mul(column, tensor(new Int32Array([stride]), [], { dtype: 'int32', device: indices.device }));
    flat = flat ? add(flat, term) : term;
    stride *= dims[j];
  }
  if (!flat) throw new ShapeError(`${op}: 'indices' must have a last dimension of at least 1`);
  return flat;
}

function checkNdIndices(op: string, indices: Tensor, dims: readonly number[]): void {
  checkDType(op, 'indices', indices, 'int32');
  if (indices.rank < 1 || indices.shape[indices.rank - 1] > dims.length || indices.shape[indices.rank - 1] < 1) {
    throw new ShapeError(`${op}: 'indices' [${indices.shape}] must have rank >= 1 and a last dimension in [1, ${dims.length}]`);
  }
}

/** Slices of x at the K-tuples in indices [..., K]: shape indices[:-1] + x[K:] (tfjs gatherND). */
export function gatherND(x: Tensor, indices: Tensor | number[][]): Tensor {
  const op = 'gatherND';
  checkTensor(op, 'x', x);
  const idx = indexTensor(op, 'indices', indices, x.device);
  checkSameDevice(op, { x, indices: idx });
  checkNdIndices(op, idx, x.shape);
  const k = idx.shape[idx.rank - 1];
  const rest = x.shape.slice(k);
  const flat = flatPositions(op, idx, x.shape);
  const table = reshape(x, [prod(x.shape.slice(0, k)), ...rest]);
  const out = gatherFlat(table, reshape(flat, [-1]), 0, [flat.size, ...rest]);
  return reshape(out, [...idx.shape.slice(0, -1), ...rest]);
}

/** A tensor of `shape`, zero except `updates` added at the K-tuples in indices (duplicates sum; tfjs scatterND). */
export function scatterND(indices: Tensor | number[][], updates: Tensor, shape: number[]): Tensor {
  const op = 'scatterND';
  checkTensor(op, 'updates', updates);
  const s = checkShape(op, 'shape', shape);
  const idx = indexTensor(op, 'indices', indices, updates.device);
  checkSameDevice(op, { indices: idx, updates });
  checkNdIndices(op, idx, s);
  const k = idx.shape[idx.rank - 1];
  const rest = s.slice(k);
  const want = [...idx.shape.slice(0, -1), ...rest];
  if (want.join() !== updates.shape.join()) {
    throw new ShapeError(`${op}: 'updates' has shape [${updates.shape}], expected [${want}] (indices [${idx.shape}], shape [${s}])`);
  }
  const flat = reshape(flatPositions(op, idx, s), [-1]);
  const rows = reshape(updates, [flat.size, ...rest]);
  const [y] = runKernel('scatter_add', [rows, flat], [{ shape: [prod(s.slice(0, k)), ...rest], dtype: updates.dtype }], { axis: 0 });
  const out = recordOp(op, [rows], y, (dy) => [runKernel('gather', [dy, flat], [{ shape: rows.shape, dtype: dy.dtype }], { axis: 0 })[0]]);
  return reshape(out, s);
}
