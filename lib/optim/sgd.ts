// SGD with momentum, dampening, Nesterov and L2 weight decay (torch.optim.SGD's rule, native sgd_update).
import { ValueError } from '../errors';
import type { Attrs } from '../native';
import { Optimizer, type OptimizerArgs } from './optimizer';

export interface SGDArgs extends OptimizerArgs {
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  /** L2 penalty added to the gradient: g += weightDecay * p. */
  weightDecay?: number;
}

export class SGD extends Optimizer {
  readonly className: string = 'SGD';
  /** Mutable for tfjs's MomentumOptimizer.setMomentum. */
  momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  constructor(args: SGDArgs = {}) {
    super(args, 0.01);
    this.momentum = args.momentum ?? 0;
    this.dampening = args.dampening ?? 0;
    this.nesterov = args.nesterov ?? false;
    this.weightDecay = args.weightDecay ?? 0;
    if (!(this.momentum >= 0)) throw new ValueError(`sgd: 'momentum' must be >= 0, got ${this.momentum}`);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new ValueError('sgd: nesterov needs momentum > 0 and dampening 0 (as torch.optim.SGD)');
    }
  }
  protected slotLayout(): (string | null)[] {
    return [this.momentum !== 0 ? 'momentum' : null];
  }
  protected kernel(lr: number, step: number): { name: string; attrs: Attrs } {
    return {
      name: 'sgd_update',
      attrs: { lr, momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov ? 1 : 0, weightDecay: this.weightDecay, step },
    };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }
}
