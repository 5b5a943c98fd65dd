// tfjs's volume layers on NDHWC inputs: conv3d, conv3dTranspose, maxPooling3d and averagePooling3d (kernels in
// tfjs/Keras layout, tfjs's option names, defaults and configs), on the conv3d-family ops.
import { ValueError } from '../../errors';
import { avgPool3d, conv3d as conv3dOp, conv3dTranspose as conv3dTransposeOp, maxPool3d } from '../../ops';
import type { Tensor } from '../../tensor';
import type { ConstraintArg } from '../constraints';
import { checkDataFormat, checkPadding, convLength, type PaddingMode } from './convolutional';
import { deconvLength } from './conv_family';
import { KernelBiasLayer, KernelBiasOptions, type KernelBiasArgs } from './kernel_layer';
import { checkPositiveInt, Layer, type CallArgs, type LayerArgs, type Shape } from './layer';

export type Triple = [number, number, number];

/** A number or [d, h, w] as three positive integers (tfjs normalizes sizes to three; a shorter list is refused). */
export function tripleOf(layer: string, option: string, v: unknown): Triple {
  const t = typeof v === 'number' ? [v, v, v] : v;
  if (!Array.isArray(t) || t.length !== 3) throw new ValueError(`${layer}: '${option}' must be a number or [d, h, w], got ${JSON.stringify(v)}`);
  return [checkPositiveInt(layer, option, t[0]), checkPositiveInt(layer, option, t[1]), checkPositiveInt(layer, option, t[2])];
}

/** The channel count of an NDHWC input (shape or tensor), which must be known. */
function checkVolume(what: string, shape: readonly (number | null)[]): number {
  if (shape.length !== 5) throw new ValueError(`${what}: expected inputs [batch, depth, height, width, channels] of rank 5, got shape [${shape.map((d) => d ?? 'null')}]`);
  const c = shape[4];
  if (typeof c !== 'number') throw new ValueError(`${what}: the channel dimension must be known, got [${shape.map((d) => d ?? 'null')}]`);
  return c;
}

interface Conv3DCommonArgs extends LayerArgs, KernelBiasArgs {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  biasConstraint?: ConstraintArg;
}

export type Conv3DLayerArgs = Conv3DCommonArgs;
export type Conv3DTransposeLayerArgs = Conv3DCommonArgs;

/** The options conv3d and conv3dTranspose share, resolved in tfjs's order. */
abstract class Conv3DBase extends KernelBiasLayer {
  readonly filters: number;
  readonly kernelSize: Triple;
  readonly strides: Triple;
  readonly padding: PaddingMode;
  readonly dilationRate: Triple;
  protected readonly kb: KernelBiasOptions;

