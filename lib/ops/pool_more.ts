// tfjs's pool (max/avg with dilations), maxPoolWithArgmax and dilation2d (grayscale morphological dilation), NHWC.
// Each window tap is one strided gather of the padded input, so gradients come from the tape.
import { ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { tensor } from './creation';
import { add, maximum, mul, scale } from './elementwise';
import { pad } from './layout';
import { gather } from './gather';
import { avgPool, maxPool, type PadArg } from './conv_family';
import { checkImage, outputSize, pair, resolvePads } from './conv';
import { argMax } from './stats';
import { stack } from './stack';
import { reshape, cast } from './reshape';
import { checkDType, checkRank, checkSameDevice, checkTensor } from './validate';

type Pair = number | [number, number];

/**
 * Every tap of a kh x kw window (dilation [dh, dw], stride [sh, sw]) over the already padded x4 as [N, OH, OW, C]
 * tensors, row-major (tap i*kw + j is window row i, column j).
 */
function windowTaps(x4: Tensor, k: [number, number], stride: [number, number], dil: [number, number], out: [number, number]): Tensor[] {
  const positions = (offset: number, step: number, n: number) => Array.from({ length: n }, (_, r) => offset + r * step);
  const taps: Tensor[] = [];
  for (let i = 0; i < k[0]; i++) {
    const rows = gather(x4, positions(i * dil[0], stride[0], out[0]), 1);
    for (let j = 0; j < k[1]; j++) taps.push(gather(rows, positions(j * dil[1], stride[1], out[1]), 2));
  }
  return taps;
}

/** Runs f on a batch: a rank-3 image gets a batch dim for the call. */
function batched(op: string, x: Tensor, f: (x4: Tensor) => Tensor): Tensor {
  checkTensor(op, 'x', x);
  checkRank(op, 'x', x, 3, 4);
  if (x.rank === 4) return f(x);
  const y = f(reshape(x, [1, ...x.shape]));
  return reshape(y, y.shape.slice(1));
}

/**
 * tfjs's pool: max or avg pooling with optional dilations (then strides must be 1). Without dilation it is maxPool /
 * avgPool. With dilation tfjs pools a space-to-batch copy, so under 'same' the padded positions are zeros that take
 * part in the max and the mean, and any other `pad` is treated as 'valid'; this follows it.
 */
export function pool(input: Tensor, windowShape: Pair, poolingType: 'avg' | 'max', pad0: PadArg | 0, dilations?: Pair | null, strides?: Pair | null, dimRoundingMode?: string): Tensor {
  const op = 'pool';
  const padArg: PadArg = pad0 === 0 ? 'valid' : pad0;
  if (poolingType !== 'avg' && poolingType !== 'max') throw new ValueError(`${op}: 'poolingType' must be 'avg' or 'max', got ${JSON.stringify(poolingType)}`);
  const dil = pair(op, 'dilations', dilations ?? 1, 1);
  const st = pair(op, 'strides', strides ?? 1, 1);
  if (!(dil[0] === 1 && dil[1] === 1) && !(st[0] === 1 && st[1] === 1)) {
    throw new ValueError(`${op}: either strides or dilations must be 1, got strides [${st}] and dilations [${dil}]`);
  }
  if (dil[0] === 1 && dil[1] === 1) {
    const f = poolingType === 'avg' ? avgPool : maxPool;
    return f(input, windowShape, st, padArg, dimRoundingMode);
  }
  if (dimRoundingMode !== undefined) throw new ValueError(`${op}: 'dimRoundingMode' is not supported, got ${JSON.stringify(dimRoundingMode)}`);
  const k = pair(op, 'windowShape', windowShape, 1);
  return batched(op, input, (x4) => {
    checkImage(op, 'x', x4);
    const span: [number, number] = [(k[0] - 1) * dil[0] + 1, (k[1] - 1) * dil[1] + 1];
    const total = [span[0] - 1, span[1] - 1];
    const pads = padArg === 'same' ? [Math.floor(total[0] / 2), total[0] - Math.floor(total[0] / 2), Math.floor(total[1] / 2), total[1] - Math.floor(total[1] / 2)] : [0, 0, 0, 0];
    const xp = pads.some((p) => p > 0) ? pad(x4, [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]]) : x4;
    const out = outputSize(op, xp, [0, 0, 0, 0], [1, 1], span, `${k[0]}x${k[1]} window (dilations [${dil}])`);
    const taps = windowTaps(xp, k, [1, 1], dil, out);
    if (poolingType === 'max') return taps.reduce((m, t) => maximum(m, t));
    return scale(taps.reduce((s, t) => add(s, t)), 1 / taps.length);
  });
}

