// Block rearrangements between space, depth and batch (tfjs's depthToSpace, spaceToBatchND, batchToSpaceND), each a
// reshape / transpose / reshape with a pad or slice around it, so gradients come from those ops.
import { DTypeError, ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { pad, slice, transpose } from './layout';
import { reshape } from './reshape';
import { checkTensor } from './validate';

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const isPairList = (v: unknown, n: number): v is [number, number][] =>
  Array.isArray(v) && v.length === n && v.every((p) => Array.isArray(p) && p.length === 2 && p.every((d) => Number.isInteger(d) && d >= 0));

/** Moves blockSize x blockSize groups of channels into space: [b, h, w, c] -> [b, h*bs, w*bs, c/bs^2] (NHWC). */
export function depthToSpace(x: Tensor, blockSize: number, dataFormat: 'NHWC' | 'NCHW' = 'NHWC'): Tensor {
  const op = 'depthToSpace';
  checkTensor(op, 'x', x);
  if (x.dtype !== 'float32') throw new DTypeError(`${op}: 'x' must be float32, got ${x.dtype}`);
  if (x.rank !== 4) throw new ShapeError(`${op}: 'x' must have rank 4, got shape [${x.shape}]`);
  if (!Number.isInteger(blockSize) || blockSize < 2) throw new ValueError(`${op}: 'blockSize' must be an integer > 1, got ${blockSize}`);
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') throw new ValueError(`${op}: 'dataFormat' must be 'NHWC' or 'NCHW', got ${JSON.stringify(dataFormat)}`);
  const nhwc = dataFormat === 'NHWC';
  const [b, h, w, c] = nhwc ? x.shape : [x.shape[0], x.shape[2], x.shape[3], x.shape[1]];
  const bs = blockSize;
  if (c % (bs * bs) !== 0) throw new ShapeError(`${op}: the depth ${c} of x [${x.shape}] must be divisible by blockSize^2 = ${bs * bs}`);
  const oc = c / (bs * bs);
  // Channel index (i * bs + j) * oc + k goes to row h * bs + i, column w * bs + j, channel k.
  if (nhwc) {
    const split = reshape(x, [b, h, w, bs, bs, oc]);
    return reshape(transpose(split, [0, 1, 3, 2, 4, 5]), [b, h * bs, w * bs, oc]);
  }
  const split = reshape(x, [b, bs, bs, oc, h, w]);
  return reshape(transpose(split, [0, 3, 4, 1, 5, 2]), [b, oc, h * bs, w * bs]);
}

function checkBlockShape(op: string, x: Tensor, blockShape: number[]): void {
  if (!Array.isArray(blockShape) || blockShape.length < 1 || !blockShape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ValueError(`${op}: 'blockShape' must be a non-empty array of positive integers, got ${JSON.stringify(blockShape)}`);
  }
  if (x.rank < 1 + blockShape.length) {
    throw new ShapeError(`${op}: x [${x.shape}] must have rank >= ${1 + blockShape.length} (1 + blockShape.length), got rank ${x.rank}`);
  }
}

/**
 * Zero-pads the M spatial dims (1..M) of x, splits each into blocks of blockShape[i] and moves the block offsets into
 * the batch: [b, s1, ..., sM, rest] -> [b * prod(blockShape), (s1 + pads) / bs1, ..., rest].
 */
export function spaceToBatchND(x: Tensor, blockShape: number[], paddings: number[][]): Tensor {
  const op = 'spaceToBatchND';
  checkTensor(op, 'x', x);
  checkBlockShape(op, x, blockShape);
  const m = blockShape.length;
  if (!isPairList(paddings, m)) throw new ValueError(`${op}: 'paddings' must be ${m} pairs [before, after] of non-negative integers, got ${JSON.stringify(paddings)}`);
  const padded = x.shape.map((d, i) => (i >= 1 && i <= m ? d + paddings[i - 1][0] + paddings[i - 1][1] : d));
  blockShape.forEach((bs, i) => {
    if (padded[i + 1] % bs !== 0) {
      throw new ShapeError(`${op}: dim ${i + 1} of x [${x.shape}] padded by [${paddings[i]}] is ${padded[i + 1]}, not divisible by blockShape[${i}] = ${bs}`);
    }
  });
  const rest = x.shape.slice(m + 1);
  const all = [[0, 0], ...paddings, ...rest.map(() => [0, 0])] as [number, number][];
  const y = all.some((p) => p[0] || p[1]) ? pad(x, all) : x;
  // [b, s1/bs1, bs1, ..., sM/bsM, bsM, rest] -> [bs1, ..., bsM, b, s1/bs1, ..., sM/bsM, rest]
  const outer = blockShape.map((bs, i) => padded[i + 1] / bs);
  const split = reshape(y, [x.shape[0], ...blockShape.flatMap((bs, i) => [outer[i], bs]), ...rest]);
  const perm = [...blockShape.map((_, i) => 2 + 2 * i), 0, ...blockShape.map((_, i) => 1 + 2 * i), ...rest.map((_, i) => 1 + 2 * m + i)];
  return reshape(transpose(split, perm), [x.shape[0] * prod(blockShape), ...outer, ...rest]);
}

/**
 * The inverse of spaceToBatchND: moves the batch's block offsets back into the M spatial dims, then crops
 * crops[i] = [start, end] elements from each: [b, s1, ..., sM, rest] -> [b / prod(blockShape), s1 * bs1 - crops, ...].
 */
export function batchToSpaceND(x: Tensor, blockShape: number[], crops: number[][]): Tensor {
  const op = 'batchToSpaceND';
  checkTensor(op, 'x', x);
  checkBlockShape(op, x, blockShape);
  const m = blockShape.length;
  if (!isPairList(crops, m)) throw new ValueError(`${op}: 'crops' must be ${m} pairs [start, end] of non-negative integers, got ${JSON.stringify(crops)}`);
  const blocks = prod(blockShape);
  if (x.shape[0] % blocks !== 0) {
    throw new ShapeError(`${op}: the batch ${x.shape[0]} of x [${x.shape}] must be divisible by the product of blockShape (${blockShape.join(' * ')} = ${blocks})`);
  }
  const batch = x.shape[0] / blocks;
  const spatial = x.shape.slice(1, m + 1);
  const rest = x.shape.slice(m + 1);
  const full = spatial.map((s, i) => s * blockShape[i]);
  crops.forEach((c, i) => {
    if (c[0] + c[1] > full[i]) throw new ShapeError(`${op}: crops[${i}] [${c}] remove more than the ${full[i]} elements of spatial dim ${i + 1}`);
  });
  // [bs1, ..., bsM, b, s1, ..., sM, rest] -> [b, s1, bs1, ..., sM, bsM, rest]
  const split = reshape(x, [...blockShape, batch, ...spatial, ...rest]);
  const perm = [m, ...spatial.flatMap((_, i) => [m + 1 + i, i]), ...rest.map((_, i) => 2 * m + 1 + i)];
  const joined = reshape(transpose(split, perm), [batch, ...full, ...rest]);
  if (crops.every((c) => c[0] === 0 && c[1] === 0)) return joined;
  return slice(joined, [0, ...crops.map((c) => c[0]), ...rest.map(() => 0)], [batch, ...full.map((f, i) => f - crops[i][0] - crops[i][1]), ...rest]);
}
