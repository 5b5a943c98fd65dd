// RMSprop with momentum and the centered variant (torch.optim.RMSprop's rule: eps outside the sqrt), native rmsprop_update.
import { ValueError } from '../errors';
import type { Attrs } from '../native';
import { Optimizer, type OptimizerArgs } from './optimizer';

export interface RMSpropArgs extends OptimizerArgs {
  /** Decay of the squared-gradient average (default 0.99, PyTorch). `rho` (Keras' name) is accepted as an alias. */
  alpha?: number;
  rho?: number;
  momentum?: number;
  centered?: boolean;
  weightDecay?: number;
  epsilon?: number;
  eps?: number;
}

export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly alpha: number;
  readonly momentum: number;
  readonly centered: boolean;
  readonly weightDecay: number;
  readonly epsilon: number;
  constructor(args: RMSpropArgs = {}) {
    super(args, 0.01);
    this.alpha = args.alpha ?? args.rho ?? 0.99;
    this.momentum = args.momentum ?? 0;
    this.centered = args.centered ?? false;
    this.weightDecay = args.weightDecay ?? 0;
    this.epsilon = args.epsilon ?? args.eps ?? 1e-8;
    if (!(this.alpha >= 0 && this.alpha <= 1)) throw new ValueError(`rmsprop: 'alpha' must be in [0, 1], got ${this.alpha}`);
    if (!(this.momentum >= 0)) throw new ValueError(`rmsprop: 'momentum' must be >= 0, got ${this.momentum}`);
  }
  protected slotLayout(): (string | null)[] {
    return ['square_avg', this.momentum > 0 ? 'momentum' : null, this.centered ? 'grad_avg' : null];
  }
  protected kernel(lr: number): { name: string; attrs: Attrs } {
    return {
      name: 'rmsprop_update',
      attrs: { lr, alpha: this.alpha, eps: this.epsilon, momentum: this.momentum, centered: this.centered ? 1 : 0, weightDecay: this.weightDecay },
    };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha, momentum: this.momentum, centered: this.centered, weightDecay: this.weightDecay, epsilon: this.epsilon };
  }
}
