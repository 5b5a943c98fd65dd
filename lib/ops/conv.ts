// 2-D convolution and max/average pooling over NHWC images (filters [kh, kw, inC, outC], as tfjs), with their backward rules.
import { ValueError } from '../errors';
import type { Attrs } from '../native';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { transpose } from './layout';
import { reshape } from './reshape';
import { batched } from './batched_image';
import { biasActivationCode, type BiasEpilogue } from './bias_act';
import { checkImage, checkPads, conv2dSetup, outputSize, pair, resolvePads } from './conv_geometry';

// Public before the geometry moved to its own file: still exported from here (and so from lib/ops).
export { checkImage, outputSize, pair, resolvePads } from './conv_geometry';

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
  const { attrs, shape } = conv2dSetup(x, filter, options);
  // The native kernels take [O, kh, kw, C] filters (native/KERNELS.md): reorder here; the filter's gradient flows
  // back through the transpose. Without a graph the reordered copy is released as soon as the kernel is queued; with
  // one through x only, x's backward rule still reads it, so the graph owns it (released with the node).
  // (Layers reuse one reordered copy across calls instead: see conv_cached.ts.)
  const w = transpose(filter, [3, 0, 1, 2]);
  let y: Tensor;
  try {
    y = conv2dNative(x, w, shape, attrs);
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

/**
 * The native conv2d on an [O, kh, kw, C] filter, with its backward rules. With `epilogue`, a layer's bias and
 * activation run inside the kernel (y = act(conv + bias)) and the backward first takes their gradients in one pass
 * (bias_act_backward), then the convolution's from that.
 */
export function conv2dNative(x: Tensor, w: Tensor, shape: number[], attrs: Attrs, epilogue?: BiasEpilogue): Tensor {
  const act = epilogue && { activation: biasActivationCode(epilogue.activation) };
  const inputs = epilogue ? [x, w, epilogue.bias] : [x, w];
  const y = runKernel('conv2d', inputs, [{ shape, dtype: 'float32' }], act ? { ...attrs, ...act } : attrs)[0];
  return recordOp('conv2d', inputs, y, (dy) => {
    let dz = dy;
    let dbias: Tensor | null = null;
    if (epilogue) {
      const bias = epilogue.bias;
      [dz, dbias] = runKernel('bias_act_backward', [y, dy], [{ shape: y.shape, dtype: 'float32' }, { shape: bias.shape, dtype: 'float32' }], act);
      if (!bias.requiresGrad) dbias = (dbias.dispose(), null);
    }
    // dx = col2im(dz W) (conv2d_backward_input); dW = sum over positions of dz^T im2col(x) (conv2d_backward_filter)
    const dx = x.requiresGrad ? runKernel('conv2d_backward_input', [dz, w], [{ shape: x.shape, dtype: 'float32' }], attrs)[0] : null;
    const dw = w.requiresGrad ? runKernel('conv2d_backward_filter', [x, dz], [{ shape: w.shape, dtype: 'float32' }], attrs)[0] : null;
    if (!epilogue) return [dx, dw];
    dz.dispose();
    return [dx, dw, dbias];
  });
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
