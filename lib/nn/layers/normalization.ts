// Batch normalization over the last (channel) axis, composed from ops so autograd gives its backward.
import { ValueError } from '../../errors';
import { noGrad } from '../../autograd/tape';
import { add, div, mean, mul, scale, sqrt, square, sub } from '../../ops';
import type { Tensor } from '../../tensor';
import { getInitializer, type Initializer } from '../initializers';
import { getRegularizer, type Regularizer } from '../regularizers';
import type { InitializerArg, RegularizerArg } from './kernel_layer';
import { Layer, type CallArgs, type LayerArgs, type LayerVariable, type Shape } from './layer';

export interface BatchNormalizationLayerArgs extends LayerArgs {
  /** Only -1 (channels last) is supported. */
  axis?: number;
  /** Moving-average factor: moving = momentum * moving + (1 - momentum) * batch (default 0.99, Keras). */
  momentum?: number;
  /** Added to the variance (default 1e-3, Keras). */
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerArg;
  gammaInitializer?: InitializerArg;
  movingMeanInitializer?: InitializerArg;
  movingVarianceInitializer?: InitializerArg;
  betaRegularizer?: RegularizerArg;
  gammaRegularizer?: RegularizerArg;
}

/**
 * Training: y = gamma * (x - mean_b) / sqrt(var_b + epsilon) + beta with the batch's mean and biased variance over
 * every axis but the last, and the moving statistics updated with the biased variance (tfjs and Keras' non-fused
 * path). Inference: the moving statistics replace the batch's.
 */
export class BatchNormalization extends Layer {
  override readonly className = 'BatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly inits: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', Initializer>;
  private readonly betaReg: Regularizer | null;
  private readonly gammaReg: Regularizer | null;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;
  movingMean: LayerVariable | null = null;
  movingVariance: LayerVariable | null = null;

  constructor(args: BatchNormalizationLayerArgs = {}) {
    super(args, 'BatchNormalization');
    if (args.axis !== undefined && args.axis !== -1) {
      throw new ValueError(`batchNormalization: only axis -1 (channels last) is supported, got ${args.axis}`);
    }
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new ValueError(`batchNormalization: 'momentum' must be in [0, 1], got ${this.momentum}`);
    if (!(this.epsilon > 0)) throw new ValueError(`batchNormalization: 'epsilon' must be > 0, got ${this.epsilon}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.inits = {
      beta: getInitializer(args.betaInitializer ?? 'zeros', 'batchNormalization: betaInitializer'),
      gamma: getInitializer(args.gammaInitializer ?? 'ones', 'batchNormalization: gammaInitializer'),
      movingMean: getInitializer(args.movingMeanInitializer ?? 'zeros', 'batchNormalization: movingMeanInitializer'),
      movingVariance: getInitializer(args.movingVarianceInitializer ?? 'ones', 'batchNormalization: movingVarianceInitializer'),
    };
    this.betaReg = getRegularizer(args.betaRegularizer, 'batchNormalization: betaRegularizer');
    this.gammaReg = getRegularizer(args.gammaRegularizer, 'batchNormalization: gammaRegularizer');
  }

  override build(inputShape: Shape): void {
    const c = inputShape[inputShape.length - 1];
    if (typeof c !== 'number' || inputShape.length < 2) throw new ValueError(`batchNormalization '${this.name}': needs a known last axis, got [${inputShape}]`);
    const fans = { fanIn: c, fanOut: c };
    if (this.scale) this.gamma = this.addWeight('gamma', [c], this.inits.gamma, fans, { regularizer: this.gammaReg });
    if (this.center) this.beta = this.addWeight('beta', [c], this.inits.beta, fans, { regularizer: this.betaReg });
    this.movingMean = this.addWeight('moving_mean', [c], this.inits.movingMean, fans, { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', [c], this.inits.movingVariance, fans, { trainable: false });
    super.build(inputShape);
  }

  protected call(x: Tensor, args: CallArgs): Tensor {
    const c = this.movingMean!.shape[0];
    if (x.shape[x.rank - 1] !== c) throw new ValueError(`batchNormalization '${this.name}': expected ${c} channels in the last axis, got shape [${x.shape}]`);
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    let centered: Tensor;
    let variance: Tensor;
    if (args.training) {
      const batchMean = mean(x, axes);
      centered = sub(x, batchMean);
      variance = mean(square(centered), axes);
      this.updateMoving(batchMean, variance);
    } else {
      centered = sub(x, this.movingMean!.value);
      variance = this.movingVariance!.value;
    }
    let inv = div(1, sqrt(add(variance, this.epsilon)));
    if (this.gamma) inv = mul(inv, this.gamma.value);
    let y = mul(centered, inv);
    if (this.beta) y = add(y, this.beta.value);
    return y;
  }

  private updateMoving(batchMean: Tensor, batchVar: Tensor): void {
    const m = this.momentum;
    noGrad(() => {
      for (const [v, batch] of [[this.movingMean!, batchMean], [this.movingVariance!, batchVar]] as const) {
        const next = add(scale(v.value, m), scale(batch, 1 - m));
        v.assign(next);
        next.dispose();
      }
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: -1,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: this.inits.beta.toJSON(),
      gammaInitializer: this.inits.gamma.toJSON(),
      movingMeanInitializer: this.inits.movingMean.toJSON(),
      movingVarianceInitializer: this.inits.movingVariance.toJSON(),
      betaRegularizer: this.betaReg?.toJSON() ?? null,
      gammaRegularizer: this.gammaReg?.toJSON() ?? null,
    };
  }
}
