// tfjs's filled and sequence tensors: fill, eye, linspace, range (argument orders and defaults as tfjs).
import { DTypeError, ValueError } from '../errors';
import { isDType, type DType } from '../dtype';
import { getDefaultDevice } from '../device';
import { fromHostArray, runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { full } from './creation';
import { checkNumber, checkShape } from './validate';

function dtypeArg(op: string, dtype: unknown, fallback: DType): DType {
  if (dtype === undefined || dtype === null) return fallback;
  if (!isDType(dtype)) throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(dtype)} (expected 'float32' or 'int32')`);
  return dtype;
}

/** A tensor of `shape` filled with `value`; dtype defaults to float32 (tfjs infers int32 only for strings/bools). */
export function fill(shape: readonly number[], value: number, dtype?: DType): Tensor {
  return full(shape, value, { dtype: dtypeArg('fill', dtype, 'float32') });
}

/**
 * Identity matrices: [numRows, numColumns] (numColumns defaults to numRows), repeated over `batchShape` (up to 3
 * leading dimensions, as tfjs).
 */
export function eye(numRows: number, numColumns?: number, batchShape?: number[], dtype: DType = 'float32'): Tensor {
  const op = 'eye';
  checkNumber(op, 'numRows', numRows, { min: 0, integer: true });
  const cols = numColumns === undefined || numColumns === null ? numRows : checkNumber(op, 'numColumns', numColumns, { min: 0, integer: true });
  const batch = batchShape === undefined || batchShape === null ? [] : checkShape(op, 'batchShape', batchShape);
  if (batch.length > 3) throw new ValueError(`${op}: 'batchShape' may have at most 3 dimensions, got [${batch}]`);
  const dt = dtypeArg(op, dtype, 'float32');
  const count = batch.reduce((a, b) => a * b, 1);
  const host = dt === 'int32' ? new Int32Array(count * numRows * cols) : new Float32Array(count * numRows * cols);
  for (let b = 0; b < count; b++) for (let i = 0; i < Math.min(numRows, cols); i++) host[(b * numRows + i) * cols + i] = 1;
  return fromHostArray(host, [...batch, numRows, cols], dt, getDefaultDevice());
}

/** `num` evenly spaced float32 values from start to stop, both included (num = 1 gives [start]). */
export function linspace(start: number, stop: number, num: number): Tensor {
  const op = 'linspace';
  checkNumber(op, 'start', start);
  checkNumber(op, 'stop', stop);
  checkNumber(op, 'num', num, { min: 1, integer: true });
  const step = num === 1 ? 0 : (stop - start) / (num - 1);
  return runKernel('arange', [], [{ shape: [num], dtype: 'float32' }], { start, step }, getDefaultDevice())[0];
}

/**
 * tfjs's range(start, stop, step = 1, dtype = 'float32'): start, start + step, ... up to stop (excluded). As in tfjs,
 * a stop below start with the default step counts down, and a step pointing away from stop gives an empty tensor.
 */
export function range(start: number, stop: number, step = 1, dtype: DType = 'float32'): Tensor {
  const op = 'range';
  checkNumber(op, 'start', start);
  checkNumber(op, 'stop', stop);
  checkNumber(op, 'step', step);
  if (step === 0) throw new ValueError(`${op}: 'step' must not be 0`);
  const dt = dtypeArg(op, dtype, 'float32');
  if (stop < start && step === 1) step = -1;
  const away = (start < stop && step < 0) || (stop < start && step > 0);
  const n = start === stop || away ? 0 : Math.ceil(Math.abs(stop - start) / Math.abs(step));
  return runKernel('arange', [], [{ shape: [n], dtype: dt }], { start, step }, getDefaultDevice())[0];
}
