// 2-D convolution and max/average pooling over NHWC images (filters [kh, kw, inC, outC], as tfjs), with their backward rules.
import { ShapeError, ValueError } from '../errors';
import type { Attrs } from '../native';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { transpose } from './layout';
import { reshape } from './reshape';
import { batched } from './batched_image';
import { checkDType, checkRank, checkSameDevice, checkTensor } from './validate';

/**
 * 'valid' (no padding), 'same' (TensorFlow's rule: output size ceil(size / stride), the odd pixel padded at the
 * bottom/right), a number for every side, or [ph, pw] for top and bottom / left and right.
 */
export type Padding = 'valid' | 'same' | number | [number, number] | ExplicitPadding;
/** tfjs's explicit padding: [[0, 0], [top, bottom], [left, right], [0, 0]] (NHWC). */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];
export type Pair = number | [number, number];

export interface Conv2dOptions {
  /** Step between windows, [sh, sw] or one number for both (default 1). */
  stride?: Pair;
  padding?: Padding;
  /** Spacing between filter taps, [dh, dw] or one number (default 1). */
  dilation?: Pair;
}

export interface Pool2dOptions {
  /** Window size, [kh, kw] or one number for both. */
  kernelSize: Pair;
  /** Defaults to kernelSize (non-overlapping windows). */
  stride?: Pair;
  /** Default 'valid'. Explicit pads must be smaller than the window, so that no window is all padding. */
  padding?: Padding;
}

/** Largest window, stride, dilation or pad the kernels take (native/core/params/conv.h kMaxWindowAttr). */
const MAX_WINDOW_ATTR = 2 ** 30;

/** A positive (or, with min 0, non-negative) integer pair from a number or a 2-list, each at most 2^30. */
export function pair(op: string, arg: string, v: unknown, min: number): [number, number] {
  const list = typeof v === 'number' ? [v, v] : v;
  const ok = (d: unknown) => typeof d === 'number' && Number.isInteger(d) && d >= min && d <= MAX_WINDOW_ATTR;
  if (!Array.isArray(list) || list.length !== 2 || !list.every(ok)) {
    throw new ValueError(`${op}: '${arg}' must be an integer >= ${min} (at most 2^30) or a list of two, got ${JSON.stringify(v)}`);
  }
  return [list[0], list[1]];
}

/** The TF 'same' split of one axis: total = max((ceil(n/s) - 1) * s + span - n, 0), the extra pixel after. */
function samePads(size: number, stride: number, span: number): [number, number] {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + span - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** [top, bottom, left, right] for an input of [H, W] and a window whose dilated extent is [spanH, spanW]. */
export function resolvePads(op: string, padding: unknown, hw: [number, number], stride: [number, number], span: [number, number]): number[] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') return [...samePads(hw[0], stride[0], span[0]), ...samePads(hw[1], stride[1], span[1])];
  if (typeof padding === 'string') throw new ValueError(`${op}: 'padding' must be 'valid', 'same', a number or [ph, pw], got '${padding}'`);
  if (Array.isArray(padding) && padding.length === 4) return explicitPads(op, padding);
  const [ph, pw] = pair(op, 'padding', padding, 0);
  return [ph, ph, pw, pw];
}

/** 'same' pads grow with the window's extent: past 2^30 the kernels would reject them, so the call does. */
function checkPads(op: string, pads: number[]): number[] {
  if (pads.some((p) => p > MAX_WINDOW_ATTR)) throw new ValueError(`${op}: padding [${pads}] exceeds 2^30 on some side`);
  return pads;
}

/** [top, bottom, left, right] from tfjs's explicit [[0, 0], [t, b], [l, r], [0, 0]]. */
function explicitPads(op: string, padding: unknown[]): number[] {
  const ok = (p: unknown, zero: boolean) =>
    Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0 && (!zero || v === 0));
  if (!padding.every((p, i) => ok(p, i === 0 || i === 3))) {
    throw new ValueError(`${op}: explicit 'padding' must be [[0, 0], [top, bottom], [left, right], [0, 0]] of non-negative integers, got ${JSON.stringify(padding)}`);
  }
  const [, [t, b], [l, r]] = padding as number[][];
  return [t, b, l, r];
}

