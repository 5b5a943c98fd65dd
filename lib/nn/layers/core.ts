// Core layers: dense, flatten, reshape, activation, dropout (tfjs names and options).
import { ValueError } from '../../errors';
import { dropout as dropoutOp, matmul, reshape as reshapeOp } from '../../ops';
import { nextSeed } from '../../random';
import type { Tensor } from '../../tensor';
import { getActivation, type ActivationIdentifier } from '../activations';
import { applyActivation, KernelBiasLayer, KernelBiasOptions, type KernelBiasArgs } from './kernel_layer';
import { checkPositiveInt, Layer, type CallArgs, type LayerArgs, type Shape } from './layer';

export interface DenseLayerArgs extends LayerArgs, KernelBiasArgs {
  units: number;
  /** Input dimension, an alternative to inputShape: [inputDim] (tfjs). */
  inputDim?: number;
}

/** y = activation(x @ kernel + bias); kernel [inputDim, units] (Keras layout), applied to the last axis. */
export class Dense extends KernelBiasLayer {
  override readonly className = 'Dense';
  readonly units: number;
  protected readonly kb: KernelBiasOptions;

  constructor(args: DenseLayerArgs) {
    super(args.inputDim !== undefined && !args.inputShape && !args.batchInputShape ? { ...args, inputShape: [args.inputDim] } : args, 'Dense');
    this.units = checkPositiveInt('dense', 'units', args.units);
    this.kb = new KernelBiasOptions('dense', args);
  }

  override build(inputShape: Shape): void {
    const inDim = inputShape[inputShape.length - 1];
    if (typeof inDim !== 'number' || inputShape.length < 2) {
      throw new ValueError(`dense '${this.name}': needs inputs [batch, ..., features] with known features, got [${inputShape}]`);
    }
    this.addKernelAndBias([inDim, this.units], this.units, { fanIn: inDim, fanOut: this.units });
    super.build(inputShape);
  }

  protected call(x: Tensor, args: CallArgs): Tensor {
    const inDim = this.kernel!.shape[0];
    if (x.shape[x.rank - 1] !== inDim) {
      throw new ValueError(`dense '${this.name}': expected inputs with ${inDim} features in the last axis, got shape [${x.shape}]`);
    }
    // matmul needs rank >= 2 on both sides; a rank-2 kernel broadcasts over any leading batch dims of x.
    return this.biasAndActivation(matmul(x, this.kernel!.value), args);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), units: this.units, ...this.kb.toConfig() };
  }
}

/** [N, d1, d2, ...] -> [N, d1*d2*...]. */
export class Flatten extends Layer {
  override readonly className = 'Flatten';
  constructor(args: LayerArgs = {}) {
    super(args, 'Flatten');
  }
  protected call(x: Tensor): Tensor {
    return reshapeOp(x, [x.shape[0], -1]);
  }
  override computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    return [inputShape[0], rest.every((d) => typeof d === 'number') ? (rest as number[]).reduce((a, b) => a * b, 1) : null];
  }
}

export interface ReshapeLayerArgs extends LayerArgs {
  /** The per-example output shape (batch dimension excluded); one entry may be -1. */
  targetShape: number[];
}

export class Reshape extends Layer {
  override readonly className = 'Reshape';
  readonly targetShape: number[];
  constructor(args: ReshapeLayerArgs) {
    super(args, 'Reshape');
    if (!Array.isArray(args.targetShape) || args.targetShape.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1))) {
      throw new ValueError(`reshape: 'targetShape' must be a list of positive integers (one may be -1), got ${JSON.stringify(args.targetShape)}`);
    }
    this.targetShape = [...args.targetShape];
  }
  protected call(x: Tensor): Tensor {
    return reshapeOp(x, [x.shape[0], ...this.targetShape]);
  }
  override computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const total = rest.every((d) => typeof d === 'number') ? (rest as number[]).reduce((a, b) => a * b, 1) : null;
    return [inputShape[0], ...this.targetShape.map((d) => (d === -1 ? (total === null ? null : total / known) : d))];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}

export interface ActivationLayerArgs extends LayerArgs {
  activation: ActivationIdentifier;
}

export class Activation extends Layer {
  override readonly className = 'Activation';
  readonly activation: ActivationIdentifier;
  private readonly fn: (x: Tensor) => Tensor;
  constructor(args: ActivationLayerArgs) {
    super(args, 'Activation');
    this.activation = args.activation;
    this.fn = getActivation(args.activation, 'activation');
  }
  protected call(x: Tensor, args: CallArgs): Tensor {
    return applyActivation(this.activation, this.fn, x, args);
  }
  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }
  override get activationName(): string {
    return this.activation;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation };
  }
}

export interface DropoutLayerArgs extends LayerArgs {
  /** Fraction of inputs to drop, in [0, 1). */
  rate: number;
  /** Fixed seed: the masks follow from it call by call; omitted: drawn from the global seed (setSeed). */
  seed?: number;
}

/** In training, zeroes a fraction `rate` of inputs and scales the rest by 1/(1-rate); the identity in inference. */
export class Dropout extends Layer {
  override readonly className = 'Dropout';
  readonly rate: number;
  readonly seed: number | undefined;
  private calls = 0;
  constructor(args: DropoutLayerArgs) {
    super(args, 'Dropout');
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) {
      throw new ValueError(`dropout: 'rate' must be a number in [0, 1), got ${JSON.stringify(args.rate)}`);
    }
    this.rate = args.rate;
    this.seed = args.seed;
  }
  protected call(x: Tensor, args: CallArgs): Tensor {
    if (!args.training || this.rate === 0) return x;
    // A fixed seed must still give a new mask per step, so it is combined with the call count.
    const seed = this.seed === undefined ? nextSeed() : (this.seed + 0x9e3779b1 * ++this.calls) % Number.MAX_SAFE_INTEGER;
    return dropoutOp(x, this.rate, { seed, training: true });
  }
  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null };
  }
}
