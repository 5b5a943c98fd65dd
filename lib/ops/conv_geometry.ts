// Convolution geometry shared by the conv ops and the layers' cached-filter path: argument pairs, padding rules,
// output sizes, and the validation of a conv2d call. Not re-exported by lib/ops/index.ts (conv.ts re-exports the
// helpers that were public before).
import { ShapeError, ValueError } from '../errors';
import type { Attrs } from '../native';
import type { Tensor } from '../tensor';
import type { Conv2dOptions } from './conv';
import { checkDType, checkRank, checkSameDevice, checkTensor } from './validate';

/** Largest window, stride, dilation or pad the kernels take (native/core/params/conv.h kMaxWindowAttr). */
export const MAX_WINDOW_ATTR = 2 ** 30;

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
export function checkPads(op: string, pads: number[]): number[] {
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


/** Validates a conv2d call (x [N, H, W, C], filter [kh, kw, C, O]); returns the kernel attrs and the output shape. */
export function conv2dSetup(x: Tensor, filter: Tensor, options: Conv2dOptions): { attrs: Attrs; shape: number[] } {
  const op = 'conv2d';
  checkImage(op, 'x', x);
  checkImage(op, 'filter', filter);
  checkSameDevice(op, { x, filter });
  const [kh, kw, inC, outC] = filter.shape;
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
  return { attrs: { strides: stride, pads, dilations: dilation }, shape: [x.shape[0], oh, ow, outC] };
}

/**
 * Validates a conv2dTranspose call on a batch x4 [N, H, W, inDepth] with filter [kh, kw, outDepth, inDepth]; returns
 * the kernel attrs and the output shape [N, OH, OW, outDepth] (outputShape may leave out N).
 */
export function conv2dTransposeSetup(x4: Tensor, filter: Tensor, outputShape: number[], strides: number | [number, number], pad: unknown): { attrs: Attrs; shape: number[] } {
  const op = 'conv2dTranspose';
  checkImage(op, 'x', x4);
  checkImage(op, 'filter', filter);
  checkSameDevice(op, { x: x4, filter });
  const out = outputShape.length === 3 ? [x4.shape[0], ...outputShape] : outputShape;
  if (!Array.isArray(outputShape) || out.length !== 4 || !out.every((d) => Number.isInteger(d) && d > 0) || out[0] !== x4.shape[0]) {
    throw new ShapeError(`${op}: 'outputShape' must be [N, OH, OW, outDepth] (or [OH, OW, outDepth]) with N = ${x4.shape[0]}, got ${JSON.stringify(outputShape)}`);
  }
  const [kh, kw, outDepth, inDepth] = filter.shape;
  if (inDepth !== x4.shape[3] || outDepth !== out[3]) {
    throw new ShapeError(`${op}: 'filter' [${filter.shape}] must be [kh, kw, ${out[3]} (outputShape depth), ${x4.shape[3]} (x depth)]`);
  }
  const stride = pair(op, 'strides', strides, 1);
  const span: [number, number] = [kh, kw];
  const pads = resolvePads(op, pad, [out[1], out[2]], stride, span);
  // The forward convolution this transposes must map outputShape back onto x's spatial size.
  const fwd = (n: number, p0: number, p1: number, k: number, st: number) => Math.floor((n + p0 + p1 - k) / st) + 1;
  const [h, w] = [fwd(out[1], pads[0], pads[1], kh, stride[0]), fwd(out[2], pads[2], pads[3], kw, stride[1])];
  if (h !== x4.shape[1] || w !== x4.shape[2]) {
    throw new ShapeError(`${op}: a ${kh}x${kw} convolution with strides [${stride}] and pads [${pads}] maps outputShape [${out}] to ${h}x${w}, but x [${x4.shape}] is ${x4.shape[1]}x${x4.shape[2]}`);
  }
  return { attrs: { strides: stride, pads, dilations: [1, 1] }, shape: out };
}
