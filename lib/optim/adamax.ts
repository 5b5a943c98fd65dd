// Adamax (Adam with the infinity norm), tfjs's rule and defaults: lr 0.002, betas 0.9/0.999, eps 1e-7, decay 0.
import { ValueError } from '../errors';
import type { Attrs } from '../native';
import { Optimizer, type OptimizerArgs } from './optimizer';

export interface AdamaxArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  /** Added to the infinity norm (default 1e-7). `eps` is accepted as an alias. */
  epsilon?: number;
  eps?: number;
  /** Learning-rate decay per update: lr / (1 + decay * (t - 1)) (default 0). */
  decay?: number;
}

export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly decay: number;
  constructor(args: AdamaxArgs = {}) {
    super(args, 0.002);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? args.eps ?? 1e-7;
    this.decay = args.decay ?? 0;
    for (const [k, v] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(v >= 0 && v < 1)) throw new ValueError(`adamax: '${k}' must be in [0, 1), got ${v}`);
    }
    if (!(this.epsilon >= 0)) throw new ValueError(`adamax: 'epsilon' must be >= 0, got ${this.epsilon}`);
    if (!(this.decay >= 0)) throw new ValueError(`adamax: 'decay' must be >= 0, got ${this.decay}`);
  }
  protected slotLayout(): (string | null)[] {
    return ['m', 'u'];
  }
  protected kernel(lr: number, step: number): { name: string; attrs: Attrs } {
    return { name: 'adamax_update', attrs: { lr, beta1: this.beta1, beta2: this.beta2, eps: this.epsilon, decay: this.decay, step } };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, decay: this.decay };
  }
}
