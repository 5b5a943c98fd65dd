// Convolution and pooling layers on NHWC images: conv2d, maxPooling2d, averagePooling2d, globalAveragePooling2d.
import { ValueError } from '../../errors';
import { avgPool2d, maxPool2d, mean } from '../../ops';
import { conv2dCached, ReorderedFilter } from '../../ops/conv_cached';
import type { Tensor } from '../../tensor';
import { KernelBiasLayer, KernelBiasOptions, type KernelBiasArgs } from './kernel_layer';
import { checkPositiveInt, Layer, pairOf, type CallArgs, type LayerArgs, type Shape } from './layer';

/** 'valid' | 'same' as Keras; conv2d also takes explicit zero padding: a number, or [ph, pw] (top/bottom, left/right). */
export type PaddingMode = 'valid' | 'same';
export type ConvPadding = PaddingMode | number | [number, number];

export function checkPadding(layer: string, p: unknown): PaddingMode {
  if (p !== 'valid' && p !== 'same') throw new ValueError(`${layer}: 'padding' must be 'valid' or 'same', got ${JSON.stringify(p)}`);
  return p;
}

function checkConvPadding(layer: string, p: unknown): ConvPadding {
  if (p === 'valid' || p === 'same') return p;
  const pair = typeof p === 'number' ? [p, p] : p;
  if (Array.isArray(pair) && pair.length === 2 && pair.every((d) => Number.isInteger(d) && d >= 0)) {
    return typeof p === 'number' ? p : [pair[0], pair[1]];
  }
  throw new ValueError(`${layer}: 'padding' must be 'valid', 'same', a number or [ph, pw], got ${JSON.stringify(p)}`);
}

export function checkDataFormat(layer: string, f: unknown): void {
  if (f !== undefined && f !== 'channelsLast') {
    throw new ValueError(`${layer}: only dataFormat 'channelsLast' (NHWC) is supported, got ${JSON.stringify(f)}`);
  }
}

/** Output length of one spatial dim (TensorFlow's 'valid'/'same' rules). */
export function convLength(size: number | null, k: number, stride: number, dilation: number, padding: PaddingMode | number): number | null {
  if (size === null) return null;
  const eff = (k - 1) * dilation + 1;
  if (padding === 'same') return Math.ceil(size / stride);
  const pad = padding === 'valid' ? 0 : 2 * padding;
  return Math.floor((size + pad - eff) / stride) + 1;
}

function checkImageInput(layer: string, x: Tensor | Shape): void {
  const shape = Array.isArray(x) ? x : (x as Tensor).shape;
  if (shape.length !== 4) throw new ValueError(`${layer}: expected NHWC images of rank 4, got shape [${shape}]`);
}

export interface Conv2DLayerArgs extends LayerArgs, KernelBiasArgs {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: ConvPadding;
  dilationRate?: number | [number, number];
  dataFormat?: 'channelsLast';
}

/** 2-D convolution; kernel [kh, kw, inChannels, filters] (the conv2d op's layout, as Keras and tfjs). */
export class Conv2D extends KernelBiasLayer {
  override readonly className = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: ConvPadding;
  readonly dilationRate: [number, number];
  protected readonly kb: KernelBiasOptions;
  /** The kernel in the native conv layout, reused across inference calls until the kernel changes. */
  private readonly filterCache = new ReorderedFilter();

  constructor(args: Conv2DLayerArgs) {
    super(args, 'Conv2D');
    this.filters = checkPositiveInt('conv2d', 'filters', args.filters);
    this.kernelSize = pairOf('conv2d', 'kernelSize', args.kernelSize);
    this.strides = pairOf('conv2d', 'strides', args.strides ?? 1);
    this.dilationRate = pairOf('conv2d', 'dilationRate', args.dilationRate ?? 1);
    this.padding = checkConvPadding('conv2d', args.padding ?? 'valid');
    checkDataFormat('conv2d', args.dataFormat);
    this.kb = new KernelBiasOptions('conv2d', args);
  }

