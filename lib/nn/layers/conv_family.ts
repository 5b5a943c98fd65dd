// The other convolution layers of tfjs on the conv-family ops: conv1d, conv2dTranspose, depthwiseConv2d,
// separableConv2d (channels-last; kernels in Keras/tfjs layout, tfjs's option names and defaults).
import { ValueError } from '../../errors';
import { conv1d as conv1dOp, depthwiseConv2d as depthwiseOp, pad, separableConv2d as separableOp } from '../../ops';
import { conv2dTransposeCached, ReorderedFilter } from '../../ops/conv_cached';
import type { Tensor } from '../../tensor';
import type { ConstraintArg } from '../constraints';
import { checkDataFormat, checkPadding, convLength, type PaddingMode } from './convolutional';
import { KernelBiasLayer, KernelBiasOptions, type InitializerArg, type KernelBiasArgs, type RegularizerArg } from './kernel_layer';
import { checkPositiveInt, pairOf, type CallArgs, type LayerArgs, type Shape } from './layer';

/** A number or a one-element list (tfjs normalizes conv1d's sizes to [n]). */
function singleOf(layer: string, option: string, v: unknown): number {
  const n = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (Array.isArray(n)) throw new ValueError(`${layer}: '${option}' must be a number or [n], got ${JSON.stringify(v)}`);
  return checkPositiveInt(layer, option, n);
}

function checkRankAndChannels(what: string, shape: Shape | readonly number[], rank: number, layout: string): number {
  const c = shape[shape.length - 1];
  if (shape.length !== rank) throw new ValueError(`${what}: expected inputs ${layout} of rank ${rank}, got shape [${shape.map((d) => d ?? 'null')}]`);
  if (typeof c !== 'number') throw new ValueError(`${what}: the channel dimension must be known, got [${shape.map((d) => d ?? 'null')}]`);
  return c;
}

/** Output length of a transposed convolution (tfjs deconvLength). */
export function deconvLength(size: number | null, stride: number, k: number, padding: PaddingMode): number | null {
  if (size === null) return null;
  return padding === 'valid' ? size * stride + Math.max(k - stride, 0) : size * stride;
}

/** The options every convolution layer here shares. */
interface ConvCommonArgs extends LayerArgs {
  strides?: number | number[];
  padding?: string;
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  activation?: KernelBiasArgs['activation'];
  useBias?: boolean;
  biasInitializer?: InitializerArg;
  biasRegularizer?: RegularizerArg;
  biasConstraint?: ConstraintArg;
}

export interface Conv1DLayerArgs extends ConvCommonArgs, KernelBiasArgs {
  filters: number;
  kernelSize: number | [number];
  strides?: number | [number];
  /** 'valid' (default), 'same', or 'causal' (left padding only, for sequences). */
  padding?: 'valid' | 'same' | 'causal';
  dilationRate?: number | [number];
}

/** 1-D convolution over [batch, steps, channels]; kernel [kernelSize, inChannels, filters]. */
export class Conv1D extends KernelBiasLayer {
  override readonly className = 'Conv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: 'valid' | 'same' | 'causal';
  readonly dilationRate: number;
  protected readonly kb: KernelBiasOptions;

  constructor(args: Conv1DLayerArgs) {
    super(args, 'Conv1D');
    const what = 'conv1d';
    this.filters = checkPositiveInt(what, 'filters', args?.filters);
    this.kernelSize = singleOf(what, 'kernelSize', args.kernelSize);
    this.strides = singleOf(what, 'strides', args.strides ?? 1);
    this.dilationRate = singleOf(what, 'dilationRate', args.dilationRate ?? 1);
    const p = args.padding ?? 'valid';
    if (p !== 'valid' && p !== 'same' && p !== 'causal') throw new ValueError(`${what}: 'padding' must be 'valid', 'same' or 'causal', got ${JSON.stringify(p)}`);
    this.padding = p;
    checkDataFormat(what, args.dataFormat);
    this.kb = new KernelBiasOptions(what, { ...args, kernelInitializer: args.kernelInitializer ?? 'glorotNormal' });
  }

  override build(inputShape: Shape): void {
    const inC = checkRankAndChannels(`conv1d '${this.name}'`, inputShape, 3, '[batch, steps, channels]');
    const k = this.kernelSize;
    this.addKernelAndBias([k, inC, this.filters], this.filters, { fanIn: k * inC, fanOut: k * this.filters });
    super.build(inputShape);
  }

