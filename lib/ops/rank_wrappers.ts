// tfjs's rank-specific spellings of slice, reverse, pad, concat and batchNorm: the same op after a rank check.
import { ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { reverse } from './gather';
import { concat, pad, slice } from './layout';
import { batchNorm } from './normalization';
import { checkTensor } from './validate';

function checkRankOf(op: string, x: Tensor, rank: number): void {
  checkTensor(op, 'x', x);
  if (x.rank !== rank) throw new ShapeError(`${op}: 'x' must have rank ${rank}, got shape [${x.shape}] (rank ${x.rank})`);
}

export function slice1d(x: Tensor, begin: number, size: number): Tensor {
  checkRankOf('slice1d', x, 1);
  return slice(x, [begin], [size]);
}
export function slice2d(x: Tensor, begin: number | [number, number], size?: number | [number, number]): Tensor {
  checkRankOf('slice2d', x, 2);
  return slice(x, begin, size);
}
export function slice3d(x: Tensor, begin: number | [number, number, number], size?: number | [number, number, number]): Tensor {
  checkRankOf('slice3d', x, 3);
  return slice(x, begin, size);
}
export function slice4d(x: Tensor, begin: number | [number, number, number, number], size?: number | [number, number, number, number]): Tensor {
  checkRankOf('slice4d', x, 4);
  return slice(x, begin, size);
}

export function reverse1d(x: Tensor): Tensor {
  checkRankOf('reverse1d', x, 1);
  return reverse(x, 0);
}
export function reverse2d(x: Tensor, axis?: number | number[]): Tensor {
  checkRankOf('reverse2d', x, 2);
  return reverse(x, axis);
}
export function reverse3d(x: Tensor, axis?: number | number[]): Tensor {
  checkRankOf('reverse3d', x, 3);
  return reverse(x, axis);
}
export function reverse4d(x: Tensor, axis?: number | number[]): Tensor {
  checkRankOf('reverse4d', x, 4);
  return reverse(x, axis);
}

/** Pads with `rank` [before, after] pairs after checking their count (pad itself checks them against x). */
function padN(op: string, rank: number, x: Tensor, paddings: [number, number][], constantValue: number): Tensor {
  const ok = Array.isArray(paddings) && paddings.length === rank && paddings.every((p) => Array.isArray(p) && p.length === 2);
  if (!ok) throw new ValueError(`${op}: 'paddings' must be ${rank} pair${rank === 1 ? '' : 's'} [before, after], got ${JSON.stringify(paddings)}`);
  return pad(x, paddings, constantValue);
}
/** Pads a 1-D x with paddings = [before, after]. */
export function pad1d(x: Tensor, paddings: [number, number], constantValue = 0): Tensor {
  if (!Array.isArray(paddings) || paddings.length !== 2) throw new ValueError(`pad1d: 'paddings' must be one pair [before, after], got ${JSON.stringify(paddings)}`);
  return padN('pad1d', 1, x, [paddings], constantValue);
}
export function pad2d(x: Tensor, paddings: [[number, number], [number, number]], constantValue = 0): Tensor {
  return padN('pad2d', 2, x, paddings, constantValue);
}
export function pad3d(x: Tensor, paddings: [[number, number], [number, number], [number, number]], constantValue = 0): Tensor {
  return padN('pad3d', 3, x, paddings, constantValue);
}
export function pad4d(x: Tensor, paddings: [[number, number], [number, number], [number, number], [number, number]], constantValue = 0): Tensor {
  return padN('pad4d', 4, x, paddings, constantValue);
}

// tfjs checks no rank here: concatNd is concat (concat1d always joins along axis 0).
export const concat1d = (tensors: Tensor[]): Tensor => concat(tensors, 0);
export const concat2d = (tensors: Tensor[], axis: number): Tensor => concat(tensors, axis);
export const concat3d = (tensors: Tensor[], axis: number): Tensor => concat(tensors, axis);
export const concat4d = (tensors: Tensor[], axis: number): Tensor => concat(tensors, axis);

/** batchNorm after checking x has `rank` and each statistic has rank 1 or `rank` (as tfjs's batchNormNd). */
function batchNormN(
  rank: number, x: Tensor, mean: Tensor, variance: Tensor, offset: Tensor | undefined, scale: Tensor | undefined, varianceEpsilon: number | undefined,
): Tensor {
  const op = `batchNorm${rank}d`;
  checkRankOf(op, x, rank);
  for (const [name, t] of [['mean', mean], ['variance', variance], ['offset', offset], ['scale', scale]] as const) {
    if (t === undefined || t === null) continue;
    checkTensor(op, name, t);
    if (t.rank !== 1 && t.rank !== rank) throw new ShapeError(`${op}: '${name}' must have rank 1 or ${rank}, got shape [${t.shape}] (rank ${t.rank})`);
  }
  return batchNorm(x, mean, variance, offset, scale, varianceEpsilon);
}
export function batchNorm2d(x: Tensor, mean: Tensor, variance: Tensor, offset?: Tensor, scale?: Tensor, varianceEpsilon?: number): Tensor {
  return batchNormN(2, x, mean, variance, offset, scale, varianceEpsilon);
}
export function batchNorm3d(x: Tensor, mean: Tensor, variance: Tensor, offset?: Tensor, scale?: Tensor, varianceEpsilon?: number): Tensor {
  return batchNormN(3, x, mean, variance, offset, scale, varianceEpsilon);
}
export function batchNorm4d(x: Tensor, mean: Tensor, variance: Tensor, offset?: Tensor, scale?: Tensor, varianceEpsilon?: number): Tensor {
  return batchNormN(4, x, mean, variance, offset, scale, varianceEpsilon);
}
