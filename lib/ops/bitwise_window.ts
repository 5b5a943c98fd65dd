// tfjs's top-level cosineWindow and bitwiseAnd (int32), composed from existing ops so every backend runs them.
import { DTypeError, ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { full, tensor } from './creation';
import { add, floorDiv, less, mul } from './elementwise';
import { logicalAnd, where } from './logical';
import { mod } from './math';
import { sum } from './reduce';
import { reshape } from './reshape';
import { checkSameDevice, checkTensor, sameShape } from './validate';
import { generalCosineWindow } from './window_util';

/** The window a - b cos(2 pi i / D), i < windowLength (D = windowLength rounded down to odd, minus 1), float32. */
export function cosineWindow(windowLength: number, a: number, b: number): Tensor {
  const op = 'cosineWindow';
  for (const [name, v] of [['a', a], ['b', b]] as const) {
    if (typeof v !== 'number') throw new ValueError(`${op}: '${name}' must be a number, got ${typeof v}`);
  }
  return generalCosineWindow(op, windowLength, a, b);
}

// The bits below the sign bit in two spans, 2^0 ... 2^23 and 2^24 ... 2^30: int32 sum() accumulates in float32, which
// is exact for any subset of one span (at most 24 significant bits) but not across both.
const SPANS = [Array.from({ length: 24 }, (_, k) => 2 ** k), Array.from({ length: 7 }, (_, k) => 2 ** (k + 24))];

/**
 * x & y for two int32 tensors of one shape (tfjs requires equal shapes, no broadcasting). No native kernel: each
 * operand is split into its 31 low bits with floorDiv/mod (exact on int32), the common bits are summed back span by
 * span, and the sign bit (-2^31 in two's complement) is added where both operands are negative.
 */
export function bitwiseAnd(x: Tensor, y: Tensor): Tensor {
  const op = 'bitwiseAnd';
  checkTensor(op, 'x', x);
  checkTensor(op, 'y', y);
  checkSameDevice(op, { x, y });
  if (!sameShape(x.shape, y.shape)) throw new ShapeError(`${op}: 'x' and 'y' must have the same shape, got [${x.shape}] and [${y.shape}]`);
  if (x.dtype !== 'int32' || y.dtype !== 'int32') throw new DTypeError(`${op}: 'x' and 'y' must be int32, got ${x.dtype} and ${y.dtype}`);
  const device = x.device;
  const int = (v: number): Tensor => full([], v, { dtype: 'int32', device });
  const two = int(2);
  const [lowSpan, highSpan] = SPANS.map((span) => {
    const powers = tensor(span, [span.length], { dtype: 'int32', device });
    const bitsOf = (t: Tensor): Tensor => mod(floorDiv(reshape(t, [...t.shape, 1]), powers), two);
    return sum(mul(mul(bitsOf(x), bitsOf(y)), powers), -1);
  });
  const low = add(lowSpan, highSpan);
  const zero = int(0);
  const bothNegative = logicalAnd(less(x, zero), less(y, zero));
  return where(bothNegative, add(low, int(-(2 ** 31))), low);
}