/** OH = floor((H + top + bottom - span) / s) + 1 (native/KERNELS.md), checked to be at least 1. */
export function outputSize(op: string, x: Tensor, pads: number[], stride: [number, number], span: [number, number], what: string): [number, number] {
  const size = (axis: 0 | 1) => {
    const padded = x.shape[1 + axis] + pads[2 * axis] + pads[2 * axis + 1];
    return padded < span[axis] ? 0 : Math.floor((padded - span[axis]) / stride[axis]) + 1;
  };
  const [oh, ow] = [size(0), size(1)];
  if (oh < 1 || ow < 1) {
    throw new ShapeError(
      `${op}: the ${what} (extent ${span[0]}x${span[1]}) is larger than the padded input ` +
        `${x.shape[1] + pads[0] + pads[1]}x${x.shape[2] + pads[2] + pads[3]} (x shape [${x.shape}], pads [${pads}])`,
    );
  }
  return [oh, ow];
}

export function checkImage(op: string, arg: string, x: unknown): Tensor {
  const t = checkTensor(op, arg, x);
  checkDType(op, arg, t, 'float32');
  checkRank(op, arg, t, 4);
  return t;
}

/**
 * 2-D convolution (cross-correlation, as in every DL framework). x: [N, H, W, C] images (or one [H, W, C] image),
 * filter: [kh, kw, C, O] (tfjs/Keras layout); returns [N, OH, OW, O]. Gradients flow to x and filter. Takes tfjs's
 * positional arguments (x, filter, strides, pad, dataFormat = 'NHWC', dilations = 1, dimRoundingMode), or
 * tensornode's options object {stride, padding, dilation}.
 */
export function conv2d(x: Tensor, filter: Tensor, options?: Conv2dOptions): Tensor;
export function conv2d(x: Tensor, filter: Tensor, strides: Pair, pad: Padding, dataFormat?: 'NHWC' | 'NCHW', dilations?: Pair, dimRoundingMode?: string): Tensor;
export function conv2d(x: Tensor, filter: Tensor, stridesOrOptions: Conv2dOptions | Pair = {}, pad?: Padding, dataFormat: string = 'NHWC', dilations: Pair = 1, dimRoundingMode?: string): Tensor {
  if (typeof stridesOrOptions === 'object' && !Array.isArray(stridesOrOptions)) return conv2dWithOptions(x, filter, stridesOrOptions ?? {});
  const op = 'conv2d';
  if (pad === undefined) throw new ValueError(`${op}: 'pad' is required with positional strides (tfjs: conv2d(x, filter, strides, pad, ...))`);
  if (dataFormat !== 'NHWC') throw new ValueError(`${op}: 'dataFormat' must be 'NHWC', got ${JSON.stringify(dataFormat)}`);
  if (dimRoundingMode !== undefined) throw new ValueError(`${op}: 'dimRoundingMode' is not supported, got ${JSON.stringify(dimRoundingMode)}`);
  const options: Conv2dOptions = { stride: stridesOrOptions, padding: pad, dilation: dilations };
  return batched(op, x, (x4) => conv2dWithOptions(x4, filter, options));
}