  override build(inputShape: Shape): void {
    checkImageInput(`conv2d '${this.name}'`, inputShape);
    const inC = inputShape[3];
    if (typeof inC !== 'number') throw new ValueError(`conv2d '${this.name}': the channel dimension must be known, got [${inputShape}]`);
    const [kh, kw] = this.kernelSize;
    this.addKernelAndBias([kh, kw, inC, this.filters], this.filters, { fanIn: kh * kw * inC, fanOut: kh * kw * this.filters });
    super.build(inputShape);
  }

  protected call(x: Tensor, args: CallArgs): Tensor {
    checkImageInput(`conv2d '${this.name}'`, x);
    const opts = { stride: this.strides, padding: this.padding, dilation: this.dilationRate };
    // Bias and activation inside the convolution's kernel when it can apply them (one pass fewer over the output).
    const epilogue = this.fusedEpilogue();
    const y = conv2dCached(x, this.kernel!.value, opts, this.filterCache, epilogue);
    return epilogue ? y : this.biasAndActivation(y, args);
  }

  override dispose(): void {
    this.filterCache.dispose();
    super.dispose();
  }

  override computeOutputShape(s: Shape): Shape {
    const p = this.padding;
    const [ph, pw] = Array.isArray(p) ? p : [p, p];
    return [
      s[0],
      convLength(s[1], this.kernelSize[0], this.strides[0], this.dilationRate[0], ph),
      convLength(s[2], this.kernelSize[1], this.strides[1], this.dilationRate[1], pw),
      this.filters,
    ];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: Array.isArray(this.padding) ? [...this.padding] : this.padding,
      dilationRate: [...this.dilationRate],
      dataFormat: 'channelsLast',
      ...this.kb.toConfig(),
    };
  }
}

export interface Pooling2DLayerArgs extends LayerArgs {
  /** Window [h, w] or one number (default 2). */
  poolSize?: number | [number, number];
  /** Default: poolSize. */
  strides?: number | [number, number];
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
}

type PoolOp = typeof maxPool2d | typeof avgPool2d;

abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  /** `what` names the layer in errors; `pool` is its op (max or average). */
  constructor(args: Pooling2DLayerArgs, className: string, private readonly what: string, private readonly pool: PoolOp) {
    super(args, className);
    this.poolSize = pairOf(what, 'poolSize', args.poolSize ?? 2);
    this.strides = args.strides === undefined ? this.poolSize : pairOf(what, 'strides', args.strides);
    this.padding = checkPadding(what, args.padding ?? 'valid');
    checkDataFormat(what, args.dataFormat);
  }
  override computeOutputShape(s: Shape): Shape {
    return [s[0], convLength(s[1], this.poolSize[0], this.strides[0], 1, this.padding), convLength(s[2], this.poolSize[1], this.strides[1], 1, this.padding), s[3]];
  }
  protected call(x: Tensor): Tensor {
    checkImageInput(`${this.what} '${this.name}'`, x);
    return this.pool(x, { kernelSize: this.poolSize, stride: this.strides, padding: this.padding });
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [...this.poolSize], strides: [...this.strides], padding: this.padding, dataFormat: 'channelsLast' };
  }
}

export class MaxPooling2D extends Pooling2D {
  override readonly className = 'MaxPooling2D';
  constructor(args: Pooling2DLayerArgs = {}) {
    super(args, 'MaxPooling2D', 'maxPooling2d', maxPool2d);
  }
}

export class AveragePooling2D extends Pooling2D {
  override readonly className = 'AveragePooling2D';
  constructor(args: Pooling2DLayerArgs = {}) {
    super(args, 'AveragePooling2D', 'averagePooling2d', avgPool2d);
  }
}

/** [N, H, W, C] -> [N, C], the mean over height and width. */
export class GlobalAveragePooling2D extends Layer {
  override readonly className = 'GlobalAveragePooling2D';
  constructor(args: LayerArgs & { dataFormat?: 'channelsLast' } = {}) {
    super(args, 'GlobalAveragePooling2D');
    checkDataFormat('globalAveragePooling2d', args.dataFormat);
  }
  protected call(x: Tensor): Tensor {
    checkImageInput(`globalAveragePooling2d '${this.name}'`, x);
    return mean(x, [1, 2]);
  }
  override computeOutputShape(s: Shape): Shape {
    return [s[0], s[3]];
  }
}