  protected call(x: Tensor, args: CallArgs): Tensor {
    checkRankAndChannels(`conv1d '${this.name}'`, x.shape, 3, '[batch, steps, channels]');
    let input = x;
    let mode: 'valid' | 'same' = this.padding === 'same' ? 'same' : 'valid';
    if (this.padding === 'causal') {
      // Causal: pad (k - 1) * dilation steps on the left only, then a valid convolution (output t sees inputs <= t).
      input = pad(x, [[0, 0], [(this.kernelSize - 1) * this.dilationRate, 0], [0, 0]]);
      mode = 'valid';
    }
    return this.biasAndActivation(conv1dOp(input, this.kernel!.value, this.strides, mode, 'NWC', this.dilationRate), args);
  }

  override computeOutputShape(s: Shape): Shape {
    const mode = this.padding === 'causal' ? 'same' : this.padding;
    // Causal output: ceil(steps / stride), the same as 'same'.
    return [s[0], convLength(s[1], this.kernelSize, this.strides, this.dilationRate, mode), this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      dilationRate: [this.dilationRate],
      ...this.kb.toConfig(),
    };
  }
}

export interface Conv2DTransposeLayerArgs extends ConvCommonArgs, KernelBiasArgs {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: PaddingMode;
}

/** Transposed 2-D convolution ("deconvolution"); kernel [kh, kw, filters, inChannels] (tfjs/Keras). */
export class Conv2DTranspose extends KernelBiasLayer {
  override readonly className = 'Conv2DTranspose';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  protected readonly kb: KernelBiasOptions;
  /** The kernel in the native conv layout, reused across inference calls until the kernel changes. */
  private readonly filterCache = new ReorderedFilter();

  constructor(args: Conv2DTransposeLayerArgs) {
    super(args, 'Conv2DTranspose');
    const what = 'conv2dTranspose';
    this.filters = checkPositiveInt(what, 'filters', args?.filters);
    this.kernelSize = pairOf(what, 'kernelSize', args.kernelSize);
    this.strides = pairOf(what, 'strides', args.strides ?? 1);
    this.padding = checkPadding(what, args.padding ?? 'valid');
    const d = pairOf(what, 'dilationRate', args.dilationRate ?? 1);
    if (d[0] !== 1 || d[1] !== 1) throw new ValueError(`${what}: 'dilationRate' must be 1 (as tfjs), got ${JSON.stringify(args.dilationRate)}`);
    checkDataFormat(what, args.dataFormat);
    this.kb = new KernelBiasOptions(what, { ...args, kernelInitializer: args.kernelInitializer ?? 'glorotNormal' });
  }

  override build(inputShape: Shape): void {
    const inC = checkRankAndChannels(`conv2dTranspose '${this.name}'`, inputShape, 4, 'NHWC');
    const [kh, kw] = this.kernelSize;
    // Keras' fans for this kernel layout: receptive field times dims 2 (fan in) and 3 (fan out).
    this.addKernelAndBias([kh, kw, this.filters, inC], this.filters, { fanIn: kh * kw * this.filters, fanOut: kh * kw * inC });
    super.build(inputShape);
  }

  protected call(x: Tensor, args: CallArgs): Tensor {
    checkRankAndChannels(`conv2dTranspose '${this.name}'`, x.shape, 4, 'NHWC');
    const out = this.computeOutputShape([x.shape[0], x.shape[1], x.shape[2], x.shape[3]]) as number[];
    return this.biasAndActivation(conv2dTransposeCached(x, this.kernel!.value, out, this.strides, this.padding, this.filterCache), args);
  }

  override dispose(): void {
    this.filterCache.dispose();
    super.dispose();
  }

  override computeOutputShape(s: Shape): Shape {
    return [s[0], deconvLength(s[1], this.strides[0], this.kernelSize[0], this.padding), deconvLength(s[2], this.strides[1], this.kernelSize[1], this.padding), this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: 'channelsLast',
      ...this.kb.toConfig(),
    };
  }
}

export interface DepthwiseConv2DLayerArgs extends ConvCommonArgs {
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: PaddingMode;
  dilationRate?: number | [number, number];
  /** Output channels per input channel (default 1). */
  depthMultiplier?: number;
  /** Default 'glorotNormal' (tfjs). */
  depthwiseInitializer?: InitializerArg;
  depthwiseRegularizer?: RegularizerArg;
  depthwiseConstraint?: ConstraintArg;
}

