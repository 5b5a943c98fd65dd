// tfjs's tf.fused: matMul, conv2d and depthwiseConv2d followed by an optional bias and activation, with tfjs's object
// arguments. Composed from the plain ops (as tfjs itself does whenever gradients are recorded), so gradients flow to
// every input, bias and PReLU weights included.
import { ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { add, leakyRelu, relu, sigmoid } from './elementwise';
import { elu, prelu, relu6 } from './math';
import { matmul } from './matmul';
import { conv2d as conv2dOptions, pair } from './conv';
import { depthwiseConv2d as depthwise, type PadArg } from './conv_family';
import { reshape } from './reshape';
import { checkRank, checkTensor } from './validate';

export type FusedActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'leakyrelu' | 'prelu' | 'sigmoid';

interface FusedExtras {
  bias?: Tensor;
  activation?: FusedActivation;
  preluActivationWeights?: Tensor;
  leakyreluAlpha?: number;
}

/** Adds the bias (broadcast) and applies the activation, as tfjs's fused ops define them. */
function epilogue(op: string, y: Tensor, extras: FusedExtras): Tensor {
  const { bias, preluActivationWeights } = extras;
  const activation = extras.activation ?? 'linear';
  let out = bias == null ? y : add(y, checkTensor(op, 'bias', bias));
  switch (activation) {
    case 'linear':
      return out;
    case 'relu':
      return relu(out);
    case 'relu6':
      return relu6(out);
    case 'elu':
      return elu(out);
    case 'sigmoid':
      return sigmoid(out);
    case 'leakyrelu':
      return leakyRelu(out, extras.leakyreluAlpha ?? 0.2);
    case 'prelu':
      if (preluActivationWeights == null) throw new ValueError(`${op}: activation 'prelu' needs 'preluActivationWeights'`);
      out = prelu(out, checkTensor(op, 'preluActivationWeights', preluActivationWeights));
      return out;
    default:
      throw new ValueError(`${op}: unknown fused activation ${JSON.stringify(activation)} (expected linear, relu, relu6, elu, leakyrelu, prelu or sigmoid)`);
  }
}

export interface FusedMatMulArgs extends FusedExtras {
  a: Tensor;
  b: Tensor;
  transposeA?: boolean;
  transposeB?: boolean;
}

/** activation(a @ b + bias), tfjs's fused.matMul. */
function matMul(args: FusedMatMulArgs): Tensor {
  const op = 'fused.matMul';
  if (args === null || typeof args !== 'object') throw new ValueError(`${op}: expects one object argument {a, b, ...}`);
  const { a, b, transposeA = false, transposeB = false } = args;
  return epilogue(op, matmul(a, b, { transposeA, transposeB }), args);
}

export interface FusedConv2dArgs extends FusedExtras {
  x: Tensor;
  filter: Tensor;
  strides: number | [number, number];
  pad: PadArg;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The checks tfjs makes on every fused convolution: NHWC only here, no dimRoundingMode, strides or dilations 1. */
function checkConvArgs(op: string, args: FusedConv2dArgs): [number, number] {
  if (args === null || typeof args !== 'object') throw new ValueError(`${op}: expects one object argument {x, filter, strides, pad, ...}`);
  const { dataFormat = 'NHWC', dimRoundingMode } = args;
  if (dataFormat !== 'NHWC') throw new ValueError(`${op}: 'dataFormat' must be 'NHWC' (NCHW is not supported), got ${JSON.stringify(dataFormat)}`);
  if (dimRoundingMode !== undefined) throw new ValueError(`${op}: 'dimRoundingMode' is not supported, got ${JSON.stringify(dimRoundingMode)}`);
  const st = pair(op, 'strides', args.strides, 1);
  const dil = pair(op, 'dilations', args.dilations ?? 1, 1);
  if (!(st[0] === 1 && st[1] === 1) && !(dil[0] === 1 && dil[1] === 1)) {
    throw new ValueError(`${op}: either strides or dilations must be 1, got strides [${st}] and dilations [${dil}]`);
  }
  return dil;
}

/** activation(conv2d(x, filter) + bias) with tfjs's object arguments; x [N, H, W, C] or [H, W, C]. */
function conv2d(args: FusedConv2dArgs): Tensor {
  const op = 'fused.conv2d';
  const dil = checkConvArgs(op, args);
  const x = checkTensor(op, 'x', args.x);
  checkRank(op, 'x', x, 3, 4);
  const x4 = x.rank === 3 ? reshape(x, [1, ...x.shape]) : x;
  const y4 = conv2dOptions(x4, args.filter, { stride: args.strides, padding: args.pad, dilation: dil });
  const y = x.rank === 3 ? reshape(y4, y4.shape.slice(1)) : y4;
  return epilogue(op, y, args);
}

/** activation(depthwiseConv2d(x, filter) + bias) with tfjs's object arguments. */
function depthwiseConv2d(args: FusedConv2dArgs): Tensor {
  const op = 'fused.depthwiseConv2d';
  const dil = checkConvArgs(op, args);
  return epilogue(op, depthwise(args.x, args.filter, args.strides, args.pad, 'NHWC', dil), args);
}

/** tfjs's tf.fused namespace. */
export const fused = { matMul, conv2d, depthwiseConv2d };