/**
 * Max pooling that also returns, for each output, the flat position of the maximum in the input: ((y * W + x) * C +
 * c), plus b * H * W * C when includeBatchInIndex (int32). Ties go to the first maximum in row-major window order.
 */
export function maxPoolWithArgmax(x: Tensor, filterSize: Pair, strides: Pair, pad0: PadArg, includeBatchInIndex = false): { result: Tensor; indexes: Tensor } {
  const op = 'maxPoolWithArgmax';
  checkImage(op, 'x', x);
  const k = pair(op, 'filterSize', filterSize, 1);
  const st = pair(op, 'strides', strides, 1);
  const result = maxPool(x, k, st, pad0);
  const [n, h, w, c] = x.shape;
  const [top, bottom, left, right] = resolvePads(op, pad0, [h, w], st, k);
  const [oh, ow] = [result.shape[1], result.shape[2]];
  // Padding can never be the maximum: it is -Infinity.
  const xp = pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], -Infinity);
  const taps = windowTaps(xp, k, st, [1, 1], [oh, ow]);
  const tap = argMax(stack(taps, 4), 4); // [N, OH, OW, C]: which tap won
  const dev = { dtype: 'int32' as const, device: x.device };
  const corner = new Int32Array(oh * ow);
  for (let r = 0; r < oh; r++) for (let q = 0; q < ow; q++) corner[r * ow + q] = (r * st[0] - top) * w + (q * st[1] - left);
  const offsets = Array.from({ length: k[0] * k[1] }, (_, t) => Math.floor(t / k[1]) * w + (t % k[1]));
  const pixel = add(tensor(corner, [1, oh, ow, 1], dev), gather(tensor(offsets, [offsets.length], dev), tap));
  let index = add(mul(pixel, tensor([c], [], dev)), tensor(Array.from({ length: c }, (_, i) => i), [1, 1, 1, c], dev));
  if (includeBatchInIndex) index = add(index, tensor(Array.from({ length: n }, (_, b) => b * h * w * c), [n, 1, 1, 1], dev));
  return { result, indexes: index.dtype === 'int32' ? index : cast(index, 'int32') };
}

/**
 * Grayscale dilation (tfjs's dilation2d): out[b, y, x, c] = max over the window of x[b, y*s + i*d, x*s + j*d, c] +
 * filter[i, j, c], positions outside the input left out. x [N, H, W, C] (or [H, W, C]), filter [fh, fw, C].
 */
export function dilation2d(x: Tensor, filter: Tensor, strides: Pair, pad0: 'valid' | 'same' | number, dilations: Pair = [1, 1], dataFormat = 'NHWC'): Tensor {
  const op = 'dilation2d';
  if (dataFormat !== 'NHWC') throw new ValueError(`${op}: only 'NHWC' is supported (as in tfjs), got ${JSON.stringify(dataFormat)}`);
  checkTensor(op, 'filter', filter);
  checkRank(op, 'filter', filter, 3);
  checkDType(op, 'filter', filter, 'float32');
  return batched(op, x, (x4) => {
    checkImage(op, 'x', x4);
    checkSameDevice(op, { x: x4, filter });
    const [fh, fw, fc] = filter.shape;
    if (fc !== x4.shape[3]) throw new ShapeError(`${op}: 'filter' [${filter.shape}] has depth ${fc} but 'x' [${x4.shape}] has ${x4.shape[3]} channels`);
    const st = pair(op, 'strides', strides, 1);
    const dil = pair(op, 'dilations', dilations, 1);
    const span: [number, number] = [(fh - 1) * dil[0] + 1, (fw - 1) * dil[1] + 1];
    const pads = resolvePads(op, pad0, [x4.shape[1], x4.shape[2]], st, span);
    const out = outputSize(op, x4, pads, st, span, `${fh}x${fw} filter`);
    const xp = pad(x4, [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]], -Infinity);
    const taps = windowTaps(xp, [fh, fw], st, dil, out);
    const weights = reshape(filter, [fh * fw, 1, 1, 1, fc]);
    const sums = taps.map((t, i) => add(t, reshape(gather(weights, [i]), [1, 1, 1, fc])));
    return sums.reduce((m, t) => maximum(m, t));
  });
}
