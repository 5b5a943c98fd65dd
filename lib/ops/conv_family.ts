// tfjs's convolution and pooling ops with tfjs's argument order and [kh, kw, inC, outC] filters: conv1d,
// conv2dTranspose, depthwiseConv2d, separableConv2d, maxPool, avgPool (NHWC; rank-3 inputs are one unbatched image).
import { ShapeError, ValueError } from '../errors';
import type { Attrs } from '../native';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { tensor } from './creation';
import { batched } from './batched_image';
import { avgPool2d, checkImage, conv2d, conv2dNative, maxPool2d, outputSize, pair, resolvePads, type Padding } from './conv';
import { conv2dTransposeNative } from './conv_cached';
import { conv2dTransposeSetup } from './conv_geometry';
import { mul } from './elementwise';
import { transpose } from './layout';
import { reshape } from './reshape';
import { checkRank, checkSameDevice, checkTensor } from './validate';

export type PadArg = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

/** tfjs accepts only NHWC/NWC here (as its CPU backend); dimRoundingMode is not supported. */
function checkFormat(op: string, dataFormat: string, expected: string, dimRoundingMode: unknown): void {
  if (dataFormat !== expected) throw new ValueError(`${op}: 'dataFormat' must be '${expected}', got ${JSON.stringify(dataFormat)}`);
  if (dimRoundingMode !== undefined) throw new ValueError(`${op}: 'dimRoundingMode' is not supported, got ${JSON.stringify(dimRoundingMode)}`);
}

/** 1-D convolution: x [N, W, inC] (or [W, inC]), filter [k, inC, outC] -> [N, OW, outC]. */
export function conv1d(x: Tensor, filter: Tensor, stride: number, pad: 'valid' | 'same' | number, dataFormat = 'NWC', dilation = 1, dimRoundingMode?: string): Tensor {
  const op = 'conv1d';
  checkFormat(op, dataFormat, 'NWC', dimRoundingMode);
  checkTensor(op, 'x', x);
  checkTensor(op, 'filter', filter);
  checkRank(op, 'x', x, 2, 3);
  checkRank(op, 'filter', filter, 3);
  const x3 = x.rank === 2 ? reshape(x, [1, ...x.shape]) : x;
  if (filter.shape[1] !== x3.shape[2]) {
    throw new ShapeError(`${op}: 'filter' [${filter.shape}] ([k, inC, outC]) expects ${filter.shape[1]} input channels, but 'x' [${x.shape}] has ${x3.shape[2]}`);
  }
  const padding: Padding = typeof pad === 'number' ? [0, pad] : pad;
  const y = conv2d(reshape(x3, [x3.shape[0], 1, x3.shape[1], x3.shape[2]]), reshape(filter, [1, ...filter.shape]), {
    stride: [1, stride],
    padding,
    dilation: [1, dilation],
  });
  const out = reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
  return x.rank === 2 ? reshape(out, out.shape.slice(1)) : out;
}

/**
 * Transposed convolution (the gradient of conv2d with respect to its input): x [N, H, W, inDepth], filter
 * [kh, kw, outDepth, inDepth], outputShape [N, OH, OW, outDepth] (or without N), tfjs's argument order.
 */
export function conv2dTranspose(x: Tensor, filter: Tensor, outputShape: number[], strides: number | [number, number], pad: PadArg, dimRoundingMode?: string): Tensor {
  const op = 'conv2dTranspose';
  checkFormat(op, 'NHWC', 'NHWC', dimRoundingMode);
  return batched(op, x, (x4) => {
    const { attrs, shape } = conv2dTransposeSetup(x4, filter, outputShape, strides, pad);
    // [kh, kw, outDepth, inDepth] -> [inDepth, kh, kw, outDepth]: the native [O, kh, kw, C] of the forward convolution
    // this transposes; the filter's gradient flows back through the transpose. (Layers reuse one reordered copy: see
    // conv_cached.ts.)
    return conv2dTransposeNative(x4, transpose(filter, [3, 0, 1, 2]), shape, attrs);
  });
}