/** The kernel options of a layer whose kernel is called `prefix` (depthwise, pointwise) in configs. */
function renamedKernelConfig(kb: KernelBiasOptions, prefix: string): Record<string, unknown> {
  const c = kb.toConfig();
  return {
    activation: c.activation,
    useBias: c.useBias,
    [`${prefix}Initializer`]: c.kernelInitializer,
    biasInitializer: c.biasInitializer,
    [`${prefix}Regularizer`]: c.kernelRegularizer,
    biasRegularizer: c.biasRegularizer,
    [`${prefix}Constraint`]: c.kernelConstraint,
    biasConstraint: c.biasConstraint,
  };
}

/** Convolution of each input channel with its own depthMultiplier filters; kernel [kh, kw, inChannels, depthMultiplier]. */
export class DepthwiseConv2D extends KernelBiasLayer {
  override readonly className = 'DepthwiseConv2D';
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];
  readonly depthMultiplier: number;
  protected readonly kb: KernelBiasOptions;

  constructor(args: DepthwiseConv2DLayerArgs) {
    super(args, 'DepthwiseConv2D');
    const what = 'depthwiseConv2d';
    this.kernelSize = pairOf(what, 'kernelSize', args?.kernelSize);
    this.strides = pairOf(what, 'strides', args.strides ?? 1);
    this.padding = checkPadding(what, args.padding ?? 'valid');
    this.dilationRate = pairOf(what, 'dilationRate', args.dilationRate ?? 1);
    this.depthMultiplier = checkPositiveInt(what, 'depthMultiplier', args.depthMultiplier ?? 1);
    checkDataFormat(what, args.dataFormat);
    this.kb = new KernelBiasOptions(what, {
      ...args,
      kernelInitializer: args.depthwiseInitializer ?? 'glorotNormal',
      kernelRegularizer: args.depthwiseRegularizer,
      kernelConstraint: args.depthwiseConstraint,
    });
  }

  /** The depthwise kernel (tfjs names it depthwiseKernel; `kernel` is the same weight). */
  get depthwiseKernel(): KernelBiasLayer['kernel'] {
    return this.kernel;
  }

  override build(inputShape: Shape): void {
    const inC = checkRankAndChannels(`depthwiseConv2d '${this.name}'`, inputShape, 4, 'NHWC');
    const [kh, kw] = this.kernelSize;
    const m = this.depthMultiplier;
    const fans = { fanIn: kh * kw * inC, fanOut: kh * kw * m };
    this.kernel = this.addWeight('depthwise_kernel', [kh, kw, inC, m], this.kb.kernelInit, fans, { regularizer: this.kb.kernelReg, constraint: this.kb.kernelConstraint });
    if (this.kb.useBias) this.bias = this.addWeight('bias', [inC * m], this.kb.biasInit, fans, { regularizer: this.kb.biasReg, constraint: this.kb.biasConstraint });
    super.build(inputShape);
  }

  protected call(x: Tensor, args: CallArgs): Tensor {
    checkRankAndChannels(`depthwiseConv2d '${this.name}'`, x.shape, 4, 'NHWC');
    return this.biasAndActivation(depthwiseOp(x, this.kernel!.value, this.strides, this.padding, 'NHWC', this.dilationRate), args);
  }

  override computeOutputShape(s: Shape): Shape {
    const c = s[3] === null ? null : s[3] * this.depthMultiplier;
    return [s[0], convLength(s[1], this.kernelSize[0], this.strides[0], this.dilationRate[0], this.padding), convLength(s[2], this.kernelSize[1], this.strides[1], this.dilationRate[1], this.padding), c];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: 'channelsLast',
      dilationRate: [...this.dilationRate],
      depthMultiplier: this.depthMultiplier,
      ...renamedKernelConfig(this.kb, 'depthwise'),
    };
  }
}

export interface SeparableConv2DLayerArgs extends DepthwiseConv2DLayerArgs {
  filters: number;
  /** Default 'glorotUniform'. */
  pointwiseInitializer?: InitializerArg;
  pointwiseRegularizer?: RegularizerArg;
  pointwiseConstraint?: ConstraintArg;
}

