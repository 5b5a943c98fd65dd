// Adam (L2 weight decay added to the gradient) and AdamW (decoupled weight decay), native adam_update; eps 1e-7 as tfjs.
import { ValueError } from '../errors';
import type { Attrs } from '../native';
import { Optimizer, type OptimizerArgs } from './optimizer';

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  /** Added to sqrt(v_hat) (default 1e-7, tfjs and Keras; PyTorch uses 1e-8). `eps` is accepted as an alias. */
  epsilon?: number;
  eps?: number;
  weightDecay?: number;
}

export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  protected readonly decoupled: boolean = false;
  constructor(args: AdamArgs = {}, defaultWeightDecay = 0) {
    super(args, 0.001);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? args.eps ?? 1e-7;
    this.weightDecay = args.weightDecay ?? defaultWeightDecay;
    for (const [k, v] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(v >= 0 && v < 1)) throw new ValueError(`adam: '${k}' must be in [0, 1), got ${v}`);
    }
    if (!(this.epsilon >= 0)) throw new ValueError(`adam: 'epsilon' must be >= 0, got ${this.epsilon}`);
  }
  protected slotLayout(): (string | null)[] {
    return ['m', 'v'];
  }
  protected kernel(lr: number, step: number): { name: string; attrs: Attrs } {
    return {
      name: 'adam_update',
      attrs: { lr, beta1: this.beta1, beta2: this.beta2, eps: this.epsilon, weightDecay: this.weightDecay, decoupled: this.decoupled ? 1 : 0, step },
    };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay: this.weightDecay };
  }
}

/** Adam with decoupled weight decay: p *= 1 - lr * weightDecay before the Adam step (default weightDecay 0.01, torch). */
export class AdamW extends Adam {
  override readonly className: string = 'AdamW';
  protected override readonly decoupled: boolean = true;
  constructor(args: AdamArgs = {}) {
    super(args, 0.01);
  }
}
