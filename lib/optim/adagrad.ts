// Adagrad with tfjs's defaults and rule (accumulator starts at 0.1, eps inside the sqrt); torch's rule on request.
import { ValueError } from '../errors';
import type { Attrs } from '../native';
import { Optimizer, type OptimizerArgs } from './optimizer';

export interface AdagradArgs extends OptimizerArgs {
  /** Where the accumulator starts (default 0.1, tfjs and Keras; torch starts at 0). */
  initialAccumulatorValue?: number;
  lrDecay?: number;
  weightDecay?: number;
  /** Default 1e-7 (tfjs, Keras). `eps` is accepted as an alias. */
  epsilon?: number;
  eps?: number;
  /** true (default, tfjs/Keras): g / sqrt(acc + eps); false (torch): g / (sqrt(acc) + eps). */
  epsilonInsideSqrt?: boolean;
}

export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly lrDecay: number;
  readonly weightDecay: number;
  readonly epsilon: number;
  readonly epsilonInsideSqrt: boolean;
  constructor(args: AdagradArgs = {}) {
    super(args, 0.01);
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.lrDecay = args.lrDecay ?? 0;
    this.weightDecay = args.weightDecay ?? 0;
    this.epsilon = args.epsilon ?? args.eps ?? 1e-7;
    this.epsilonInsideSqrt = args.epsilonInsideSqrt ?? true;
    if (!(this.initialAccumulatorValue >= 0)) {
      throw new ValueError(`adagrad: 'initialAccumulatorValue' must be >= 0, got ${this.initialAccumulatorValue}`);
    }
  }
  protected slotLayout(): (string | null)[] {
    return ['sum'];
  }
  protected override slotInitialValue(): number {
    return this.initialAccumulatorValue;
  }
  protected kernel(lr: number, step: number): { name: string; attrs: Attrs } {
    return {
      name: 'adagrad_update',
      attrs: { lr, eps: this.epsilon, weightDecay: this.weightDecay, lrDecay: this.lrDecay, step, epsInsideSqrt: this.epsilonInsideSqrt ? 1 : 0 },
    };
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      initialAccumulatorValue: this.initialAccumulatorValue,
      lrDecay: this.lrDecay,
      weightDecay: this.weightDecay,
      epsilon: this.epsilon,
      epsilonInsideSqrt: this.epsilonInsideSqrt,
    };
  }
}
