// Every op as a chainable Tensor method (x.add(y).relu().sum()), declared from one table so methods and ops cannot drift.
import type { DType } from './dtype';
import { InternalError } from './errors';
import { TensorBuffer } from './buffer';
import { opScope } from './memory';
import * as ops from './ops';
import { Tensor } from './tensor';
import { variable, type Variable } from './variable';

/**
 * Method name -> function of (this tensor, ...the method's arguments). Most entries are the op itself, so the method
 * takes the op's arguments after the first, in tfjs's order; adding a method is one line here.
 */
export const TENSOR_METHODS = {
  // elementwise
  add: ops.add,
  sub: ops.sub,
  mul: ops.mul,
  div: ops.div,
  pow: ops.pow,
  maximum: ops.maximum,
  minimum: ops.minimum,
  equal: ops.equal,
  greater: ops.greater,
  greaterEqual: ops.greaterEqual,
  less: ops.less,
  lessEqual: ops.lessEqual,
  neg: ops.neg,
  exp: ops.exp,
  log: ops.log,
  sqrt: ops.sqrt,
  square: ops.square,
  abs: ops.abs,
  sign: ops.sign,
  relu: ops.relu,
  leakyRelu: ops.leakyRelu,
  sigmoid: ops.sigmoid,
  tanh: ops.tanh,
  gelu: ops.gelu,
  clip: ops.clip,
  clipByValue: ops.clip,
  scale: ops.scale,
  mod: ops.mod,
  floorDiv: ops.floorDiv,
  atan2: ops.atan2,
  squaredDifference: ops.squaredDifference,
  notEqual: ops.notEqual,
  logicalAnd: ops.logicalAnd,
  logicalOr: ops.logicalOr,
  logicalXor: ops.logicalXor,
  logicalNot: ops.logicalNot,
  /** tfjs's a.where(condition, b): a where condition is true, b elsewhere. */
  where: (x: Tensor, condition: Tensor, b: Tensor): Tensor => ops.where(condition, x, b),
  isNaN: ops.isNaN,
  isFinite: ops.isFinite,
  isInf: ops.isInf,
  floor: ops.floor,
  ceil: ops.ceil,
  round: ops.round,
  rsqrt: ops.rsqrt,
  reciprocal: ops.reciprocal,
  softplus: ops.softplus,
  elu: ops.elu,
  selu: ops.selu,
  relu6: ops.relu6,
  prelu: ops.prelu,
  log1p: ops.log1p,
  expm1: ops.expm1,
  sin: ops.sin,
  cos: ops.cos,
  tan: ops.tan,
  asin: ops.asin,
  acos: ops.acos,
  atan: ops.atan,
  sinh: ops.sinh,
  cosh: ops.cosh,
  asinh: ops.asinh,
  acosh: ops.acosh,
  atanh: ops.atanh,
  erf: ops.erf,
  zerosLike: ops.zerosLike,
  onesLike: ops.onesLike,
  oneHot: ops.oneHot,
  // reductions and softmax
  prod: ops.prod,
  all: ops.all,
  any: ops.any,
  logSumExp: ops.logSumExp,
  norm: ops.norm,
  argMax: ops.argMax,
  argMin: ops.argMin,
  cumsum: ops.cumsum,
  topk: ops.topk,
  sum: ops.sum,
  mean: ops.mean,
  max: ops.max,
  min: ops.min,
  argmax: ops.argmax,
  softmax: ops.softmax,
  logSoftmax: ops.logSoftmax,
  // layout
  transpose: ops.transpose,
  slice: ops.slice,
  pad: ops.pad,
  concat: (x: Tensor, others: Tensor | Tensor[], axis?: number): Tensor => ops.concat([x, ...(Array.isArray(others) ? others : [others])], axis),
  /** tfjs's x.stack(y, axis): this tensor and the others stacked along a new axis. */
  stack: (x: Tensor, others: Tensor | Tensor[], axis?: number): Tensor => ops.stack([x, ...(Array.isArray(others) ? others : [others])], axis),
  unstack: ops.unstack,
  split: ops.split,
  squeeze: ops.squeeze,
  expandDims: ops.expandDims,
  tile: ops.tile,
  reverse: ops.reverse,
  mirrorPad: ops.mirrorPad,
  gather: ops.gather,
  stridedSlice: ops.stridedSlice,
  broadcastTo: ops.broadcastTo,
  /** tfjs's x.reshapeAs(y): x's values in y's shape. */
  reshapeAs: (x: Tensor, like: Tensor): Tensor => ops.reshape(x, like.shape),
  depthToSpace: ops.depthToSpace,
  spaceToBatchND: ops.spaceToBatchND,
  batchToSpaceND: ops.batchToSpaceND,
  unique: ops.unique,
  unsortedSegmentSum: ops.unsortedSegmentSum,
  /** tfjs's x.flatten(): all values in one dimension. */
  flatten: (x: Tensor): Tensor => ops.reshape(x, [-1]),
  cast: ops.cast,
  clone: ops.clone,
  matmul: ops.matmul,
  matMul: ops.matMul,
  conv2d: ops.conv2d,
  conv1d: ops.conv1d,
  conv2dTranspose: ops.conv2dTranspose,
  depthwiseConv2d: ops.depthwiseConv2d,
  separableConv2d: ops.separableConv2d,
  maxPool: ops.maxPool,
  avgPool: ops.avgPool,
  batchNorm: ops.batchNorm,
  localResponseNormalization: ops.localResponseNormalization,
  resizeBilinear: ops.image.resizeBilinear,
  resizeNearestNeighbor: ops.image.resizeNearestNeighbor,
  maxPool2d: ops.maxPool2d,
  avgPool2d: ops.avgPool2d,
  dropout: ops.dropout,
  step: ops.step,
  logSigmoid: ops.logSigmoid,
  divNoNan: ops.divNoNan,
  euclideanNorm: ops.euclideanNorm,
  cumprod: ops.cumprod,
  dot: ops.dot,
  pool: ops.pool,
  dilation2d: ops.dilation2d,
  // dtype conversions (tfjs)
  asType: (x: Tensor, dtype: DType): Tensor => ops.cast(x, dtype),
  toFloat: (x: Tensor): Tensor => ops.cast(x, 'float32'),
  toInt: (x: Tensor): Tensor => ops.cast(x, 'int32'),
  /** A bool tensor, true where x != 0 (NaN is true), as tfjs. */
  toBool: (x: Tensor): Tensor => ops.cast(x, 'bool'),
  // spectral (tfjs)
  fft: ops.fft,
  ifft: ops.ifft,
  rfft: ops.rfft,
  irfft: ops.irfft,
  // shape helpers (tfjs)
  asScalar: (x: Tensor): Tensor => ops.reshape(x, []),
  as1D: (x: Tensor): Tensor => ops.reshape(x, [-1]),
  as2D: (x: Tensor, rows: number, columns: number): Tensor => ops.reshape(x, [rows, columns]),
  as3D: (x: Tensor, rows: number, columns: number, depth: number): Tensor => ops.reshape(x, [rows, columns, depth]),
  as4D: (x: Tensor, rows: number, columns: number, depth: number, depth2: number): Tensor => ops.reshape(x, [rows, columns, depth, depth2]),
  as5D: (x: Tensor, rows: number, columns: number, depth: number, depth2: number, depth3: number): Tensor =>
    ops.reshape(x, [rows, columns, depth, depth2, depth3]),
  // host access (tfjs)
  bufferSync: (x: Tensor): TensorBuffer => new TensorBuffer(x.shape, x.dtype, x.dataSync()),
  buffer: async (x: Tensor): Promise<TensorBuffer> => new TensorBuffer(x.shape, x.dtype, await x.data()),
  /** A new Variable initialised with this tensor's values (tfjs's x.variable(trainable, name, dtype)). */
  variable: (x: Tensor, trainable?: boolean, name?: string, dtype?: DType): Variable => variable(x, trainable, name, dtype),
  /** Throws DisposedError when the tensor was disposed (tfjs's throwIfDisposed). */
  throwIfDisposed: (x: Tensor): void => void x.storage('throwIfDisposed'),
  /** The values as raw bytes (tfjs's bytes(); for numeric tensors, their little-endian buffer). */
  bytes: async (x: Tensor): Promise<Uint8Array> => {
    const d = await x.data();
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  },
};

type Rest<F> = F extends (x: Tensor, ...rest: infer R) => infer Y ? (...rest: R) => Y : never;
/** The method signatures TENSOR_METHODS gives every Tensor. */
export type TensorMethods = { [K in keyof typeof TENSOR_METHODS]: Rest<(typeof TENSOR_METHODS)[K]> };

declare module './tensor' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface Tensor extends TensorMethods {}
}

let installed = false;
/** Puts every TENSOR_METHODS entry on Tensor.prototype (once, at package load). */
export function installTensorMethods(): void {
  if (installed) return;
  installed = true;
  for (const [name, fn] of Object.entries(TENSOR_METHODS) as [string, (x: Tensor, ...rest: unknown[]) => unknown][]) {
    if (Object.prototype.hasOwnProperty.call(Tensor.prototype, name)) throw new InternalError(`installTensorMethods: Tensor already has a member '${name}'`);
    Object.defineProperty(Tensor.prototype, name, {
      value: function (this: Tensor, ...args: unknown[]) {
        return opScope(() => fn(this, ...args)); // as the ops: intermediates released when the method returns
      },
      writable: true,
      configurable: true,
    });
  }
}
