// Adagrad (torch.optim.Adagrad's rule: accumulator starts at 0, optional lr decay and L2 weight decay), native adagrad_update.
import type { Attrs } from '../native';
import { Optimizer, type OptimizerArgs } from './optimizer';

export interface AdagradArgs extends OptimizerArgs {
  lrDecay?: number;
  weightDecay?: number;
  /** Added to sqrt(sum) (default 1e-10, PyTorch). `eps` is accepted as an alias. */
  epsilon?: number;
  eps?: number;
}

export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly lrDecay: number;
  readonly weightDecay: number;
  readonly epsilon: number;
  constructor(args: AdagradArgs = {}) {
    super(args, 0.01);
    this.lrDecay = args.lrDecay ?? 0;
    this.weightDecay = args.weightDecay ?? 0;
    this.epsilon = args.epsilon ?? args.eps ?? 1e-10;
  }
  protected slotLayout(): (string | null)[] {
    return ['sum'];
  }
  protected kernel(lr: number, step: number): { name: string; attrs: Attrs } {
    return { name: 'adagrad_update', attrs: { lr, eps: this.epsilon, weightDecay: this.weightDecay, lrDecay: this.lrDecay, step } };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), lrDecay: this.lrDecay, weightDecay: this.weightDecay, epsilon: this.epsilon };
  }
}