/**
 * A depthwise convolution then a 1x1 convolution to `filters` channels: depthwise_kernel [kh, kw, inC, depthMultiplier],
 * pointwise_kernel [1, 1, inC * depthMultiplier, filters], bias [filters] (tfjs/Keras order).
 */
export class SeparableConv2D extends KernelBiasLayer {
  override readonly className = 'SeparableConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];
  readonly depthMultiplier: number;
  depthwiseKernel: KernelBiasLayer['kernel'] = null;
  pointwiseKernel: KernelBiasLayer['kernel'] = null;
  protected readonly kb: KernelBiasOptions;
  private readonly pw: KernelBiasOptions;

  constructor(args: SeparableConv2DLayerArgs) {
    super(args, 'SeparableConv2D');
    const what = 'separableConv2d';
    this.filters = checkPositiveInt(what, 'filters', args?.filters);
    for (const k of ['kernelInitializer', 'kernelRegularizer', 'kernelConstraint'] as const) {
      if ((args as KernelBiasArgs)[k] !== undefined) throw new ValueError(`${what}: '${k}' does not apply (use depthwise${k.slice(6)} and pointwise${k.slice(6)})`);
    }
    this.kernelSize = pairOf(what, 'kernelSize', args.kernelSize);
    this.strides = pairOf(what, 'strides', args.strides ?? 1);
    this.padding = checkPadding(what, args.padding ?? 'valid');
    this.dilationRate = pairOf(what, 'dilationRate', args.dilationRate ?? 1);
    this.depthMultiplier = checkPositiveInt(what, 'depthMultiplier', args.depthMultiplier ?? 1);
    checkDataFormat(what, args.dataFormat);
    this.kb = new KernelBiasOptions(what, { ...args, kernelInitializer: args.depthwiseInitializer ?? 'glorotUniform', kernelRegularizer: args.depthwiseRegularizer, kernelConstraint: args.depthwiseConstraint });
    this.pw = new KernelBiasOptions(what, { kernelInitializer: args.pointwiseInitializer ?? 'glorotUniform', kernelRegularizer: args.pointwiseRegularizer, kernelConstraint: args.pointwiseConstraint });
  }

  override build(inputShape: Shape): void {
    const inC = checkRankAndChannels(`separableConv2d '${this.name}'`, inputShape, 4, 'NHWC');
    const [kh, kw] = this.kernelSize;
    const m = this.depthMultiplier;
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [kh, kw, inC, m], this.kb.kernelInit, { fanIn: kh * kw * inC, fanOut: kh * kw * m }, { regularizer: this.kb.kernelReg, constraint: this.kb.kernelConstraint });
    const pwFans = { fanIn: inC * m, fanOut: this.filters };
    this.pointwiseKernel = this.addWeight('pointwise_kernel', [1, 1, inC * m, this.filters], this.pw.kernelInit, pwFans, { regularizer: this.pw.kernelReg, constraint: this.pw.kernelConstraint });
    if (this.kb.useBias) this.bias = this.addWeight('bias', [this.filters], this.kb.biasInit, pwFans, { regularizer: this.kb.biasReg, constraint: this.kb.biasConstraint });
    super.build(inputShape);
  }

  protected call(x: Tensor, args: CallArgs): Tensor {
    checkRankAndChannels(`separableConv2d '${this.name}'`, x.shape, 4, 'NHWC');
    const y = separableOp(x, this.depthwiseKernel!.value, this.pointwiseKernel!.value, this.strides, this.padding, this.dilationRate, 'NHWC');
    return this.biasAndActivation(y, args);
  }

  override computeOutputShape(s: Shape): Shape {
    return [s[0], convLength(s[1], this.kernelSize[0], this.strides[0], this.dilationRate[0], this.padding), convLength(s[2], this.kernelSize[1], this.strides[1], this.dilationRate[1], this.padding), this.filters];
  }

  override getConfig(): Record<string, unknown> {
    const pw = renamedKernelConfig(this.pw, 'pointwise');
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: 'channelsLast',
      dilationRate: [...this.dilationRate],
      depthMultiplier: this.depthMultiplier,
      ...renamedKernelConfig(this.kb, 'depthwise'),
      pointwiseInitializer: pw.pointwiseInitializer,
      pointwiseRegularizer: pw.pointwiseRegularizer,
      pointwiseConstraint: pw.pointwiseConstraint,
    };
  }
}
