// RMSprop with tfjs's defaults and rule (lr 0.001, decay 0.9, eps 1e-7 inside the sqrt); momentum and centered.
import { ValueError } from '../errors';
import type { Attrs } from '../native';
import { Optimizer, type OptimizerArgs } from './optimizer';

export interface RMSpropArgs extends OptimizerArgs {
  /** Decay of the squared-gradient average (default 0.9, tfjs). Aliases: `decay` (tfjs), `rho` (Keras), `alpha` (torch). */
  decay?: number;
  rho?: number;
  alpha?: number;
  momentum?: number;
  centered?: boolean;
  weightDecay?: number;
  /** Default 1e-7 (tfjs, Keras). `eps` is accepted as an alias. */
  epsilon?: number;
  eps?: number;
  /** true (default, tfjs/Keras): g / sqrt(avg + eps); false (torch): g / (sqrt(avg) + eps). */
  epsilonInsideSqrt?: boolean;
}

export class RMSprop extends Optimizer {
  readonly className: string = 'RMSprop';
  readonly alpha: number;
  readonly momentum: number;
  readonly centered: boolean;
  readonly weightDecay: number;
  readonly epsilon: number;
  readonly epsilonInsideSqrt: boolean;
  constructor(args: RMSpropArgs = {}) {
    super(args, 0.001);
    this.alpha = args.decay ?? args.rho ?? args.alpha ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.centered = args.centered ?? false;
    this.weightDecay = args.weightDecay ?? 0;
    this.epsilon = args.epsilon ?? args.eps ?? 1e-7;
    this.epsilonInsideSqrt = args.epsilonInsideSqrt ?? true;
    if (!(this.alpha >= 0 && this.alpha <= 1)) throw new ValueError(`rmsprop: 'decay' must be in [0, 1], got ${this.alpha}`);
    if (!(this.momentum >= 0)) throw new ValueError(`rmsprop: 'momentum' must be >= 0, got ${this.momentum}`);
  }
  /** tfjs's name for the decay. */
  get decay(): number {
    return this.alpha;
  }
  protected slotLayout(): (string | null)[] {
    return ['square_avg', this.momentum > 0 ? 'momentum' : null, this.centered ? 'grad_avg' : null];
  }
  protected kernel(lr: number): { name: string; attrs: Attrs } {
    return {
      name: 'rmsprop_update',
      attrs: {
        lr,
        alpha: this.alpha,
        eps: this.epsilon,
        momentum: this.momentum,
        centered: this.centered ? 1 : 0,
        weightDecay: this.weightDecay,
        epsInsideSqrt: this.epsilonInsideSqrt ? 1 : 0,
      },
    };
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alpha: this.alpha,
      momentum: this.momentum,
      centered: this.centered,
      weightDecay: this.weightDecay,
      epsilon: this.epsilon,
      epsilonInsideSqrt: this.epsilonInsideSqrt,
    };
  }
}
