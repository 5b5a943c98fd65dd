// Layer normalization (tfjs/Keras): each example normalized over `axis` (default the last) with its own mean and
// variance, then scaled by gamma and shifted by beta (weights of the normalized axes' shape). Composed from ops.
import { ValueError } from '../../errors';
import { add, div, mean, mul, reshape, sqrt, square, sub } from '../../ops';
import type { Tensor } from '../../tensor';
import { getInitializer, type Initializer } from '../initializers';
import { getRegularizer, type Regularizer } from '../regularizers';
import type { InitializerArg, RegularizerArg } from './kernel_layer';
import { Layer, type LayerArgs, type LayerVariable, type Shape } from './layer';

export interface LayerNormalizationLayerArgs extends LayerArgs {
  /** Axis or axes to normalize over (default -1); the batch axis 0 is not allowed. */
  axis?: number | number[];
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerArg;
  gammaInitializer?: InitializerArg;
  betaRegularizer?: RegularizerArg;
  gammaRegularizer?: RegularizerArg;
}

export class LayerNormalization extends Layer {
  override readonly className = 'LayerNormalization';
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly betaInit: Initializer;
  private readonly gammaInit: Initializer;
  private readonly betaReg: Regularizer | null;
  private readonly gammaReg: Regularizer | null;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;
  /** The normalized axes (non-negative) and the shape gamma/beta broadcast with. */
  private axes: number[] = [];
  private broadcastShape: number[] = [];

  constructor(args: LayerNormalizationLayerArgs = {}) {
    super(args, 'LayerNormalization');
    this.axis = args.axis ?? -1;
    const list = Array.isArray(this.axis) ? this.axis : [this.axis];
    if (list.length === 0 || !list.every(Number.isInteger)) throw new ValueError(`layerNormalization: 'axis' must be an integer or a list of them, got ${JSON.stringify(args.axis)}`);
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(typeof this.epsilon === 'number' && this.epsilon > 0)) throw new ValueError(`layerNormalization: 'epsilon' must be > 0, got ${JSON.stringify(args.epsilon)}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInit = getInitializer(args.betaInitializer ?? 'zeros', 'layerNormalization: betaInitializer');
    this.gammaInit = getInitializer(args.gammaInitializer ?? 'ones', 'layerNormalization: gammaInitializer');
    this.betaReg = getRegularizer(args.betaRegularizer, 'layerNormalization: betaRegularizer');
    this.gammaReg = getRegularizer(args.gammaRegularizer, 'layerNormalization: gammaRegularizer');
  }

  override build(inputShape: Shape): void {
    const rank = inputShape.length;
    const list = Array.isArray(this.axis) ? this.axis : [this.axis];
    this.axes = [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
    if (this.axes.some((a) => a < 1 || a >= rank)) throw new ValueError(`layerNormalization '${this.name}': axis ${JSON.stringify(this.axis)} is out of range for inputs of rank ${rank} (the batch axis cannot be normalized)`);
    const dims = this.axes.map((a) => inputShape[a]);
    if (dims.some((d) => d === null)) throw new ValueError(`layerNormalization '${this.name}': the normalized axes need known sizes, got input [${inputShape}]`);
    const shape = dims as number[];
    this.broadcastShape = inputShape.map((d, i) => (this.axes.includes(i) ? (d as number) : 1));
    const size = shape.reduce((p, d) => p * d, 1);
    const fans = { fanIn: size, fanOut: size };
    if (this.scale) this.gamma = this.addWeight('gamma', shape, this.gammaInit, fans, { regularizer: this.gammaReg });
    if (this.center) this.beta = this.addWeight('beta', shape, this.betaInit, fans, { regularizer: this.betaReg });
    super.build(inputShape);
  }

  protected call(x: Tensor): Tensor {
    if (x.rank !== this.broadcastShape.length) throw new ValueError(`layerNormalization '${this.name}': built for inputs of rank ${this.broadcastShape.length}, got [${x.shape}]`);
    const mu = mean(x, this.axes, true);
    const centered = sub(x, mu);
    const variance = mean(square(centered), this.axes, true);
    let y = div(centered, sqrt(add(variance, this.epsilon)));
    if (this.gamma) y = mul(y, reshape(this.gamma.value, this.broadcastShape));
    if (this.beta) y = add(y, reshape(this.beta.value, this.broadcastShape));
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: this.betaInit.toJSON(),
      gammaInitializer: this.gammaInit.toJSON(),
      betaRegularizer: this.betaReg?.toJSON() ?? null,
      gammaRegularizer: this.gammaReg?.toJSON() ?? null,
    };
  }
}