  constructor(args: Conv3DCommonArgs, className: string, protected readonly what: string) {
    super(args, className);
    this.filters = checkPositiveInt(what, 'filters', args?.filters);
    this.kernelSize = tripleOf(what, 'kernelSize', args.kernelSize);
    this.strides = tripleOf(what, 'strides', args.strides ?? 1);
    this.padding = checkPadding(what, args.padding ?? 'valid');
    this.dilationRate = tripleOf(what, 'dilationRate', args.dilationRate ?? 1);
    checkDataFormat(what, args.dataFormat);
    // tfjs's convolution layers default to a glorotNormal kernel.
    this.kb = new KernelBiasOptions(what, { ...args, kernelInitializer: args.kernelInitializer ?? 'glorotNormal' });
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

/** 3-D convolution; kernel [kd, kh, kw, inChannels, filters]. */
export class Conv3D extends Conv3DBase {
  override readonly className = 'Conv3D';
  constructor(args: Conv3DLayerArgs) {
    super(args, 'Conv3D', 'conv3d');
    if (this.strides.some((s) => s !== 1) && this.dilationRate.some((d) => d !== 1)) {
      throw new ValueError(`conv3d: either 'strides' or 'dilationRate' must be 1, got strides [${this.strides}] and dilationRate [${this.dilationRate}]`);
    }
  }

  override build(inputShape: Shape): void {
    const inC = checkVolume(`conv3d '${this.name}'`, inputShape);
    const [kd, kh, kw] = this.kernelSize;
    const field = kd * kh * kw;
    this.addKernelAndBias([kd, kh, kw, inC, this.filters], this.filters, { fanIn: field * inC, fanOut: field * this.filters });
    super.build(inputShape);
  }

  protected call(x: Tensor, args: CallArgs): Tensor {
    checkVolume(`conv3d '${this.name}'`, x.shape);
    return this.biasAndActivation(conv3dOp(x, this.kernel!.value, this.strides, this.padding, 'NDHWC', this.dilationRate), args);
  }

  override computeOutputShape(s: Shape): Shape {
    checkVolume(`conv3d '${this.name}'`, s);
    const dims = [0, 1, 2].map((a) => convLength(s[a + 1], this.kernelSize[a], this.strides[a], this.dilationRate[a], this.padding));
    return [s[0], ...dims, this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dilationRate: [...this.dilationRate] };
  }
}

/** Transposed 3-D convolution; kernel [kd, kh, kw, filters, inChannels] (tfjs/Keras). */
export class Conv3DTranspose extends Conv3DBase {
  override readonly className = 'Conv3DTranspose';
  constructor(args: Conv3DTransposeLayerArgs) {
    super(args, 'Conv3DTranspose', 'conv3dTranspose');
    // tfjs accepts a dilationRate here and never applies it; refusing it keeps the layer from silently differing.
    if (this.dilationRate.some((d) => d !== 1)) throw new ValueError(`conv3dTranspose: 'dilationRate' must be 1 (tfjs ignores any other value), got ${JSON.stringify(args.dilationRate)}`);
  }

  override build(inputShape: Shape): void {
    const inC = checkVolume(`conv3dTranspose '${this.name}'`, inputShape);
    const [kd, kh, kw] = this.kernelSize;
    const field = kd * kh * kw;
    // Keras' fans for this layout: the receptive field times dims 3 (fan in) and 4 (fan out).
    this.addKernelAndBias([kd, kh, kw, this.filters, inC], this.filters, { fanIn: field * this.filters, fanOut: field * inC });
    super.build(inputShape);
  }

  protected call(x: Tensor, args: CallArgs): Tensor {
    checkVolume(`conv3dTranspose '${this.name}'`, x.shape);
    const out = this.computeOutputShape([x.shape[0], ...x.shape.slice(1)]) as number[];
    return this.biasAndActivation(conv3dTransposeOp(x, this.kernel!.value, out, this.strides, this.padding), args);
  }

  override computeOutputShape(s: Shape): Shape {
    checkVolume(`conv3dTranspose '${this.name}'`, s);
    return [s[0], ...[0, 1, 2].map((a) => deconvLength(s[a + 1], this.strides[a], this.kernelSize[a], this.padding)), this.filters];
  }
}

export interface Pooling3DLayerArgs extends LayerArgs {
  /** Window [d, h, w] or one number (default 2). */
  poolSize?: number | number[];
  /** Default: poolSize. */
  strides?: number | number[];
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
}

abstract class Pooling3D extends Layer {
  readonly poolSize: Triple;
  readonly strides: Triple;
  readonly padding: PaddingMode;
  /** `what` names the layer in errors; `pool` is its op (max or average). */
  constructor(args: Pooling3DLayerArgs, className: string, private readonly what: string, private readonly pool: (x: Tensor, size: Triple, strides: Triple, padding: PaddingMode) => Tensor) {
    super(args, className);
    this.poolSize = tripleOf(what, 'poolSize', args.poolSize ?? 2);
    this.strides = args.strides === undefined || args.strides === null ? this.poolSize : tripleOf(what, 'strides', args.strides);
    this.padding = checkPadding(what, args.padding ?? 'valid');
    checkDataFormat(what, args.dataFormat);
  }
  override computeOutputShape(s: Shape): Shape {
    checkVolume(`${this.what} '${this.name}'`, s);
    return [s[0], ...[0, 1, 2].map((a) => convLength(s[a + 1], this.poolSize[a], this.strides[a], 1, this.padding)), s[4]];
  }
  protected call(x: Tensor): Tensor {
    checkVolume(`${this.what} '${this.name}'`, x.shape);
    return this.pool(x, this.poolSize, this.strides, this.padding);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [...this.poolSize], padding: this.padding, strides: [...this.strides], dataFormat: 'channelsLast' };
  }
}

export class MaxPooling3D extends Pooling3D {
  override readonly className = 'MaxPooling3D';
  constructor(args: Pooling3DLayerArgs = {}) {
    super(args, 'MaxPooling3D', 'maxPooling3d', maxPool3d);
  }
}

export class AveragePooling3D extends Pooling3D {
  override readonly className = 'AveragePooling3D';
  constructor(args: Pooling3DLayerArgs = {}) {
    super(args, 'AveragePooling3D', 'averagePooling3d', avgPool3d);
  }
}
