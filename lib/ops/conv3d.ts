// tfjs's conv3d, conv3dTranspose, maxPool3d and avgPool3d (NDHWC) as sums / maxima over the depth taps of the 2-D
// kernels: each depth tap is one gather of depth slices, run through conv2d / maxPool2d / avgPool2d with the batch and
// output depth folded together (conv3dTranspose: conv2dTranspose per tap, spread back over depth). Gradients come from
// the tape.
import { ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { tensor } from './creation';
import { add, maximum, mul } from './elementwise';
import { pad, slice } from './layout';
import { gather } from './gather';
import { avgPool2d, conv2d, maxPool2d } from './conv';
import { conv2dTranspose } from './conv_family';
import { reshape } from './reshape';
import { checkDType, checkRank, checkSameDevice, checkTensor } from './validate';

type Triple = number | [number, number, number];

function triple(op: string, arg: string, v: unknown): [number, number, number] {
  const list = typeof v === 'number' ? [v, v, v] : v;
  if (!Array.isArray(list) || list.length !== 3 || !list.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ValueError(`${op}: '${arg}' must be a positive integer or a list of three, got ${JSON.stringify(v)}`);
  }
  return list as [number, number, number];
}

/** [front, back] depth padding: TensorFlow's 'same' split (extra at the back), none for 'valid', p both sides for a number. */
function depthPads(op: string, padArg: unknown, size: number, stride: number, span: number): [number, number] {
  if (padArg === 'valid') return [0, 0];
  if (padArg === 'same') {
    const total = Math.max((Math.ceil(size / stride) - 1) * stride + span - size, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }
  if (typeof padArg === 'number' && Number.isInteger(padArg) && padArg >= 0) return [padArg, padArg];
  throw new ValueError(`${op}: 'pad' must be 'valid', 'same' or a non-negative integer, got ${JSON.stringify(padArg)}`);
}

/** Runs f on a batch: a rank-4 volume gets a batch dim for the call. */
function batched5(op: string, x: Tensor, f: (x5: Tensor) => Tensor): Tensor {
  checkTensor(op, 'x', x);
  checkRank(op, 'x', x, 4, 5);
  checkDType(op, 'x', x, 'float32');
  if (x.rank === 5) return f(x);
  const y = f(reshape(x, [1, ...x.shape]));
  return reshape(y, y.shape.slice(1));
}

/**
 * The depth taps of x5 [N, D, H, W, C] padded by `pads` (with `value`): for tap i, the [N * OD, H, W, C] stack of
 * the depth slices od * stride + i * dilation.
 */
function depthTaps(op: string, x5: Tensor, k: number, stride: number, dilation: number, pads: [number, number], value: number): { taps: Tensor[]; od: number } {
  const [n, d, h, w, c] = x5.shape;
  const span = (k - 1) * dilation + 1;
  const padded = d + pads[0] + pads[1];
  if (padded < span) throw new ShapeError(`${op}: the depth window (extent ${span}) is larger than the padded depth ${padded} (x shape [${x5.shape}])`);
  const od = Math.floor((padded - span) / stride) + 1;
  const xp = pads[0] + pads[1] > 0 ? pad(x5, [[0, 0], pads, [0, 0], [0, 0], [0, 0]], value) : x5;
  const taps = Array.from({ length: k }, (_, i) => {
    const slices = gather(xp, Array.from({ length: od }, (_, o) => o * stride + i * dilation), 1);
    return reshape(slices, [n * od, h, w, c]);
  });
  return { taps, od };
}

/** Undoes the batch/depth folding: [N * OD, OH, OW, C'] -> [N, OD, OH, OW, C']. */
const unfold = (y: Tensor, n: number, od: number): Tensor => reshape(y, [n, od, ...y.shape.slice(1)]);

/** 3-D convolution: x [N, D, H, W, C] (or without N), filter [kd, kh, kw, C, O] -> [N, OD, OH, OW, O]. */
export function conv3d(x: Tensor, filter: Tensor, strides: Triple, pad0: 'valid' | 'same', dataFormat = 'NDHWC', dilations: Triple = [1, 1, 1]): Tensor {
  const op = 'conv3d';
  if (dataFormat !== 'NDHWC') throw new ValueError(`${op}: only 'NDHWC' is supported (as in tfjs), got ${JSON.stringify(dataFormat)}`);
  if (pad0 !== 'valid' && pad0 !== 'same') throw new ValueError(`${op}: 'pad' must be 'valid' or 'same', got ${JSON.stringify(pad0)}`);
  checkTensor(op, 'filter', filter);
  checkRank(op, 'filter', filter, 5);
  checkDType(op, 'filter', filter, 'float32');
  const st = triple(op, 'strides', strides);
  const dil = triple(op, 'dilations', dilations);
  if (!st.every((s) => s === 1) && !dil.every((s) => s === 1)) throw new ValueError(`${op}: either strides or dilations must be 1, got strides [${st}] and dilations [${dil}]`);
  return batched5(op, x, (x5) => {
    checkSameDevice(op, { x: x5, filter });
    const [kd, kh, kw, ci, co] = filter.shape;
    if (ci !== x5.shape[4]) throw new ShapeError(`${op}: 'filter' [${filter.shape}] expects ${ci} input channels, but 'x' [${x5.shape}] has ${x5.shape[4]}`);
    const pads = depthPads(op, pad0, x5.shape[1], st[0], (kd - 1) * dil[0] + 1);
    const { taps, od } = depthTaps(op, x5, kd, st[0], dil[0], pads, 0);
    const outs = taps.map((t, i) =>
      conv2d(t, reshape(gather(filter, [i], 0), [kh, kw, ci, co]), { stride: [st[1], st[2]], padding: pad0, dilation: [dil[1], dil[2]] }));
    return unfold(outs.reduce((s, y) => add(s, y)), x5.shape[0], od);
  });
}

function pool3dArgs(op: string, filterSize: Triple, strides: Triple, dimRoundingMode: unknown, dataFormat: string): [[number, number, number], [number, number, number]] {
  if (dataFormat !== 'NDHWC') throw new ValueError(`${op}: only 'NDHWC' is supported (as in tfjs), got ${JSON.stringify(dataFormat)}`);
  if (dimRoundingMode !== undefined && dimRoundingMode !== null) throw new ValueError(`${op}: 'dimRoundingMode' is not supported, got ${JSON.stringify(dimRoundingMode)}`);
  return [triple(op, 'filterSize', filterSize), triple(op, 'strides', strides)];
}

/** 3-D max pooling over NDHWC volumes; padding never wins. */
export function maxPool3d(x: Tensor, filterSize: Triple = [1, 1, 1], strides: Triple = 1, pad0: 'valid' | 'same' | number = 'valid', dimRoundingMode?: string, dataFormat = 'NDHWC'): Tensor {
  const op = 'maxPool3d';
  const [k, st] = pool3dArgs(op, filterSize, strides, dimRoundingMode, dataFormat);
  return batched5(op, x, (x5) => {
    const pads = depthPads(op, pad0, x5.shape[1], st[0], k[0]);
    // The depth padding is -Infinity so that it never wins; H and W padding is left out by maxPool2d.
    const { taps, od } = depthTaps(op, x5, k[0], st[0], 1, pads, -Infinity);
    const outs = taps.map((t) => maxPool2d(t, { kernelSize: [k[1], k[2]], stride: [st[1], st[2]], padding: pad0 }));
    return unfold(outs.reduce((m, y) => maximum(m, y)), x5.shape[0], od);
  });
}

/**
 * 3-D average pooling over NDHWC volumes, counting only in-bounds elements (as tfjs). Every depth tap of a window
 * shares one H x W window, so the 3-D mean is the mean of the 2-D means of the in-bounds depth taps.
 */
export function avgPool3d(x: Tensor, filterSize: Triple, strides: Triple, pad0: 'valid' | 'same' | number, dimRoundingMode?: string, dataFormat = 'NDHWC'): Tensor {
  const op = 'avgPool3d';
  const [k, st] = pool3dArgs(op, filterSize, strides, dimRoundingMode, dataFormat);
  return batched5(op, x, (x5) => {
    const d = x5.shape[1];
    const pads = depthPads(op, pad0, d, st[0], k[0]);
    const { taps, od } = depthTaps(op, x5, k[0], st[0], 1, pads, 0);
    const outs = taps.map((t) => avgPool2d(t, { kernelSize: [k[1], k[2]], stride: [st[1], st[2]], padding: pad0 }));
    const inverseCount = new Float32Array(od);
    for (let o = 0; o < od; o++) {
      const start = o * st[0] - pads[0];
      const valid = Math.min(start + k[0], d) - Math.max(start, 0);
      inverseCount[o] = 1 / Math.max(valid, 1);
    }
    const total = unfold(outs.reduce((s, y) => add(s, y)), x5.shape[0], od);
    return mul(total, tensor(inverseCount, [1, od, 1, 1, 1], { device: x5.device }));
  });
}

/**
 * Transposed 3-D convolution (the gradient of conv3d with respect to its input): x [N, D, H, W, inDepth] (or
 * without N), filter [kd, kh, kw, outDepth, inDepth], outputShape [N, OD, OH, OW, outDepth] (or without N).
 * Depth tap i of the forward convolution read padded output depth od * stride + i; here each tap's 2-D transposed
 * convolution is spread back onto those depths (zeros between them for strides > 1), summed, and the padding cut off.
 */
export function conv3dTranspose(x: Tensor, filter: Tensor, outputShape: number[], strides: Triple, pad0: 'valid' | 'same'): Tensor {
  const op = 'conv3dTranspose';
  if (pad0 !== 'valid' && pad0 !== 'same') throw new ValueError(`${op}: 'pad' must be 'valid' or 'same', got ${JSON.stringify(pad0)}`);
  checkTensor(op, 'filter', filter);
  checkRank(op, 'filter', filter, 5);
  checkDType(op, 'filter', filter, 'float32');
  const st = triple(op, 'strides', strides);
  return batched5(op, x, (x5) => {
    checkSameDevice(op, { x: x5, filter });
    const [n, d, h, w, inDepth] = x5.shape;
    const out = Array.isArray(outputShape) && outputShape.length === 4 ? [n, ...outputShape] : outputShape;
    if (!Array.isArray(out) || out.length !== 5 || !out.every((v) => Number.isInteger(v) && v > 0) || out[0] !== n) {
      throw new ShapeError(`${op}: 'outputShape' must be [N, OD, OH, OW, outDepth] (or [OD, OH, OW, outDepth]) with N = ${n}, got ${JSON.stringify(outputShape)}`);
    }
    const [kd, kh, kw, fo, fi] = filter.shape;
    if (fi !== inDepth || fo !== out[4]) {
      throw new ShapeError(`${op}: 'filter' [${filter.shape}] must be [kd, kh, kw, ${out[4]} (outputShape depth), ${inDepth} (x depth)]`);
    }
    // The forward convolution this transposes must map outputShape back onto x's spatial size.
    const sizes = [d, h, w];
    const kernel = [kd, kh, kw];
    const pads = [0, 1, 2].map((a) => depthPads(op, pad0, out[a + 1], st[a], kernel[a]));
    const fwd = [0, 1, 2].map((a) => Math.floor((out[a + 1] + pads[a][0] + pads[a][1] - kernel[a]) / st[a]) + 1);
    if (fwd.some((v, a) => v !== sizes[a])) {
      throw new ShapeError(`${op}: a ${kernel.join('x')} convolution with strides [${st}] and '${pad0}' padding maps outputShape [${out}] to [${fwd}], but x [${x5.shape}] is [${sizes}]`);
    }
    const [od, oh, ow, oc] = out.slice(1);
    const plane = oh * ow * oc;
    const padded = od + pads[0][0] + pads[0][1];
    const x4 = reshape(x5, [n * d, h, w, inDepth]);
    let total: Tensor | null = null;
    for (let i = 0; i < kd; i++) {
      const z = conv2dTranspose(x4, reshape(gather(filter, [i], 0), [kh, kw, fo, fi]), [n * d, oh, ow, oc], [st[1], st[2]], pad0);
      // Input depth j lands on padded depth j * stride + i: interleave stride - 1 zero planes, then shift by i.
      let spread = reshape(z, [n, d, 1, plane]);
      if (st[0] > 1) spread = pad(spread, [[0, 0], [0, 0], [0, st[0] - 1], [0, 0]]);
      spread = reshape(spread, [n, d * st[0], plane]);
      const len = d * st[0] + i;
      spread = pad(spread, [[0, 0], [i, Math.max(padded - len, 0)], [0, 0]]);
      if (len > padded) spread = slice(spread, [0, 0, 0], [n, padded, plane]);
      total = total ? add(total, spread) : spread;
    }
    return reshape(slice(total!, [0, pads[0][0], 0], [n, od, plane]), [n, od, oh, ow, oc]);
  });
}