function conv2dWithOptions(x: Tensor, filter: Tensor, options: Conv2dOptions): Tensor {
  const op = 'conv2d';
  checkImage(op, 'x', x);
  checkImage(op, 'filter', filter);
  checkSameDevice(op, { x, filter });
  const [kh, kw, inC] = filter.shape;
  if (inC !== x.shape[3]) {
    throw new ShapeError(`${op}: 'filter' [${filter.shape}] expects ${inC} input channels (dim 2), but 'x' [${x.shape}] has ${x.shape[3]}`);
  }
  if (kh < 1 || kw < 1 || kh > MAX_WINDOW_ATTR || kw > MAX_WINDOW_ATTR) {
    throw new ShapeError(`${op}: 'filter' must have a kernel of at least 1x1 and at most 2^30, got shape [${filter.shape}]`);
  }
  const stride = pair(op, 'stride', options.stride ?? 1, 1);
  const dilation = pair(op, 'dilation', options.dilation ?? 1, 1);
  const span: [number, number] = [(kh - 1) * dilation[0] + 1, (kw - 1) * dilation[1] + 1];
  const pads = checkPads(op, resolvePads(op, options.padding ?? 'valid', [x.shape[1], x.shape[2]], stride, span));
  const [oh, ow] = outputSize(op, x, pads, stride, span, `${kh}x${kw} kernel`);
  const attrs: Attrs = { strides: stride, pads, dilations: dilation };
  // The native kernels take [O, kh, kw, C] filters (native/KERNELS.md): reorder here; the filter's gradient flows
  // back through the transpose. Without a graph the reordered copy is released as soon as the kernel is queued; with
  // one through x only, x's backward rule still reads it, so the graph owns it (released with the node).
  const w = transpose(filter, [3, 0, 1, 2]);
  let y: Tensor;
  try {
    y = conv2dNative(x, w, [x.shape[0], oh, ow, w.shape[0]], attrs);
  } catch (e) {
    if (!w.requiresGrad) w.dispose();
    throw e;
  }
  if (!w.requiresGrad) {
    if (y.requiresGrad) w.graphOwned = true;
    else w.dispose();
  }
  return y;
}

/** The native conv2d on an [O, kh, kw, C] filter, with its backward rules. */
export function conv2dNative(x: Tensor, w: Tensor, shape: number[], attrs: Attrs): Tensor {
  const y = runKernel('conv2d', [x, w], [{ shape, dtype: 'float32' }], attrs)[0];
  // dx = col2im(dy W) (conv2d_backward_input); dW = sum over positions of dy^T im2col(x) (conv2d_backward_filter)
  return recordOp('conv2d', [x, w], y, (dy) => [
    x.requiresGrad ? runKernel('conv2d_backward_input', [dy, w], [{ shape: x.shape, dtype: 'float32' }], attrs)[0] : null,
    w.requiresGrad ? runKernel('conv2d_backward_filter', [x, dy], [{ shape: w.shape, dtype: 'float32' }], attrs)[0] : null,
  ]);
}

/** Validates a pool call; returns the kernel attrs and the output shape. */
function poolSetup(op: string, x: Tensor, options: Pool2dOptions): { attrs: Attrs; shape: number[] } {
  checkImage(op, 'x', x);
  if (options === null || typeof options !== 'object') throw new ValueError(`${op}: options with 'kernelSize' are required`);
  const kernel = pair(op, 'kernelSize', options.kernelSize, 1);
  const stride = pair(op, 'stride', options.stride ?? kernel, 1);
  const pads = checkPads(op, resolvePads(op, options.padding ?? 'valid', [x.shape[1], x.shape[2]], stride, kernel));
  if (pads[0] >= kernel[0] || pads[1] >= kernel[0] || pads[2] >= kernel[1] || pads[3] >= kernel[1]) {
    throw new ValueError(`${op}: padding [${pads}] must be smaller than the ${kernel[0]}x${kernel[1]} window on every side`);
  }
  const [oh, ow] = outputSize(op, x, pads, stride, kernel, `${kernel[0]}x${kernel[1]} window`);
  return { attrs: { kernel, strides: stride, pads }, shape: [x.shape[0], oh, ow, x.shape[3]] };
}

/** Max over each window of an NHWC batch; padding never wins. The gradient goes to the first maximum of each window. */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  const { attrs, shape } = poolSetup('maxPool2d', x, options);
  const y = runKernel('max_pool2d', [x], [{ shape, dtype: 'float32' }], attrs)[0];
  return recordOp('maxPool2d', [x], y, (dy) => runKernel('max_pool2d_backward', [x, y, dy], [{ shape: x.shape, dtype: 'float32' }], attrs));
}

/** Mean over each window of an NHWC batch, counting only in-bounds elements (padding excluded, as Keras/TF). */
export function avgPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  const { attrs, shape } = poolSetup('avgPool2d', x, options);
  const y = runKernel('avg_pool2d', [x], [{ shape, dtype: 'float32' }], attrs)[0];
  return recordOp('avgPool2d', [x], y, (dy) => runKernel('avg_pool2d_backward', [dy], [{ shape: x.shape, dtype: 'float32' }], attrs));
}
