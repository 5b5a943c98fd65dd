// tfjs's stridedSlice (TensorFlow's StridedSlice): the index spec is resolved on the host into one slice, a gather per
// non-unit stride and a reshape, so the result runs on every backend and its gradient comes from those ops.
import { ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { gather } from './gather';
import { slice } from './layout';
import { reshape } from './reshape';
import { checkTensor } from './validate';

const NEW_AXIS = -1;
const SHRINK = -2;

/** One dense (input) dim of the resolved spec: where it starts, its stride and how many elements it takes. */
interface DimPlan {
  begin: number;
  stride: number;
  size: number;
}

const bit = (mask: number, i: number): boolean => Math.floor(mask / 2 ** i) % 2 === 1;

function checkIntList(op: string, arg: string, v: unknown): number[] {
  if (!Array.isArray(v) || !v.every((d) => typeof d === 'number' && Number.isInteger(d))) {
    throw new ValueError(`${op}: '${arg}' must be an array of integers, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Start (c = 0) or stop (c = 1) of a range dim: masked -> the full extent in the stride's direction, else clamped. */
function canonical(value: number, c: 0 | 1, masked: boolean, stride: number, dim: number): number {
  const lo = stride > 0 ? 0 : -1;
  const hi = stride > 0 ? dim : dim - 1;
  if (masked) return stride > 0 ? (c === 0 ? lo : hi) : c === 0 ? hi : lo;
  const v = value < 0 ? dim + value : value;
  return Math.min(Math.max(v, lo), hi);
}

/**
 * Extracts x[begin:end:strides] per dim (TensorFlow's StridedSlice). Bit i of beginMask / endMask ignores begin[i] /
 * end[i] (the full range); the one set bit of ellipsisMask stands for all dims not named; bit i of newAxisMask inserts
 * a dim of size 1; bit i of shrinkAxisMask takes the single element begin[i] and drops the dim. Negative indices count
 * from the end, out-of-range ones are clamped, and an empty range (begin past end) gives a size-0 dim.
 */
export function stridedSlice(
  x: Tensor, begin: number[], end: number[], strides?: number[],
  beginMask = 0, endMask = 0, ellipsisMask = 0, newAxisMask = 0, shrinkAxisMask = 0,
): Tensor {
  const op = 'stridedSlice';
  checkTensor(op, 'x', x);
  const b = checkIntList(op, 'begin', begin);
  const e = checkIntList(op, 'end', end);
  const s = strides === undefined || strides === null ? b.map(() => 1) : checkIntList(op, 'strides', strides);
  if (e.length !== b.length || s.length !== b.length) {
    throw new ValueError(`${op}: 'begin', 'end' and 'strides' must have one length, got ${b.length}, ${e.length} and ${s.length}`);
  }
  const masks = { beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask };
  for (const [name, m] of Object.entries(masks)) {
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 0) throw new ValueError(`${op}: '${name}' must be a non-negative integer bit mask, got ${m}`);
  }
  const n = b.length;
  const ellipsisBits = [...Array(n).keys()].filter((i) => bit(ellipsisMask, i));
  if (ellipsisBits.length > 1) throw new ValueError(`${op}: 'ellipsisMask' ${ellipsisMask} sets more than one bit (only one ellipsis is allowed)`);
  // Without an ellipsis, one is implied after the last spec entry (the dims not named are taken whole).
  const ellipsisAt = ellipsisBits.length ? ellipsisBits[0] : n;
  const specCount = ellipsisBits.length ? n : n + 1;
  const newAxesAfterEllipsis = [...Array(n).keys()].filter((i) => i > ellipsisAt && bit(newAxisMask, i)).length;

  // Sparse spec -> one plan per input dim, plus the output dims in order (an input dim, NEW_AXIS or SHRINK).
  const plans: DimPlan[] = [];
  const outputDims: number[] = [];
  const fullRange = (): DimPlan => ({ begin: 0, stride: 1, size: x.shape[plans.length] });
  for (let i = 0; i < specCount; i++) {
    if (i === ellipsisAt) {
      const until = Math.min(x.rank - (specCount - i) + 1 + newAxesAfterEllipsis, x.rank);
      while (plans.length < until) {
        outputDims.push(plans.length);
        plans.push(fullRange());
      }
    } else if (bit(newAxisMask, i)) {
      outputDims.push(NEW_AXIS);
    } else {
      const d = plans.length;
      if (d === x.rank) throw new ShapeError(`${op}: the spec names more dims than x [${x.shape}] has (rank ${x.rank})`);
      const dim = x.shape[d];
      const stride = s[i];
      if (stride === 0) throw new ValueError(`${op}: strides[${i}] must be non-zero`);
      if (bit(shrinkAxisMask, i)) {
        if (stride < 0) throw new ValueError(`${op}: strides[${i}] must be positive on a shrunk dim (shrinkAxisMask bit ${i}), got ${stride}`);
        const at = b[i] < 0 ? dim + b[i] : b[i];
        if (at < 0 || at >= dim) throw new ShapeError(`${op}: index ${b[i]} (shrinkAxisMask bit ${i}) is outside dim ${d} of x [${x.shape}]`);
        plans.push({ begin: at, stride: 1, size: 1 });
        outputDims.push(SHRINK);
      } else {
        const start = canonical(b[i], 0, bit(beginMask, i), stride, dim);
        const stop = canonical(e[i], 1, bit(endMask, i), stride, dim);
        const span = stop - start;
        const size = span === 0 || span < 0 !== stride < 0 ? 0 : Math.ceil(span / stride);
        plans.push({ begin: start, stride, size });
        outputDims.push(d);
      }
    }
  }
  const finalShape = outputDims.filter((d) => d !== SHRINK).map((d) => (d === NEW_AXIS ? 1 : plans[d].size));
  return applyPlans(x, plans, finalShape);
}

/** One slice over the bounding box of every dim's elements, a gather along each dim whose stride is not 1, a reshape. */
function applyPlans(x: Tensor, plans: DimPlan[], finalShape: number[]): Tensor {
  const lows = plans.map((p) => (p.size === 0 ? 0 : p.stride > 0 ? p.begin : p.begin + (p.size - 1) * p.stride));
  const spans = plans.map((p) => (p.size === 0 ? 0 : (p.size - 1) * Math.abs(p.stride) + 1));
  const whole = plans.every((_, i) => lows[i] === 0 && spans[i] === x.shape[i]);
  let y = x.rank === 0 || whole ? x : slice(x, lows, spans);
  plans.forEach((p, axis) => {
    if (p.size <= 1 || p.stride === 1) return;
    // Positions inside the bounding box: every |stride|-th element, from the far end when the stride is negative.
    const positions = Array.from({ length: p.size }, (_, k) => (p.stride > 0 ? k * p.stride : p.begin - lows[axis] + k * p.stride));
    y = gather(y, positions, axis);
  });
  return reshape(y, finalShape);
}