/** Depthwise geometry shared by depthwiseConv2d and separableConv2d. */
function depthwise(op: string, x4: Tensor, filter: Tensor, strides: number | [number, number], pad: PadArg, dilations: number | [number, number]): Tensor {
  checkImage(op, 'x', x4);
  checkImage(op, 'filter', filter);
  checkSameDevice(op, { x: x4, filter });
  const [kh, kw, c, m] = filter.shape;
  if (c !== x4.shape[3]) throw new ShapeError(`${op}: 'filter' [${filter.shape}] expects ${c} input channels (dim 2), but 'x' [${x4.shape}] has ${x4.shape[3]}`);
  const stride = pair(op, 'strides', strides, 1);
  const dilation = pair(op, 'dilations', dilations, 1);
  const span: [number, number] = [(kh - 1) * dilation[0] + 1, (kw - 1) * dilation[1] + 1];
  const pads = resolvePads(op, pad, [x4.shape[1], x4.shape[2]], stride, span);
  const [oh, ow] = outputSize(op, x4, pads, stride, span, `${kh}x${kw} kernel`);
  // One dense convolution with a block-diagonal filter: output channel c*m + j sees only input channel c (the mask).
  // Exact, and it reuses the tuned conv2d kernels, at c times the arithmetic of a dedicated depthwise kernel.
  const mask = new Float32Array(c * m * c);
  for (let k = 0; k < c; k++) for (let j = 0; j < m; j++) mask[(k * m + j) * c + k] = 1;
  const blocks = reshape(transpose(filter, [2, 3, 0, 1]), [c * m, kh, kw, 1]);
  const w = mul(blocks, tensor(mask, [c * m, 1, 1, c], { device: x4.device }));
  return conv2dNative(x4, w, [x4.shape[0], oh, ow, c * m], { strides: stride, pads, dilations: dilation });
}

/** Depthwise 2-D convolution: x [N, H, W, C], filter [kh, kw, C, multiplier] -> [N, OH, OW, C * multiplier]. */
export function depthwiseConv2d(x: Tensor, filter: Tensor, strides: number | [number, number], pad: PadArg, dataFormat = 'NHWC', dilations: number | [number, number] = [1, 1], dimRoundingMode?: string): Tensor {
  const op = 'depthwiseConv2d';
  checkFormat(op, dataFormat, 'NHWC', dimRoundingMode);
  return batched(op, x, (x4) => depthwise(op, x4, filter, strides, pad, dilations));
}

/** Depthwise convolution followed by a 1x1 pointwise one: pointwiseFilter [1, 1, C * multiplier, outC]. */
export function separableConv2d(x: Tensor, depthwiseFilter: Tensor, pointwiseFilter: Tensor, strides: number | [number, number], pad: 'valid' | 'same', dilation: number | [number, number] = [1, 1], dataFormat = 'NHWC'): Tensor {
  const op = 'separableConv2d';
  checkFormat(op, dataFormat, 'NHWC', undefined);
  checkImage(op, 'pointwiseFilter', pointwiseFilter);
  return batched(op, x, (x4) => {
    const d = depthwise(op, x4, depthwiseFilter, strides, pad, dilation);
    if (pointwiseFilter.shape[0] !== 1 || pointwiseFilter.shape[1] !== 1 || pointwiseFilter.shape[2] !== d.shape[3]) {
      throw new ShapeError(`${op}: 'pointwiseFilter' [${pointwiseFilter.shape}] must be [1, 1, ${d.shape[3]}, outC]`);
    }
    return conv2d(d, pointwiseFilter, { stride: 1, padding: 'valid' });
  });
}

function pool(op: string, f: typeof maxPool2d, x: Tensor, filterSize: number | [number, number], strides: number | [number, number], pad: PadArg, dimRoundingMode?: string): Tensor {
  checkFormat(op, 'NHWC', 'NHWC', dimRoundingMode);
  return batched(op, x, (x4) => f(x4, { kernelSize: filterSize, stride: strides, padding: pad as Padding }));
}

/** Max pooling (tfjs argument order): windows filterSize, steps strides; padding never wins. */
export const maxPool = (x: Tensor, filterSize: number | [number, number], strides: number | [number, number], pad: PadArg, dimRoundingMode?: string): Tensor =>
  pool('maxPool', maxPool2d, x, filterSize, strides, pad, dimRoundingMode);
/** Average pooling (tfjs argument order); padded positions are not counted, as in tfjs. */
export const avgPool = (x: Tensor, filterSize: number | [number, number], strides: number | [number, number], pad: PadArg, dimRoundingMode?: string): Tensor =>
  pool('avgPool', avgPool2d, x, filterSize, strides, pad, dimRoundingMode);
