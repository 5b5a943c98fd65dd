// Activation layers with options (tfjs names): reLU (maxValue), leakyReLU, elu, thresholdedReLU, softmax (axis),
// and prelu with a learned slope per unit (alpha, shareable across axes).
import { ValueError } from '../../errors';
import { clip, greater, leakyRelu, minimum, mul, relu, softmax as softmaxOp, add } from '../../ops';
import type { Tensor } from '../../tensor';
import { elu as eluOp } from '../activations';
import type { InitializerArg, RegularizerArg } from './kernel_layer';
import { getInitializer, type Initializer } from '../initializers';
import { getRegularizer, type Regularizer } from '../regularizers';
import { Layer, type CallArgs, type LayerArgs, type LayerVariable, type Shape } from './layer';

function finite(layer: string, option: string, v: unknown, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new ValueError(`${layer}: '${option}' must be a finite number >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

export interface ReLULayerArgs extends LayerArgs {
  /** Upper bound of the output (none by default). */
  maxValue?: number;
}

export class ReLU extends Layer {
  override readonly className = 'ReLU';
  readonly maxValue: number | null;
  constructor(args: ReLULayerArgs = {}) {
    super(args, 'ReLU');
    this.maxValue = args.maxValue === undefined || args.maxValue === null ? null : finite('reLU', 'maxValue', args.maxValue, 0);
  }
  protected call(x: Tensor): Tensor {
    return this.maxValue === null ? relu(x) : clip(x, 0, this.maxValue);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maxValue: this.maxValue };
  }
}

export interface LeakyReLULayerArgs extends LayerArgs {
  /** Slope for x < 0 (tfjs default 0.3). */
  alpha?: number;
}

export class LeakyReLU extends Layer {
  override readonly className = 'LeakyReLU';
  readonly alpha: number;
  constructor(args: LeakyReLULayerArgs = {}) {
    super(args, 'LeakyReLU');
    this.alpha = finite('leakyReLU', 'alpha', args.alpha ?? 0.3);
  }
  protected call(x: Tensor): Tensor {
    return leakyRelu(x, this.alpha);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

export interface ELULayerArgs extends LayerArgs {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

export class ELU extends Layer {
  override readonly className = 'ELU';
  readonly alpha: number;
  constructor(args: ELULayerArgs = {}) {
    super(args, 'ELU');
    this.alpha = finite('elu', 'alpha', args.alpha ?? 1);
  }
  protected call(x: Tensor): Tensor {
    return eluOp(x, this.alpha);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

export interface ThresholdedReLULayerArgs extends LayerArgs {
  /** x where x > theta, else 0 (default 1). */
  theta?: number;
}

export class ThresholdedReLU extends Layer {
  override readonly className = 'ThresholdedReLU';
  readonly theta: number;
  constructor(args: ThresholdedReLULayerArgs = {}) {
    super(args, 'ThresholdedReLU');
    this.theta = finite('thresholdedReLU', 'theta', args.theta ?? 1, 0);
  }
  protected call(x: Tensor): Tensor {
    // The 0/1 mask has no gradient; d/dx = mask.
    return mul(x, greater(x, this.theta));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), theta: this.theta };
  }
}

export interface SoftmaxLayerArgs extends LayerArgs {
  axis?: number;
}

export class Softmax extends Layer {
  override readonly className = 'Softmax';
  readonly axis: number;
  constructor(args: SoftmaxLayerArgs = {}) {
    super(args, 'Softmax');
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new ValueError(`softmax: 'axis' must be an integer, got ${JSON.stringify(args.axis)}`);
  }
  /** Over the last axis, a model may fuse it into a cross-entropy loss (see LayersModel). */
  override get activationName(): string | null {
    return this.axis === -1 ? 'softmax' : null;
  }
  protected call(x: Tensor, args: CallArgs): Tensor {
    if (args.logits && this.axis === -1) return x;
    return softmaxOp(x, this.axis);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

export interface PReLULayerArgs extends LayerArgs {
  alphaInitializer?: InitializerArg;
  alphaRegularizer?: RegularizerArg;
  /** Axes (1-based over the input, batch axis 0) along which one slope is shared, e.g. [1, 2] for images. */
  sharedAxes?: number | number[];
}

/** prelu(x) = x for x > 0, alpha * x otherwise, alpha a learned weight of shape inputShape[1:] (shared axes size 1). */
export class PReLU extends Layer {
  override readonly className = 'PReLU';
  readonly sharedAxes: number[] | null;
  private readonly alphaInit: Initializer;
  private readonly alphaReg: Regularizer | null;
  alpha: LayerVariable | null = null;
  constructor(args: PReLULayerArgs = {}) {
    super(args, 'PReLU');
    this.alphaInit = getInitializer(args.alphaInitializer ?? 'zeros', 'prelu: alphaInitializer');
    this.alphaReg = getRegularizer(args.alphaRegularizer, 'prelu: alphaRegularizer');
    const sa = args.sharedAxes === undefined || args.sharedAxes === null ? null : Array.isArray(args.sharedAxes) ? args.sharedAxes : [args.sharedAxes];
    if (sa && !sa.every((a) => Number.isInteger(a) && a >= 1)) throw new ValueError(`prelu: 'sharedAxes' must be axes >= 1, got ${JSON.stringify(args.sharedAxes)}`);
    this.sharedAxes = sa;
  }
  override build(inputShape: Shape): void {
    const shape = inputShape.slice(1).map((d, i) => (this.sharedAxes?.includes(i + 1) ? 1 : d));
    if (shape.some((d) => d === null)) throw new ValueError(`prelu '${this.name}': needs known sizes on the axes that are not shared, got input [${inputShape}]`);
    for (const a of this.sharedAxes ?? []) if (a >= inputShape.length) throw new ValueError(`prelu '${this.name}': shared axis ${a} is out of range for inputs of rank ${inputShape.length}`);
    const size = (shape as number[]).reduce((p, d) => p * d, 1);
    this.alpha = this.addWeight('alpha', shape as number[], this.alphaInit, { fanIn: size, fanOut: size }, { regularizer: this.alphaReg });
    super.build(inputShape);
  }
  protected call(x: Tensor): Tensor {
    return add(relu(x), mul(this.alpha!.value, minimum(x, 0)));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alphaInitializer: this.alphaInit.toJSON(), alphaRegularizer: this.alphaReg?.toJSON() ?? null, sharedAxes: this.sharedAxes };
  }
}
