// Adadelta, tfjs's rule (the update reads the squared-gradient average from before this step) and defaults.
import { ValueError } from '../errors';
import type { Attrs } from '../native';
import { Optimizer, type OptimizerArgs } from './optimizer';

export interface AdadeltaArgs extends OptimizerArgs {
  /** Decay of both running averages (default 0.95). */
  rho?: number;
  /** Default 1e-7; must be > 0. `eps` is accepted as an alias. */
  epsilon?: number;
  eps?: number;
}

export class Adadelta extends Optimizer {
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;
  constructor(args: AdadeltaArgs = {}) {
    super(args, 0.001);
    this.rho = args.rho ?? 0.95;
    this.epsilon = args.epsilon ?? args.eps ?? 1e-7;
    if (!(this.rho >= 0 && this.rho <= 1)) throw new ValueError(`adadelta: 'rho' must be in [0, 1], got ${this.rho}`);
    if (!(this.epsilon > 0)) throw new ValueError(`adadelta: 'epsilon' must be > 0, got ${this.epsilon}`);
  }
  protected slotLayout(): (string | null)[] {
    return ['accum_grad', 'accum_var'];
  }
  protected kernel(lr: number): { name: string; attrs: Attrs } {
    return { name: 'adadelta_update', attrs: { lr, rho: this.rho, eps: this.epsilon } };
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
